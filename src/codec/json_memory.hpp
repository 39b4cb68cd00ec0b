// Parsing request bodies into memory that is wiped when it is freed, so
// that secrets in a body leave no copy behind in freed heap blocks.
#ifndef CREDVAULT_CODEC_JSON_MEMORY_HPP
#define CREDVAULT_CODEC_JSON_MEMORY_HPP

#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/storage_ptr.hpp>

#include "credvault/error.hpp"

namespace credvault::codec {

// Storage whose blocks are zeroed before they return to the heap. Stateless
// and shared: safe to use from any number of threads.
boost::json::storage_ptr wiping_storage() noexcept;

// Parses `body` as a JSON object held in wiping_storage().
//
// Errors: errc::invalid_input with the pointer "" when the body is longer
// than max_body_bytes, is not JSON, nests too deeply, or is not an object.
result<boost::json::object> parse_object(std::string_view body);

}  // namespace credvault::codec

#endif  // CREDVAULT_CODEC_JSON_MEMORY_HPP
