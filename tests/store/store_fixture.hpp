// Shared set-up for the store tests: a fresh environment in a temporary
// directory, and small helpers to write, read and fork.
#ifndef CREDVAULT_TESTS_STORE_STORE_FIXTURE_HPP
#define CREDVAULT_TESTS_STORE_STORE_FIXTURE_HPP

#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include "store/environment.hpp"

namespace credvault::store::test {

// A new, empty directory under the system's temporary directory, removed
// with its contents at destruction. Neither copied nor moved.
class temp_dir {
 public:
  temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  ~temp_dir();

  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

inline constexpr std::size_t mib = std::size_t{1} << 20;

// Options with the tables "items" and "other" and a map of `map_size`.
options test_options(std::size_t map_size = mib);

// An environment opened with test_options() in `dir`, a directory that
// does not exist before the fixture creates it.
struct store_fixture {
  store_fixture();

  // Closes the environment and opens it again with `opts`.
  void reopen(const options& opts = test_options());

  table items() const { return *env->find_table("items"); }
  table other() const { return *env->find_table("other"); }

  temp_dir tmp;
  std::filesystem::path dir;
  std::unique_ptr<environment> env;
};

// Stores key=value in `t` in a write of its own; requires success.
void put(environment& env, table t, std::string_view key,
         std::string_view value);

// A copy of the value under `key` in `t`, read in a transaction of its
// own; requires success.
std::optional<std::string> get(environment& env, table t, std::string_view key);

// The key and value of entry `i` of a bulk test: values of `size` bytes
// that differ from entry to entry.
std::string key_for(std::size_t i);
std::string value_for(std::size_t i, std::size_t size);

// Writes entries [first, first + count) of `size` bytes to `t` in one
// write transaction and returns how many times the function ran, or 0 on
// failure.
std::size_t put_entries(environment& env, table t, std::size_t first,
                        std::size_t count, std::size_t size);

// The number of entries in [0, count) whose value is missing or wrong.
std::size_t bad_entries(environment& env, table t, std::size_t count,
                        std::size_t size);

// Runs `body` (returning an exit status) in a child made by fork() and
// returns the status it exits with, or -1 when it died. The child leaves
// through _exit(), so neither destructors nor leak checks run in it, and
// it must open its own environment rather than touch the parent's.
template <class Body>
int run_in_child(Body&& body) {
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    int status = 99;
    try {
      status = body();
    } catch (...) {
    }
    ::_exit(status);
  }

  int status = 0;
  if (pid < 0 || ::waitpid(pid, &status, 0) != pid) {
    return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace credvault::store::test

// Lets BOOST_TEST print what the get() helper returns.
namespace boost::test_tools::tt_detail {

template <>
struct print_log_value<std::optional<std::string>> {
  void operator()(std::ostream& os, const std::optional<std::string>& v) {
    if (v.has_value()) {
      os << '"' << *v << '"';
    } else {
      os << "nullopt";
    }
  }
};

template <>
struct print_log_value<std::nullopt_t> {
  void operator()(std::ostream& os, std::nullopt_t) { os << "nullopt"; }
};

}  // namespace boost::test_tools::tt_detail

#endif  // CREDVAULT_TESTS_STORE_STORE_FIXTURE_HPP
