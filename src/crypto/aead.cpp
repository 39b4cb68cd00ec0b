#include "crypto/aead.hpp"

#include <array>
#include <atomic>
#include <cstring>
#include <mutex>
#include <string>
#include <utility>

#include <openssl/evp.h>

#include "credvault/secret.hpp"

#include "crypto/openssl.hpp"
#include "crypto/random.hpp"

namespace credvault::crypto {
namespace {

using cipher_ptr = openssl_ptr<EVP_CIPHER, EVP_CIPHER_free>;

// Fetched once: an implicit fetch at every init costs nearly as much as
// decrypting a small record.
const EVP_CIPHER* aes_256_gcm() noexcept {
  static const cipher_ptr cipher(
      EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr));
  return cipher.get();
}

// A context keyed with `key`, or nullptr with OpenSSL's reason queued.
EVP_CIPHER_CTX* new_keyed_context(bytes_view key) noexcept {
  const EVP_CIPHER* cipher = aes_256_gcm();
  EVP_CIPHER_CTX* context = cipher == nullptr ? nullptr : EVP_CIPHER_CTX_new();
  if (context == nullptr) {
    return nullptr;
  }

  if (EVP_CipherInit_ex2(context, cipher, uchars(key), nullptr, 1, nullptr) !=
      1) {
    EVP_CIPHER_CTX_free(context);
    return nullptr;
  }
  return context;
}

// Serial numbers start at 1 and are never reused within a process.
std::atomic<std::uint64_t> next_serial{1};

// One thread's keyed contexts, found by key serial number. When all entries
// are taken, the least recently used context is freed to make room.
// Neither copyable nor movable: the registry points to it.
class context_cache {
 public:
  static constexpr std::size_t capacity = 16;

  context_cache() noexcept;
  context_cache(const context_cache&) = delete;
  context_cache& operator=(const context_cache&) = delete;
  ~context_cache();

  // Held by this cache's thread while it uses a context, and by a dying key
  // while it frees its context here.
  std::mutex& mutex() noexcept { return mutex_; }

  // The context for key `serial`, created with `key` if there is none;
  // nullptr, with OpenSSL's reason queued, when creating fails.
  // REQUIRES: mutex() is held.
  EVP_CIPHER_CTX* find_or_create(std::uint64_t serial, bytes_view key) noexcept;

  // Frees the context for key `serial`, if this cache has one.
  void forget(std::uint64_t serial) noexcept;

  // How many contexts the cache holds. REQUIRES: mutex() is held.
  std::size_t size() const noexcept;

 private:
  friend class cache_registry;

  struct entry {
    std::uint64_t serial = 0;
    EVP_CIPHER_CTX* context = nullptr;  // nullptr: the entry is free
    std::uint64_t last_use = 0;
  };

  entry& vacant_entry() noexcept;

  std::mutex mutex_;
  std::array<entry, capacity> entries_{};
  std::uint64_t clock_ = 0;

  // Links in the registry's list of live caches, guarded by its mutex.
  context_cache* prev_ = nullptr;
  context_cache* next_ = nullptr;
};

// Every live context_cache, so that a dying key can free its contexts in
// all threads. Lock order: the registry's mutex, then a cache's.
// One per process, never copied, and never destroyed: caches of threads
// still running at exit point to it.
class cache_registry {
 public:
  static cache_registry& instance() noexcept {
    static cache_registry* const registry = new cache_registry;
    return *registry;
  }

  void add(context_cache* cache) noexcept {
    std::lock_guard lock(mutex_);
    cache->next_ = head_;
    if (head_ != nullptr) {
      head_->prev_ = cache;
    }
    head_ = cache;
  }

  void remove(context_cache* cache) noexcept {
    std::lock_guard lock(mutex_);
    (cache->prev_ == nullptr ? head_ : cache->prev_->next_) = cache->next_;
    if (cache->next_ != nullptr) {
      cache->next_->prev_ = cache->prev_;
    }
  }

  void forget_everywhere(std::uint64_t serial) noexcept {
    std::lock_guard lock(mutex_);
    for (context_cache* cache = head_; cache != nullptr; cache = cache->next_) {
      cache->forget(serial);
    }
  }

 private:
  std::mutex mutex_;
  context_cache* head_ = nullptr;
};

context_cache::context_cache() noexcept {
  cache_registry::instance().add(this);
}

// Once out of the registry no other thread can reach this cache, so its
// contexts are freed without the lock.
context_cache::~context_cache() {
  cache_registry::instance().remove(this);
  for (entry& e : entries_) {
    EVP_CIPHER_CTX_free(e.context);
  }
}

EVP_CIPHER_CTX* context_cache::find_or_create(std::uint64_t serial,
                                              bytes_view key) noexcept {
  ++clock_;
  for (entry& e : entries_) {
    if (e.context != nullptr && e.serial == serial) {
      e.last_use = clock_;
      return e.context;
    }
  }

  entry& fresh = vacant_entry();
  fresh.context = new_keyed_context(key);
  fresh.serial = serial;
  fresh.last_use = clock_;
  return fresh.context;
}

context_cache::entry& context_cache::vacant_entry() noexcept {
  entry* oldest = &entries_.front();
  for (entry& e : entries_) {
    if (e.context == nullptr) {
      return e;
    }
    if (e.last_use < oldest->last_use) {
      oldest = &e;
    }
  }
  EVP_CIPHER_CTX_free(oldest->context);
  oldest->context = nullptr;
  return *oldest;
}

void context_cache::forget(std::uint64_t serial) noexcept {
  std::lock_guard lock(mutex_);
  for (entry& e : entries_) {
    if (e.context != nullptr && e.serial == serial) {
      EVP_CIPHER_CTX_free(e.context);
      e.context = nullptr;
    }
  }
}

std::size_t context_cache::size() const noexcept {
  std::size_t count = 0;
  for (const entry& e : entries_) {
    count += e.context != nullptr ? 1 : 0;
  }
  return count;
}

context_cache& this_thread_cache() noexcept {
  thread_local context_cache cache;
  return cache;
}

// Runs `operation` on this thread's context for key `serial`, holding the
// cache's lock so that no dying key frees a context meanwhile.
template <class Operation>
result<void> with_context(std::uint64_t serial, bytes_view key,
                          Operation&& operation) {
  context_cache& cache = this_thread_cache();
  std::lock_guard lock(cache.mutex());
  EVP_CIPHER_CTX* context = cache.find_or_create(serial, key);
  if (context == nullptr) {
    return openssl_error("creating an AES-256-GCM context");
  }
  return operation(context);
}

bool add_aad(EVP_CIPHER_CTX* context, bytes_view aad) noexcept {
  int written = 0;
  return aad.empty() ||
         EVP_CipherUpdate(context, nullptr, &written, uchars(aad),
                          static_cast<int>(aad.size())) == 1;
}

// Writes ciphertext || tag to `out`. REQUIRES: the sizes were checked.
result<void> encrypt(EVP_CIPHER_CTX* context, bytes_view nonce, bytes_view aad,
                     bytes_view plaintext, mutable_bytes out) {
  int written = 0;
  int final_written = 0;
  const bool ok =
      EVP_EncryptInit_ex2(context, nullptr, nullptr, uchars(nonce), nullptr) ==
          1 &&
      add_aad(context, aad) &&
      EVP_EncryptUpdate(context, uchars(out), &written, uchars(plaintext),
                        static_cast<int>(plaintext.size())) == 1 &&
      EVP_EncryptFinal_ex(context, uchars(out) + written, &final_written) ==
          1 &&
      EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_GET_TAG,
                          static_cast<int>(aead_key::tag_size),
                          out.last(aead_key::tag_size).data()) == 1;
  if (!ok) {
    return openssl_error("AES-256-GCM encryption");
  }
  return {};
}

// Writes the plaintext to `out`, or wipes it. REQUIRES: sizes checked.
result<void> decrypt(EVP_CIPHER_CTX* context, bytes_view nonce, bytes_view aad,
                     bytes_view ciphertext, bytes_view tag, mutable_bytes out) {
  // OpenSSL takes the expected tag through a non-const pointer.
  std::array<std::byte, aead_key::tag_size> expected_tag;
  std::memcpy(expected_tag.data(), tag.data(), expected_tag.size());

  int written = 0;
  const bool ok =
      EVP_DecryptInit_ex2(context, nullptr, nullptr, uchars(nonce), nullptr) ==
          1 &&
      add_aad(context, aad) &&
      EVP_DecryptUpdate(context, uchars(out), &written, uchars(ciphertext),
                        static_cast<int>(ciphertext.size())) == 1 &&
      EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_TAG,
                          static_cast<int>(expected_tag.size()),
                          expected_tag.data()) == 1;
  if (!ok) {
    wipe(out.data(), out.size());
    return openssl_error("AES-256-GCM decryption");
  }

  int final_written = 0;
  if (EVP_DecryptFinal_ex(context, uchars(out) + written, &final_written) !=
      1) {
    wipe(out.data(), out.size());
    return authentication_error();
  }
  return {};
}

result<void> check_input_sizes(bytes_view aad, bytes_view text) {
  if (!fits_int(aad.size()) || !fits_int(text.size())) {
    return error(errc::invalid_input,
                 "AES-GCM input too large: at most 2 GiB of associated data "
                 "and of text");
  }
  return {};
}

result<void> check_output_size(std::string_view operation, std::size_t size,
                               std::size_t expected) {
  if (size != expected) {
    return error(errc::internal, std::string(operation) + ": output is " +
                                     std::to_string(size) +
                                     " bytes, expected " +
                                     std::to_string(expected));
  }
  return {};
}

}  // namespace

struct aead_key::state {
  state(key256 k, std::uint64_t seals_so_far)
      : key(std::move(k)), seals(seals_so_far) {}

  // The key is wiped after this body, once no context holds its schedule.
  ~state() { cache_registry::instance().forget_everywhere(serial); }

  key256 key;
  const std::uint64_t serial = next_serial.fetch_add(1);
  std::atomic<std::uint64_t> seals;
};

result<void> aead_key::check_usable() const {
  if (state_ == nullptr || state_->key.empty()) {
    return error(errc::internal, "AES-GCM key is empty or moved from");
  }
  return {};
}

aead_key::aead_key(key256 key, std::uint64_t seals_so_far)
    : state_(std::make_unique<state>(std::move(key), seals_so_far)) {}

aead_key::aead_key(aead_key&& other) noexcept = default;
aead_key& aead_key::operator=(aead_key&& other) noexcept = default;
aead_key::~aead_key() = default;

result<void> aead_key::seal(bytes_view aad, bytes_view plaintext,
                            mutable_bytes out) const {
  if (result<void> r = check_usable(); !r) {
    return r;
  }
  if (result<void> r = check_input_sizes(aad, plaintext); !r) {
    return r;
  }
  if (result<void> r = check_output_size("AES-GCM seal", out.size(),
                                         sealed_size(plaintext.size()));
      !r) {
    return r;
  }
  if (state_->seals.fetch_add(1, std::memory_order_relaxed) >= max_seals) {
    return error(errc::crypto,
                 "this key has sealed 2^32 messages, its limit; rotate it");
  }

  mutable_bytes nonce = out.first(nonce_size);
  if (result<void> r = random_bytes(nonce); !r) {
    return r;
  }

  return with_context(
      state_->serial, state_->key.reveal(), [&](EVP_CIPHER_CTX* context) {
        return encrypt(context, nonce, aad, plaintext, out.subspan(nonce_size));
      });
}

result<void> aead_key::open(bytes_view aad, bytes_view sealed,
                            mutable_bytes out) const {
  if (result<void> r = check_usable(); !r) {
    return r;
  }
  if (sealed.size() < overhead) {
    return error(errc::corrupt, "sealed data is " +
                                    std::to_string(sealed.size()) +
                                    " bytes, shorter than the 28-byte minimum");
  }
  if (result<void> r = check_input_sizes(aad, sealed); !r) {
    return r;
  }
  const std::size_t text_size = sealed.size() - overhead;
  if (result<void> r = check_output_size("AES-GCM open", out.size(), text_size);
      !r) {
    return r;
  }

  return with_context(state_->serial, state_->key.reveal(),
                      [&](EVP_CIPHER_CTX* context) {
                        return decrypt(context, sealed.first(nonce_size), aad,
                                       sealed.subspan(nonce_size, text_size),
                                       sealed.last(tag_size), out);
                      });
}

std::uint64_t aead_key::seal_count() const noexcept {
  return state_ == nullptr ? 0 : state_->seals.load(std::memory_order_relaxed);
}

const key256& aead_key::key() const noexcept {
  return state_->key;
}

std::size_t cached_contexts_in_this_thread() noexcept {
  context_cache& cache = this_thread_cache();
  std::lock_guard lock(cache.mutex());
  return cache.size();
}

}  // namespace credvault::crypto
