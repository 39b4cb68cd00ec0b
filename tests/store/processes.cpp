// Several processes on one environment. Each child opens an environment
// of its own after fork(), as the store requires, and reports through its
// exit status: Boost.Test runs in the parent only.
#include <cstdio>
#include <optional>
#include <signal.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>

#include <boost/test/unit_test.hpp>

#include "store/environment.hpp"
#include "store_fixture.hpp"
#include "test_util.hpp"

namespace {

using namespace credvault::store;
using namespace credvault::store::test;
using credvault::result;

constexpr std::size_t value_size = 8192;
// Enough to grow a map of test_options() at least twice over.
constexpr std::size_t grown_count = 4 * mib / value_size;

// In a child: opens `dir` and writes entries [0, count) to "items". Exit
// status 0 on success, 1 when the open failed, 2 when the write did.
int write_entries_in_child(const std::filesystem::path& dir,
                           std::size_t count) {
  result<std::unique_ptr<environment>> env =
      environment::open(dir, test_options());
  if (!env.ok()) {
    return 1;
  }
  const table items = *(*env)->find_table("items");
  return put_entries(**env, items, 0, count, value_size) > 0 ? 0 : 2;
}

// In a child: opens `dir` and checks that no reader slot is held. Exit
// status 0 when none is, 1 when the open failed, 2 otherwise.
int count_no_readers_in_child(const std::filesystem::path& dir) {
  result<std::unique_ptr<environment>> env =
      environment::open(dir, test_options());
  if (!env.ok()) {
    return 1;
  }
  result<environment_stat> st = (*env)->stat();
  return st.ok() && st->readers == 0 ? 0 : 2;
}

// In a child: opens `dir`, begins a read transaction, says so on `ready`
// ('r', or 'x' on failure) and waits to be killed.
[[noreturn]] void read_until_killed(const std::filesystem::path& dir,
                                    int ready) {
  result<std::unique_ptr<environment>> env =
      environment::open(dir, test_options());
  std::optional<result<read_txn>> txn;
  if (env.ok()) {
    txn.emplace((*env)->begin_read());
  }
  const char signal = txn.has_value() && txn->ok() ? 'r' : 'x';
  (void)!::write(ready, &signal, 1);
  for (;;) {
    ::pause();
  }
}

// Starts a read_until_killed child; returns its pid once its transaction
// is live, or -1 (having killed it) when it could not begin one.
pid_t start_reader_child(const std::filesystem::path& dir) {
  int ready[2];
  BOOST_REQUIRE(::pipe(ready) == 0);
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(ready[0]);
    read_until_killed(dir, ready[1]);
  }

  ::close(ready[1]);
  char signal = 0;
  const bool live =
      pid > 0 && ::read(ready[0], &signal, 1) == 1 && signal == 'r';
  ::close(ready[0]);
  if (!live && pid > 0) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
  return live ? pid : -1;
}

void kill_and_reap(pid_t pid) {
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
}

environment_stat stat_of(environment& env) {
  result<environment_stat> st = env.stat();
  CREDVAULT_REQUIRE_OK(st);
  return *st;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(store_processes, store_fixture)

BOOST_AUTO_TEST_CASE(write_from_another_process_is_seen) {
  put(*env, items(), "parent", "here");

  const int status =
      run_in_child([&] { return write_entries_in_child(dir, 4); });

  BOOST_TEST(status == 0);
  BOOST_TEST(bad_entries(*env, items(), 4, value_size) == 0u);
  BOOST_TEST(get(*env, items(), "parent") == "here");
}

BOOST_AUTO_TEST_CASE(map_grown_by_another_process_is_adopted_by_a_reader) {
  const std::size_t before = stat_of(*env).map_size;

  const int status =
      run_in_child([&] { return write_entries_in_child(dir, grown_count); });
  // The first transaction after the child's growth: a read.
  const std::size_t bad = bad_entries(*env, items(), grown_count, value_size);

  BOOST_TEST(status == 0);
  BOOST_TEST(bad == 0u);
  BOOST_TEST(before == mib);
  BOOST_TEST(stat_of(*env).map_size >= 4 * mib);
}

BOOST_AUTO_TEST_CASE(map_grown_by_another_process_is_adopted_by_a_writer) {
  const std::size_t before = stat_of(*env).map_size;

  const int status =
      run_in_child([&] { return write_entries_in_child(dir, grown_count); });
  // The first transaction after the child's growth: a write.
  result<put_status> written = env->write(
      [&](write_txn& txn) { return txn.put(items(), "parent", "after"); });

  BOOST_TEST(status == 0);
  CREDVAULT_REQUIRE_OK(written);
  BOOST_TEST(before == mib);
  BOOST_TEST(stat_of(*env).map_size >= 4 * mib);
  BOOST_TEST(bad_entries(*env, items(), grown_count, value_size) == 0u);
  BOOST_TEST(get(*env, items(), "parent") == "after");
}

BOOST_AUTO_TEST_CASE(stale_reader_of_a_killed_process_is_cleared_on_open) {
  const pid_t reader = start_reader_child(dir);
  BOOST_REQUIRE(reader > 0);
  const std::size_t while_alive = stat_of(*env).readers;

  kill_and_reap(reader);
  const std::size_t after_death = stat_of(*env).readers;
  // This process keeps the environment open, so the child's open is not
  // the first, and LMDB does not reset the lock file: only the open's
  // check for dead readers frees the slot.
  const int status =
      run_in_child([&] { return count_no_readers_in_child(dir); });

  BOOST_TEST(while_alive == 1u);
  BOOST_TEST(after_death == 1u);
  BOOST_TEST(status == 0);
  BOOST_TEST(stat_of(*env).readers == 0u);
}

BOOST_AUTO_TEST_CASE(clear_stale_readers_frees_slot_of_a_killed_process) {
  const pid_t reader = start_reader_child(dir);
  BOOST_REQUIRE(reader > 0);
  kill_and_reap(reader);

  result<std::size_t> cleared = env->clear_stale_readers();

  CREDVAULT_REQUIRE_OK(cleared);
  BOOST_TEST(*cleared == 1u);
  BOOST_TEST(stat_of(*env).readers == 0u);
}

BOOST_AUTO_TEST_CASE(live_reader_of_another_process_is_not_cleared) {
  const pid_t reader = start_reader_child(dir);
  BOOST_REQUIRE(reader > 0);

  result<std::size_t> cleared = env->clear_stale_readers();
  const std::size_t readers = stat_of(*env).readers;
  kill_and_reap(reader);

  CREDVAULT_REQUIRE_OK(cleared);
  BOOST_TEST(*cleared == 0u);
  BOOST_TEST(readers == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
