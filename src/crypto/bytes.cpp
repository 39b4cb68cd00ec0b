#include "crypto/bytes.hpp"

#include <utility>

#include <openssl/crypto.h>

#include "credvault/secret.hpp"

namespace credvault::crypto {

bool equal_constant_time(bytes_view a, bytes_view b) noexcept {
  if (a.size() != b.size()) {
    return false;
  }
  return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

wiped_buffer::wiped_buffer(std::size_t size)
    : data_(size == 0 ? nullptr : new std::byte[size]()), size_(size) {}

wiped_buffer::wiped_buffer(wiped_buffer&& other) noexcept
    : data_(std::move(other.data_)), size_(std::exchange(other.size_, 0)) {}

wiped_buffer& wiped_buffer::operator=(wiped_buffer&& other) noexcept {
  if (this != &other) {
    release();
    data_ = std::move(other.data_);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

wiped_buffer::~wiped_buffer() {
  release();
}

void wiped_buffer::release() noexcept {
  wipe(data_.get(), size_);
  data_.reset();
  size_ = 0;
}

}  // namespace credvault::crypto
