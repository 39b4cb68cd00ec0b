// A credential's fields, secrets included, as 'credvault resolve --reveal'
// prints them: one "field: value" line each, in the type's field order.
#ifndef CREDVAULT_TOOL_REVEAL_HPP
#define CREDVAULT_TOOL_REVEAL_HPP

#include <iosfwd>

#include <boost/json/value.hpp>

namespace credvault::tool {

// Prints one field's value on one line: text as it is but with control
// characters escaped (a PEM key's line breaks as "\n"), a list or an object
// as compact JSON.
// Secret handling: a secret is printed in clear. It is copied nowhere but
// into `out`, save for a list or an object, whose text passes through
// memory that is wiped at once.
void print_value(std::ostream& out, const boost::json::value& value);

}  // namespace credvault::tool

#endif  // CREDVAULT_TOOL_REVEAL_HPP
