#include <atomic>
#include <string>
#include <thread>
#include <utility>

#include <boost/test/unit_test.hpp>

#include "store/environment.hpp"
#include "store_fixture.hpp"
#include "test_util.hpp"

namespace {

using namespace credvault::store;
using namespace credvault::store::test;
using credvault::errc;
using credvault::result;

constexpr std::size_t value_size = 8192;

std::size_t map_size_of(environment& env) {
  result<environment_stat> st = env.stat();
  CREDVAULT_REQUIRE_OK(st);
  return st->map_size;
}

// Readers that check, over and over until stopped, that the keys "a" and
// "b", which every write sets together, always agree; each renews its
// snapshot between checks, as a long-lived reader would.
class agreement_readers {
 public:
  agreement_readers(environment& env, table t) : env_(env), table_(t) {
    for (std::thread& thread : threads_) {
      thread = std::thread([this] { read_until_stopped(); });
    }
  }

  agreement_readers(const agreement_readers&) = delete;
  agreement_readers& operator=(const agreement_readers&) = delete;
  ~agreement_readers() { stop(); }

  void stop() {
    stop_ = true;
    for (std::thread& thread : threads_) {
      if (thread.joinable()) {
        thread.join();
      }
    }
  }

  std::size_t checks() const { return checks_; }
  std::size_t failures() const { return failures_; }

 private:
  void read_until_stopped() {
    result<read_txn> txn = env_.begin_read();
    if (!txn.ok()) {
      ++failures_;
    }
    while (txn.ok() && !stop_) {
      check(*txn);
      txn->reset();
      if (!txn->renew().ok()) {
        ++failures_;
        return;
      }
    }
  }

  void check(const read_txn& txn) {
    result<std::optional<std::string_view>> a = txn.get(table_, "a");
    result<std::optional<std::string_view>> b = txn.get(table_, "b");
    if (!a.ok() || !b.ok() || *a != *b) {
      ++failures_;
    }
    ++checks_;
  }

  environment& env_;
  table table_;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> checks_{0};
  std::atomic<std::size_t> failures_{0};
  std::thread threads_[2];
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(store_growth, store_fixture)

BOOST_AUTO_TEST_CASE(transaction_larger_than_the_map_grows_it_and_keeps_all) {
  const std::size_t count = 4 * mib / value_size;

  const std::size_t runs = put_entries(*env, items(), 0, count, value_size);

  BOOST_TEST(runs > 1u);
  BOOST_TEST(map_size_of(*env) >= 4 * mib);
  BOOST_TEST(bad_entries(*env, items(), count, value_size) == 0u);
}

BOOST_AUTO_TEST_CASE(many_transactions_grow_the_map_and_keep_all) {
  const std::size_t per_write = 16;
  const std::size_t writes = 4 * mib / value_size / per_write;

  std::size_t failed = 0;
  for (std::size_t w = 0; w < writes; ++w) {
    if (put_entries(*env, items(), w * per_write, per_write, value_size) == 0) {
      ++failed;
    }
  }

  BOOST_TEST(failed == 0u);
  BOOST_TEST(map_size_of(*env) >= 4 * mib);
  BOOST_TEST(bad_entries(*env, items(), writes * per_write, value_size) == 0u);
}

BOOST_AUTO_TEST_CASE(function_that_ignores_map_full_still_runs_again) {
  const std::size_t count = 2 * mib / value_size;
  std::size_t runs = 0;

  result<void> written = env->write([&](write_txn& txn) -> result<void> {
    ++runs;
    for (std::size_t i = 0; i < count; ++i) {
      (void)txn.put(items(), key_for(i), value_for(i, value_size));
    }
    return {};
  });

  CREDVAULT_REQUIRE_OK(written);
  BOOST_TEST(runs > 1u);
  BOOST_TEST(bad_entries(*env, items(), count, value_size) == 0u);
}

BOOST_AUTO_TEST_CASE(growth_stops_at_max_map_size_and_changes_nothing) {
  options capped = test_options();
  capped.max_map_size = 2 * mib;
  reopen(capped);

  const std::size_t runs =
      put_entries(*env, items(), 0, 4 * mib / value_size, value_size);
  result<environment_stat> st = env->stat();

  BOOST_TEST(runs == 0u);
  CREDVAULT_REQUIRE_OK(st);
  BOOST_TEST(st->tables[0].entries == 0u);
  BOOST_TEST(st->map_size <= 2 * mib);
  put(*env, items(), "small", "fits");
  BOOST_TEST(get(*env, items(), "small") == "fits");
}

BOOST_AUTO_TEST_CASE(growth_error_names_max_map_size) {
  options capped = test_options();
  capped.max_map_size = mib;
  reopen(capped);
  const std::string big(2 * mib, 'x');

  result<put_status> written =
      env->write([&](write_txn& txn) { return txn.put(items(), "k", big); });

  CREDVAULT_REQUIRE_ERROR(written, errc::storage);
  BOOST_TEST(written.error().message().find("max_map_size") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(readers_see_whole_commits_while_a_writer_grows_the_map) {
  agreement_readers readers(*env, items());

  std::size_t failed = 0;
  for (std::size_t i = 0; i < 100; ++i) {
    const std::string value = std::to_string(i);
    result<void> written = env->write([&](write_txn& txn) -> result<void> {
      for (std::string_view key : {"a", "b"}) {
        if (result<put_status> r = txn.put(items(), key, value); !r.ok()) {
          return std::move(r).error();
        }
      }
      result<put_status> filler =
          txn.put(other(), key_for(i), value_for(i, 4 * value_size));
      return filler.ok() ? result<void>() : std::move(filler).error();
    });
    failed += written.ok() ? 0u : 1u;
  }
  readers.stop();

  BOOST_TEST(failed == 0u);
  BOOST_TEST(readers.failures() == 0u);
  BOOST_TEST(readers.checks() > 0u);
  BOOST_TEST(map_size_of(*env) > mib);
  BOOST_TEST(get(*env, items(), "a") == "99");
}

BOOST_AUTO_TEST_SUITE_END()
