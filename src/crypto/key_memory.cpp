#include "crypto/key_memory.hpp"

#include <algorithm>
#include <cstring>
#include <mutex>
#include <new>
#include <string>
#include <sys/mman.h>
#include <unistd.h>
#include <utility>
#include <vector>

#include <openssl/crypto.h>

#include "crypto/random.hpp"

namespace credvault::crypto {
namespace {

// The pool of key slots, one per process, never copied. Free slots are
// listed outside the pages, so a released slot holds nothing but zeros.
class key_arena {
 public:
  // Never destroyed: a key with static storage may die after every other
  // static object, and must still find its arena.
  static key_arena& instance() {
    static key_arena* const arena = new key_arena;
    return *arena;
  }

  // A zeroed slot of key256::size bytes, or nullptr when mapping fails.
  std::byte* allocate() noexcept {
    std::lock_guard lock(mutex_);
    if (free_.empty() && !map_page()) {
      return nullptr;
    }
    std::byte* slot = free_.back();
    free_.pop_back();
    return slot;
  }

  // Wipes `slot` and takes it back for the next key.
  void release(std::byte* slot) noexcept {
    OPENSSL_cleanse(slot, key256::size);

    // Cannot allocate: map_page() reserved room for every slot.
    std::lock_guard lock(mutex_);
    free_.push_back(slot);
  }

 private:
  // Maps, guards and lists one more page of slots.
  bool map_page() noexcept {
    void* page = mmap(nullptr, page_size_, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) {
      return false;
    }
    guard(page);

    const std::size_t slots = page_size_ / key256::size;
    try {
      free_.reserve(total_slots_ + slots);
    } catch (const std::bad_alloc&) {
      munmap(page, page_size_);
      return false;
    }
    total_slots_ += slots;

    // Listed backwards, so slots are handed out from the start of the page.
    auto* first = static_cast<std::byte*>(page);
    for (std::size_t i = slots; i > 0; --i) {
      free_.push_back(first + (i - 1) * key256::size);
    }
    return true;
  }

  // Failures are tolerated: without the lock the page may be swapped out,
  // and kernels without MADV_DONTDUMP dump it; the key still works.
  void guard(void* page) const noexcept {
    static_cast<void>(mlock(page, page_size_));
#ifdef MADV_DONTDUMP
    static_cast<void>(madvise(page, page_size_, MADV_DONTDUMP));
#endif
  }

  const std::size_t page_size_ = std::max<std::size_t>(
      static_cast<std::size_t>(sysconf(_SC_PAGESIZE)), key256::size);
  std::mutex mutex_;
  std::vector<std::byte*> free_;
  std::size_t total_slots_ = 0;
};

}  // namespace

result<key256> key256::zeroed() {
  std::byte* slot = key_arena::instance().allocate();
  if (slot == nullptr) {
    return error(errc::internal, "could not map memory for keys");
  }
  return key256(slot);
}

result<key256> key256::random() {
  result<key256> key = zeroed();
  if (!key) {
    return key;
  }

  if (result<void> r = random_bytes(key->writable()); !r) {
    return std::move(r).error();
  }
  return key;
}

result<key256> key256::from_bytes(bytes_view bytes) {
  if (bytes.size() != size) {
    return error(errc::invalid_input,
                 "a key must be 32 bytes, not " + std::to_string(bytes.size()));
  }

  result<key256> key = zeroed();
  if (key) {
    std::memcpy(key->slot_, bytes.data(), size);
  }
  return key;
}

key256::key256(key256&& other) noexcept
    : slot_(std::exchange(other.slot_, nullptr)) {}

key256& key256::operator=(key256&& other) noexcept {
  if (this != &other) {
    release();
    slot_ = std::exchange(other.slot_, nullptr);
  }
  return *this;
}

key256::~key256() {
  release();
}

bytes_view key256::reveal() const noexcept {
  return {slot_, slot_ == nullptr ? 0 : size};
}

mutable_bytes key256::writable() noexcept {
  return {slot_, slot_ == nullptr ? 0 : size};
}

void key256::release() noexcept {
  if (slot_ != nullptr) {
    key_arena::instance().release(slot_);
    slot_ = nullptr;
  }
}

}  // namespace credvault::crypto
