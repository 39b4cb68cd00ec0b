#include "tool/sensitive.hpp"

#include <array>

#include <boost/json/serializer.hpp>

#include "credvault/codec.hpp"
#include "credvault/secret.hpp"

namespace credvault::tool {
namespace {

// Runs `sink` on each piece of `v`'s serialization. The pieces pass through
// a stack buffer that is wiped afterwards.
template <class Sink>
void serialize_pieces(const boost::json::value& v, Sink&& sink) {
  std::array<char, 4096> buffer;
  boost::json::serializer sr;
  sr.reset(&v);
  while (!sr.done()) {
    sink(sr.read(buffer.data(), buffer.size()));
  }
  wipe(buffer.data(), buffer.size());
}

}  // namespace

boost::json::storage_ptr wiping_storage() noexcept {
  return wiping_json_storage();
}

void scrub(std::string& s) noexcept {
  // Within the capacity resize() does not allocate, so it cannot throw.
  s.resize(s.capacity());
  wipe(s.data(), s.size());
  s.clear();
}

wiped_string& wiped_string::operator=(wiped_string&& other) noexcept {
  if (this != &other) {
    scrub(text_);
    text_ = std::move(other.text_);
  }
  return *this;
}

wiped_string serialize_wiped(const boost::json::value& v) {
  // Two passes: the first measures, so that the second never reallocates.
  std::size_t size = 0;
  serialize_pieces(v, [&](std::string_view piece) { size += piece.size(); });

  wiped_string out(size);
  serialize_pieces(v, [&](std::string_view piece) { out.str() += piece; });
  return out;
}

}  // namespace credvault::tool
