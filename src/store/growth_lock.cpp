#include "store/growth_lock.hpp"

#include <cassert>

namespace credvault::store {

growth_lock::growth_lock() noexcept {
  // glibc's default rwlock lets readers overtake a waiting writer; ask for
  // the kind that does not.
  pthread_rwlockattr_t attr;
  pthread_rwlockattr_init(&attr);
  pthread_rwlockattr_setkind_np(&attr,
                                PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
  [[maybe_unused]] const int rc = pthread_rwlock_init(&rwlock_, &attr);
  assert(rc == 0);
  pthread_rwlockattr_destroy(&attr);
}

growth_lock::~growth_lock() {
  pthread_rwlock_destroy(&rwlock_);
}

// The calls below fail only on misuse (a deadlock on ourselves, unlocking a
// lock not held), which the store's rules exclude.
void growth_lock::lock() noexcept {
  [[maybe_unused]] const int rc = pthread_rwlock_wrlock(&rwlock_);
  assert(rc == 0);
}

void growth_lock::unlock() noexcept {
  [[maybe_unused]] const int rc = pthread_rwlock_unlock(&rwlock_);
  assert(rc == 0);
}

void growth_lock::lock_shared() noexcept {
  [[maybe_unused]] const int rc = pthread_rwlock_rdlock(&rwlock_);
  assert(rc == 0);
}

void growth_lock::unlock_shared() noexcept {
  unlock();
}

}  // namespace credvault::store
