#include "tool/prompt.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <iostream>
#include <optional>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include "credvault/codec.hpp"

#include "tool/sensitive.hpp"

namespace credvault::tool {
namespace {

// The terminal settings to put back if a signal ends the process while echo
// is off. A signal handler can reach only globals, hence these.
termios saved_terminal;
volatile sig_atomic_t saved_terminal_fd = -1;

constexpr std::array<int, 4> restoring_signals = {SIGINT, SIGTERM, SIGHUP,
                                                  SIGQUIT};

extern "C" void restore_terminal_and_reraise(int sig) {
  if (saved_terminal_fd >= 0) {
    tcsetattr(saved_terminal_fd, TCSANOW, &saved_terminal);
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

// Turns echo off on a terminal for its lifetime, and puts the settings back
// even when the user interrupts. Neither copyable nor movable.
class echo_off {
 public:
  explicit echo_off(int fd) noexcept;
  echo_off(const echo_off&) = delete;
  echo_off& operator=(const echo_off&) = delete;
  ~echo_off();

 private:
  int fd_;
  bool active_ = false;
  std::array<struct sigaction, restoring_signals.size()> previous_{};
};

echo_off::echo_off(int fd) noexcept : fd_(fd) {
  if (tcgetattr(fd, &saved_terminal) != 0) {
    return;
  }
  saved_terminal_fd = fd;

  struct sigaction action {};
  action.sa_handler = restore_terminal_and_reraise;
  sigemptyset(&action.sa_mask);
  for (std::size_t i = 0; i < restoring_signals.size(); ++i) {
    sigaction(restoring_signals[i], &action, &previous_[i]);
  }

  // ECHONL still echoes the Enter key, so what follows starts on its own
  // line.
  termios quiet = saved_terminal;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  quiet.c_lflag |= ECHONL;
  active_ = tcsetattr(fd, TCSANOW, &quiet) == 0;
}

echo_off::~echo_off() {
  if (saved_terminal_fd < 0) {
    return;
  }
  if (active_) {
    tcsetattr(fd_, TCSANOW, &saved_terminal);
  }
  for (std::size_t i = 0; i < restoring_signals.size(); ++i) {
    sigaction(restoring_signals[i], &previous_[i], nullptr);
  }
  saved_terminal_fd = -1;
}

result<secret> read_line_value(line_reader& in, std::string_view label) {
  wiped_string line;
  line_reader::status st = in.next_line(line.str(), max_string_bytes);
  if (st == line_reader::status::line) {
    return secret(line.view());
  }

  switch (st) {
    case line_reader::status::end:
      return error(errc::invalid_input,
                   "input ended before the value of " + std::string(label));
    case line_reader::status::too_long:
      return error(errc::invalid_input,
                   "the value of " + std::string(label) + " is longer than " +
                       std::to_string(max_string_bytes) + " bytes");
    default:
      return error(errc::storage,
                   "cannot read the value of " + std::string(label));
  }
}

result<secret> prompt_value(line_reader& in, std::string_view label,
                            bool hidden) {
  // Echo goes off before the prompt shows, so that nothing typed after it
  // can be echoed; input typed ahead is kept, not flushed.
  std::optional<echo_off> quiet;
  if (hidden) {
    quiet.emplace(in.fd());
  }
  std::cerr << label << ": " << std::flush;
  return read_line_value(in, label);
}

}  // namespace

line_reader::~line_reader() {
  wipe(buffer_.data(), buffer_.size());
}

bool line_reader::fill() {
  begin_ = 0;
  end_ = 0;
  for (;;) {
    ssize_t n = ::read(fd_, buffer_.data(), buffer_.size());
    if (n > 0) {
      end_ = static_cast<std::size_t>(n);
      return true;
    }
    if (n == 0) {
      return false;
    }
    if (errno != EINTR) {
      failed_ = true;
      return false;
    }
  }
}

bool line_reader::take(std::string& out, std::size_t max, bool& overflow) {
  const char* first = buffer_.data() + begin_;
  const char* last = buffer_.data() + end_;
  const char* newline = std::find(first, last, '\n');
  auto n = static_cast<std::size_t>(newline - first);

  if (!overflow && out.size() + n <= max) {
    out.append(first, n);
  } else {
    overflow = true;
  }

  begin_ += n;
  if (newline == last) {
    return false;
  }
  ++begin_;
  return true;
}

line_reader::status line_reader::next_line(std::string& out, std::size_t max) {
  scrub(out);
  out.reserve(max);
  bool overflow = false;
  bool started = false;
  for (;;) {
    if (begin_ == end_ && !fill()) {
      break;
    }
    started = true;
    if (take(out, max, overflow)) {
      break;
    }
  }

  if (failed_) {
    scrub(out);
    return status::failed;
  }
  if (overflow) {
    scrub(out);
    return status::too_long;
  }
  return started ? status::line : status::end;
}

line_reader::status line_reader::rest(std::string& out, std::size_t max) {
  scrub(out);
  out.reserve(max);
  bool overflow = false;
  while (!overflow && (begin_ != end_ || fill())) {
    std::size_t n = end_ - begin_;
    if (out.size() + n <= max) {
      out.append(buffer_.data() + begin_, n);
    } else {
      overflow = true;
    }
    begin_ = end_;
  }

  if (failed_ || overflow) {
    scrub(out);
    return failed_ ? status::failed : status::too_long;
  }
  return status::line;
}

bool is_terminal(int fd) noexcept {
  return isatty(fd) == 1;
}

result<secret> read_value(line_reader& in, std::string_view label, bool hidden,
                          bool from_stdin) {
  if (from_stdin || !is_terminal(in.fd())) {
    return read_line_value(in, label);
  }

  result<secret> first = prompt_value(in, label, hidden);
  if (!first || !hidden) {
    return first;
  }

  std::string again_label = std::string(label) + " (again)";
  result<secret> again = prompt_value(in, again_label, hidden);
  if (!again) {
    return again;
  }
  if (!(*first == *again)) {
    return error(errc::invalid_input,
                 "the two entries of " + std::string(label) + " differ");
  }
  return first;
}

bool confirm(line_reader& in, std::string_view question) {
  std::cerr << question << " [y/N] " << std::flush;
  std::string answer;
  if (in.next_line(answer, 64) != line_reader::status::line) {
    return false;
  }
  std::transform(answer.begin(), answer.end(), answer.begin(),
                 [](unsigned char c) { return static_cast<char>(tolower(c)); });
  return answer == "y" || answer == "yes";
}

}  // namespace credvault::tool
