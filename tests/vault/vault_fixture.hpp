// A fresh vault in a temporary directory, removed after the test.
#ifndef CREDVAULT_TESTS_VAULT_VAULT_FIXTURE_HPP
#define CREDVAULT_TESTS_VAULT_VAULT_FIXTURE_HPP

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>

#include "credvault/vault.hpp"

#include "test_util.hpp"

namespace credvault::test {

// A directory under the system's temporary directory, unique to this
// process and call, removed with everything in it on destruction.
class temp_dir {
 public:
  temp_dir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("credvault-test-" + std::to_string(::getpid()) + "-" +
             std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline key_source test_key(char fill = 'k') {
  return key_source::raw_key(secret(std::string(32, fill)));
}

inline open_options create_options() {
  open_options o;
  o.mode = open_mode::create_if_missing;
  o.scrypt_log2_n = 10;
  return o;
}

// A vault created in its own temporary directory.
struct vault_fixture {
  vault_fixture() { reopen(create_options()); }

  void reopen(const open_options& options = create_options()) {
    v.reset();
    auto opened = vault::open(dir.path() / "vault", test_key(), options);
    CREDVAULT_REQUIRE_OK(opened);
    v = std::move(*opened);
  }

  temp_dir dir;
  std::unique_ptr<vault> v;
};

}  // namespace credvault::test

#endif  // CREDVAULT_TESTS_VAULT_VAULT_FIXTURE_HPP
