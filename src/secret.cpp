#include "credvault/secret.hpp"

#include <cstring>
#include <ostream>

#include <openssl/crypto.h>

namespace credvault {
namespace {

// Every secret owns an exact-size heap block, never an inline buffer, so
// that moving a secret never leaves a copy of its bytes behind.
char* copy_into_new_block(std::string_view bytes) {
  if (bytes.empty()) {
    return nullptr;
  }
  char* block = new char[bytes.size()];
  std::memcpy(block, bytes.data(), bytes.size());
  return block;
}

}  // namespace

void wipe(void* data, std::size_t size) noexcept {
  if (data != nullptr && size != 0) {
    OPENSSL_cleanse(data, size);
  }
}

secret::secret(std::string_view bytes)
    : data_(copy_into_new_block(bytes)), size_(bytes.size()) {}

secret::secret(secret&& other) noexcept
    : data_(other.data_), size_(other.size_) {
  other.data_ = nullptr;
  other.size_ = 0;
}

secret& secret::operator=(secret&& other) noexcept {
  if (this != &other) {
    clear();
    data_ = other.data_;
    size_ = other.size_;
    other.data_ = nullptr;
    other.size_ = 0;
  }
  return *this;
}

secret::~secret() {
  clear();
}

secret secret::clone() const {
  return secret(reveal());
}

void secret::assign(std::string_view bytes) {
  // Allocate first: if that throws, the old contents are left intact.
  char* block = copy_into_new_block(bytes);
  clear();
  data_ = block;
  size_ = bytes.size();
}

void secret::clear() noexcept {
  wipe(data_, size_);
  delete[] data_;
  data_ = nullptr;
  size_ = 0;
}

bool operator==(const secret& a, const secret& b) noexcept {
  if (a.size_ != b.size_) {
    return false;
  }
  return a.size_ == 0 || CRYPTO_memcmp(a.data_, b.data_, a.size_) == 0;
}

std::ostream& operator<<(std::ostream& os, const secret&) {
  return os << secret_mask;
}

}  // namespace credvault
