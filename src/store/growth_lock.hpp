// The lock that keeps an environment's memory map in place while
// transactions use it.
//
// Every live transaction holds it shared; changing the map size (growing
// it, or adopting a size another process chose) takes it exclusively,
// because LMDB then unmaps the old map and every pointer into it dies.
//
// A waiting writer goes ahead of new readers, so a steady stream of read
// transactions cannot starve growth. The price: a thread must never hold it
// shared twice. Its second request would queue behind a waiting writer,
// which waits for the first: hence the store's rule of at most one live
// transaction per thread and environment.
#ifndef CREDVAULT_STORE_GROWTH_LOCK_HPP
#define CREDVAULT_STORE_GROWTH_LOCK_HPP

#include <pthread.h>

namespace credvault::store {

// Meets the SharedMutex requirements, for std::shared_lock and
// std::unique_lock. Neither copied nor moved.
class growth_lock {
 public:
  growth_lock() noexcept;
  growth_lock(const growth_lock&) = delete;
  growth_lock& operator=(const growth_lock&) = delete;
  ~growth_lock();

  void lock() noexcept;
  void unlock() noexcept;
  void lock_shared() noexcept;
  void unlock_shared() noexcept;

 private:
  pthread_rwlock_t rwlock_;
};

}  // namespace credvault::store

#endif  // CREDVAULT_STORE_GROWTH_LOCK_HPP
