// Helpers shared by the libFuzzer targets: viewing the input as text,
// splitting it into parts, and failing loudly when an invariant breaks.
#ifndef CREDVAULT_TESTS_FUZZ_FUZZ_SUPPORT_HPP
#define CREDVAULT_TESTS_FUZZ_FUZZ_SUPPORT_HPP

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace credvault::fuzz {

// The fuzz input as text; it may hold any bytes, NUL included.
inline std::string_view as_text(const std::uint8_t* data,
                                std::size_t size) noexcept {
  return {reinterpret_cast<const char*>(data), size};
}

// Removes and returns the part of `rest` before the first '\n', or all of
// it when there is no '\n'. The '\n' itself belongs to neither part.
inline std::string_view take_line(std::string_view& rest) noexcept {
  const std::size_t end = rest.find('\n');
  const std::string_view line = rest.substr(0, end);
  rest =
      end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
  return line;
}

// Aborts, so that libFuzzer saves the input, when `holds` is false. The
// message names the invariant, never the input, which may hold secrets.
inline void require(bool holds, const char* invariant) noexcept {
  if (!holds) {
    std::fprintf(stderr, "fuzz invariant broken: %s\n", invariant);
    std::abort();
  }
}

}  // namespace credvault::fuzz

#endif  // CREDVAULT_TESTS_FUZZ_FUZZ_SUPPORT_HPP
