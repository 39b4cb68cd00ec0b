// Memory for text that may hold secrets: request bodies, batch lines and
// values typed at a prompt. Everything here is wiped before it is freed.
#ifndef CREDVAULT_TOOL_SENSITIVE_HPP
#define CREDVAULT_TOOL_SENSITIVE_HPP

#include <cstddef>
#include <string>
#include <string_view>

#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>

namespace credvault::tool {

// Storage for Boost.JSON values whose blocks are zeroed before they return
// to the heap. Stateless and shared by the whole process.
boost::json::storage_ptr wiping_storage() noexcept;

// Overwrites every byte `s` has reserved, then empties it.
void scrub(std::string& s) noexcept;

// A std::string wiped when destroyed. Reserve the room a value needs before
// filling it: growing past the reserve would leave the old block unwiped.
// Move-only, so that there is one owner to wipe it.
class wiped_string {
 public:
  wiped_string() = default;
  explicit wiped_string(std::size_t reserve) { text_.reserve(reserve); }

  wiped_string(wiped_string&& other) noexcept : text_(std::move(other.text_)) {}
  wiped_string& operator=(wiped_string&& other) noexcept;
  wiped_string(const wiped_string&) = delete;
  wiped_string& operator=(const wiped_string&) = delete;
  ~wiped_string() { scrub(text_); }

  std::string& str() noexcept { return text_; }
  std::string_view view() const noexcept { return text_; }

 private:
  std::string text_;
};

// `v` as compact JSON text, in a buffer sized exactly for it so that no
// copy of its contents is left behind in freed memory.
wiped_string serialize_wiped(const boost::json::value& v);

}  // namespace credvault::tool

#endif  // CREDVAULT_TOOL_SENSITIVE_HPP
