#include "vault/unlock.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/random.hpp"

namespace credvault {
namespace {

error key_file_error(const std::filesystem::path& path, std::string what) {
  return error(errc::invalid_input,
               "key file " + path.string() + ": " + std::move(what));
}

// Closes a file descriptor when it goes out of scope.
class fd_guard {
 public:
  explicit fd_guard(int fd) noexcept : fd_(fd) {}
  fd_guard(const fd_guard&) = delete;
  fd_guard& operator=(const fd_guard&) = delete;
  ~fd_guard() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  int get() const noexcept { return fd_; }

 private:
  int fd_;
};

// Reads exactly one key's bytes, and refuses a file that others may read:
// a key any local user can copy protects nothing.
result<crypto::key256> read_key_file(const std::filesystem::path& path) {
  fd_guard fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) {
    return key_file_error(path, std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return key_file_error(path, "not a regular file");
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return key_file_error(
        path, "others may read it (run: chmod 600 " + path.string() + ")");
  }
  if (st.st_size != crypto::key256::size) {
    return key_file_error(path, "must hold exactly 32 bytes, holds " +
                                    std::to_string(st.st_size));
  }

  result<crypto::key256> key = crypto::key256::zeroed();
  if (!key) {
    return key;
  }
  crypto::mutable_bytes out = key->writable();
  ssize_t got = ::read(fd.get(), out.data(), out.size());
  if (got != static_cast<ssize_t>(out.size())) {
    return key_file_error(path, "could not be read whole");
  }
  return key;
}

result<crypto::key256> key_from_secret(const secret& s, std::string_view what) {
  if (s.size() != crypto::key256::size) {
    return error(errc::invalid_input, std::string(what) +
                                          " must be exactly 32 bytes, not " +
                                          std::to_string(s.size()));
  }
  return crypto::key256::from_bytes(crypto::as_bytes(s.reveal()));
}

}  // namespace

key_source key_source::key_file(std::filesystem::path path) {
  key_source s(kind::key_file);
  s.path_ = std::move(path);
  return s;
}

key_source key_source::passphrase(secret passphrase) {
  key_source s(kind::passphrase);
  s.secret_ = std::move(passphrase);
  return s;
}

key_source key_source::raw_key(secret key) {
  key_source s(kind::raw_key);
  s.secret_ = std::move(key);
  return s;
}

key_source key_source::callback(std::function<result<secret>()> fetch) {
  key_source s(kind::callback);
  s.fetch_ = std::move(fetch);
  return s;
}

key_source::key_source(const key_source& other)
    : kind_(other.kind_),
      path_(other.path_),
      secret_(other.secret_.clone()),
      fetch_(other.fetch_) {}

key_source& key_source::operator=(const key_source& other) {
  if (this != &other) {
    key_source copy(other);
    *this = std::move(copy);
  }
  return *this;
}

result<void> create_key_file(const std::filesystem::path& path) {
  std::array<std::byte, crypto::key256::size> bytes{};
  if (auto r = crypto::random_bytes(bytes); !r) {
    return r;
  }

  fd_guard fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                     S_IRUSR | S_IWUSR));
  if (fd.get() < 0) {
    int e = errno;
    wipe(bytes.data(), bytes.size());
    return error(e == EEXIST ? errc::conflict : errc::storage,
                 "key file " + path.string() + ": " + std::strerror(e));
  }
  ssize_t put = ::write(fd.get(), bytes.data(), bytes.size());
  wipe(bytes.data(), bytes.size());
  if (put != static_cast<ssize_t>(bytes.size()) || ::fsync(fd.get()) != 0) {
    return error(errc::storage,
                 "key file " + path.string() + ": could not be written whole");
  }
  return {};
}

}  // namespace credvault

namespace credvault::vault_detail {

result<crypto::key256> derive_kek(
    const key_source& source,
    const std::optional<crypto::passphrase_params>& params) {
  const bool is_passphrase =
      source.source_kind() == key_source::kind::passphrase;
  if (is_passphrase != params.has_value()) {
    return error(errc::wrong_key, is_passphrase
                                      ? "this vault is unlocked by a key, "
                                        "not a passphrase"
                                      : "this vault is unlocked by a "
                                        "passphrase");
  }

  switch (source.source_kind()) {
    case key_source::kind::key_file:
      return read_key_file(source.path());
    case key_source::kind::passphrase:
      if (source.secret_value().empty()) {
        return error(errc::invalid_input, "the passphrase is empty");
      }
      return crypto::derive_kek(source.secret_value().reveal(), *params);
    case key_source::kind::raw_key:
      return key_from_secret(source.secret_value(), "the raw key");
    case key_source::kind::callback: {
      if (!source.fetch()) {
        return error(errc::invalid_input, "the key callback is empty");
      }
      result<secret> key = source.fetch()();
      if (!key) {
        return error(errc::invalid_input,
                     "the key callback failed: " + key.error().message());
      }
      return key_from_secret(*key, "the key from the callback");
    }
  }
  return error(errc::internal, "unknown key source");
}

}  // namespace credvault::vault_detail
