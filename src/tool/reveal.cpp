#include "tool/reveal.hpp"

#include <ostream>

#include "tool/sensitive.hpp"
#include "tool/table.hpp"

namespace credvault::tool {

void print_value(std::ostream& out, const boost::json::value& value) {
  if (value.is_string()) {
    write_printable(out, value.get_string());
    return;
  }
  wiped_string text = serialize_wiped(value);
  write_printable(out, text.view());
}

}  // namespace credvault::tool
