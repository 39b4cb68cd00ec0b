#include "codec/json_memory.hpp"

#include <algorithm>
#include <cstddef>
#include <new>
#include <string>

#include <boost/json/parser.hpp>

#include "credvault/codec.hpp"
#include "credvault/secret.hpp"

namespace credvault::codec {
namespace {

// Boost.JSON 1.81 allocates object keys with alignment 1 but, when a parse
// fails part-way, frees them with alignment 16. Rounding every alignment up
// to the fundamental one makes both calls agree.
std::align_val_t alignment_for(std::size_t requested) noexcept {
  return std::align_val_t(std::max(requested, alignof(std::max_align_t)));
}

class wiping_resource final : public boost::json::memory_resource {
  void* do_allocate(std::size_t n, std::size_t align) override {
    return ::operator new(n, alignment_for(align));
  }

  void do_deallocate(void* p, std::size_t n, std::size_t align) override {
    wipe(p, n);
    ::operator delete(p, alignment_for(align));
  }

  bool do_is_equal(const memory_resource& other) const noexcept override {
    return this == &other;
  }
};

// No request body credvault accepts nests deeper than an object inside an
// object; the margin keeps error messages about depth rare and honest.
constexpr std::size_t max_depth = 16;

error invalid_body(std::string rule) {
  return error(errc::invalid_input, "the request body is invalid",
               {field_error{"", std::move(rule)}});
}

}  // namespace

boost::json::storage_ptr wiping_storage() noexcept {
  static wiping_resource resource;
  return boost::json::storage_ptr(&resource);
}

namespace {

// TODO: reject repeated keys in an object. Boost.JSON 1.81 keeps the last
// of two equal keys, so a repeated field is validated by its last value and
// the repetition goes unreported; detecting it needs a custom parse handler.
// Parses with `scratch` as the parser's first working space. The parser is
// gone when this returns, so the caller may then wipe the scratch space.
result<boost::json::value> parse_value(std::string_view body,
                                       unsigned char* scratch,
                                       std::size_t scratch_size) {
  boost::json::parse_options options;
  options.max_depth = max_depth;
  boost::json::parser parser(wiping_storage(), options, scratch, scratch_size);
  parser.reset(wiping_storage());

  boost::system::error_code ec;
  parser.write(body.data(), body.size(), ec);
  if (ec) {
    return invalid_body("must be valid JSON (" + ec.message() + ")");
  }
  return parser.release();
}

}  // namespace

result<boost::json::object> parse_object(std::string_view body) {
  if (body.size() > max_body_bytes) {
    return invalid_body("must be at most " + std::to_string(max_body_bytes) +
                        " bytes long");
  }

  unsigned char scratch[1024];
  result<boost::json::value> parsed =
      parse_value(body, scratch, sizeof scratch);
  // The scratch space may still hold pieces of the body's strings.
  wipe(scratch, sizeof scratch);
  if (!parsed) {
    return std::move(parsed).error();
  }

  // Move, never assign: assigning a value to one with other storage copies
  // it into that storage, which is not wiped.
  boost::json::value& value = *parsed;
  if (!value.is_object()) {
    return invalid_body("must be a JSON object");
  }
  return std::move(value.get_object());
}

}  // namespace credvault::codec

namespace credvault {

boost::json::storage_ptr wiping_json_storage() noexcept {
  return codec::wiping_storage();
}

}  // namespace credvault
