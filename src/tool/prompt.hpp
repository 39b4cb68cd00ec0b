// Reading input: lines from stdin, values typed at the terminal with echo
// turned off, and yes/no confirmations.
#ifndef CREDVAULT_TOOL_PROMPT_HPP
#define CREDVAULT_TOOL_PROMPT_HPP

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "credvault/error.hpp"
#include "credvault/secret.hpp"

namespace credvault::tool {

// Reads lines from a file descriptor through its own buffer, which it wipes
// when destroyed. It reads with read(2), so nothing else may read the same
// descriptor. Neither copyable nor movable: it owns buffered input.
class line_reader {
 public:
  explicit line_reader(int fd) noexcept : fd_(fd) {}
  line_reader(const line_reader&) = delete;
  line_reader& operator=(const line_reader&) = delete;
  ~line_reader();

  enum class status { line, end, too_long, failed };

  // Reads the next line into `out`, without its "\n". `out` is wiped first
  // and given room for `max` bytes, so it never reallocates while filled. A
  // last line without "\n" counts. A longer line is too_long: `out` is
  // emptied and the rest of that line skipped. `end` when no input is left.
  status next_line(std::string& out, std::size_t max);

  // Reads all that is left into `out`, as next_line does; too_long when
  // more than `max` bytes remain.
  status rest(std::string& out, std::size_t max);

  int fd() const noexcept { return fd_; }

 private:
  // Reads more into the buffer; false at the end of input or on failure.
  bool fill();

  // Moves buffered bytes up to a "\n" (or all of them) into `out`, while it
  // stays within `max`. True when a "\n" ended the line.
  bool take(std::string& out, std::size_t max, bool& overflow);

  int fd_;
  std::array<char, 4096> buffer_{};
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  bool failed_ = false;
};

// Whether `fd` is a terminal.
bool is_terminal(int fd) noexcept;

// Reads the value of field `label`. From a terminal (when `in` is one and
// `from_stdin` is false) it prompts on stderr, with echo off when `hidden`,
// and asks a hidden value twice; otherwise it takes the next line of `in`.
// Errors: errc::invalid_input for a value over max_string_bytes, an end of
// input before the value, or two entries that differ; errc::storage when
// reading fails. The messages name the field, never the value.
result<secret> read_value(line_reader& in, std::string_view label, bool hidden,
                          bool from_stdin);

// Asks `question` on the terminal `in` reads from; true for "y" or "yes".
bool confirm(line_reader& in, std::string_view question);

}  // namespace credvault::tool

#endif  // CREDVAULT_TOOL_PROMPT_HPP
