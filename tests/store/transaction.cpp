#include "store/transaction.hpp"

#include <string>
#include <thread>
#include <type_traits>
#include <utility>

#include <boost/test/unit_test.hpp>

#include "store/environment.hpp"
#include "store_fixture.hpp"
#include "test_util.hpp"

namespace {

using namespace credvault::store;
using namespace credvault::store::test;
using credvault::errc;
using credvault::error;
using credvault::result;

// Handles are move-only, and nothing converts to a raw LMDB handle.
static_assert(!std::is_copy_constructible_v<read_txn>);
static_assert(std::is_nothrow_move_constructible_v<read_txn>);
static_assert(!std::is_copy_constructible_v<write_txn>);
static_assert(!std::is_move_constructible_v<write_txn>);
static_assert(!std::is_copy_constructible_v<cursor>);
static_assert(std::is_nothrow_move_constructible_v<cursor>);
static_assert(!std::is_convertible_v<read_txn, MDB_txn*>);
static_assert(!std::is_convertible_v<cursor, MDB_cursor*>);
static_assert(!std::is_convertible_v<unsigned int, table>);
static_assert(std::is_trivially_copyable_v<table>);

}  // namespace

BOOST_FIXTURE_TEST_SUITE(store_transaction, store_fixture)

BOOST_AUTO_TEST_CASE(put_get_del_round_trip) {
  put(*env, items(), "key", "value");
  BOOST_TEST(get(*env, items(), "key") == "value");

  result<bool> deleted =
      env->write([&](write_txn& txn) { return txn.del(items(), "key"); });

  CREDVAULT_REQUIRE_OK(deleted);
  BOOST_TEST(*deleted);
  BOOST_TEST(get(*env, items(), "key") == std::nullopt);
}

BOOST_AUTO_TEST_CASE(get_of_missing_key_is_empty) {
  put(*env, items(), "present", "value");

  BOOST_TEST(get(*env, items(), "absent") == std::nullopt);
  BOOST_TEST(get(*env, other(), "present") == std::nullopt);
}

BOOST_AUTO_TEST_CASE(empty_value_is_stored_and_found) {
  put(*env, items(), "key", "");

  BOOST_TEST(get(*env, items(), "key") == "");
}

BOOST_AUTO_TEST_CASE(no_overwrite_put_reports_exists_and_keeps_value) {
  put(*env, items(), "key", "first");

  result<put_status> second = env->write([&](write_txn& txn) {
    return txn.put(items(), "key", "second", put_mode::no_overwrite);
  });

  CREDVAULT_REQUIRE_OK(second);
  BOOST_TEST((*second == put_status::exists));
  BOOST_TEST(get(*env, items(), "key") == "first");
}

BOOST_AUTO_TEST_CASE(no_overwrite_put_of_new_key_stores_it) {
  result<put_status> first = env->write([&](write_txn& txn) {
    return txn.put(items(), "key", "first", put_mode::no_overwrite);
  });

  CREDVAULT_REQUIRE_OK(first);
  BOOST_TEST((*first == put_status::stored));
  BOOST_TEST(get(*env, items(), "key") == "first");
}

BOOST_AUTO_TEST_CASE(del_of_missing_key_reports_false) {
  result<bool> deleted =
      env->write([&](write_txn& txn) { return txn.del(items(), "absent"); });

  CREDVAULT_REQUIRE_OK(deleted);
  BOOST_TEST(!*deleted);
}

BOOST_AUTO_TEST_CASE(bad_keys_fail_and_change_nothing) {
  const std::string longest(max_key_size, 'k');
  const std::string too_long(max_key_size + 1, 'k');

  result<put_status> empty = env->write([&](write_txn& txn) {
    result<put_status> first = txn.put(items(), "first", "v");
    return first.ok() ? txn.put(items(), "", "v") : first;
  });
  result<put_status> oversized = env->write(
      [&](write_txn& txn) { return txn.put(items(), too_long, "v"); });

  CREDVAULT_REQUIRE_ERROR(empty, errc::invalid_input);
  CREDVAULT_REQUIRE_ERROR(oversized, errc::invalid_input);
  BOOST_TEST(oversized.error().message().find("512 bytes") !=
             std::string::npos);
  BOOST_TEST(get(*env, items(), "first") == std::nullopt);
  put(*env, items(), longest, "fits");
  BOOST_TEST(get(*env, items(), longest) == "fits");
}

BOOST_AUTO_TEST_CASE(failed_function_changes_nothing_and_returns_its_error) {
  put(*env, items(), "a", "1");
  put(*env, items(), "c", "3");

  result<void> failed = env->write([&](write_txn& txn) -> result<void> {
    if (!txn.put(items(), "a", "changed").ok() ||
        !txn.put(items(), "b", "new").ok() || !txn.del(items(), "c").ok()) {
      return error(errc::internal, "set-up failed");
    }
    return error(errc::conflict, "refused");
  });

  CREDVAULT_REQUIRE_ERROR(failed, errc::conflict);
  BOOST_TEST(failed.error().message() == "refused");
  BOOST_TEST(get(*env, items(), "a") == "1");
  BOOST_TEST(get(*env, items(), "b") == std::nullopt);
  BOOST_TEST(get(*env, items(), "c") == "3");
}

BOOST_AUTO_TEST_CASE(write_returns_the_function_value_and_sees_own_puts) {
  result<std::string> out =
      env->write([&](write_txn& txn) -> result<std::string> {
        if (!txn.put(items(), "a", "1").ok() ||
            !txn.put(items(), "b", "2").ok()) {
          return error(errc::internal, "put failed");
        }
        result<std::optional<std::string_view>> b = txn.get(items(), "b");
        result<std::size_t> n = txn.entries(items());
        if (!b.ok() || !b->has_value() || !n.ok()) {
          return error(errc::internal, "read failed");
        }
        return std::string(**b) + "/" + std::to_string(*n);
      });

  CREDVAULT_REQUIRE_OK(out);
  BOOST_TEST(*out == "2/2");
}

BOOST_AUTO_TEST_CASE(read_snapshot_ignores_later_commits_until_renewed) {
  put(*env, items(), "key", "old");
  result<read_txn> txn = env->begin_read();
  CREDVAULT_REQUIRE_OK(txn);

  // Written from another thread: this one holds a live transaction.
  bool written = false;
  std::thread([&] {
    written =
        env->write([&](write_txn& w) { return w.put(items(), "key", "new"); })
            .ok();
  }).join();
  result<std::optional<std::string_view>> before = txn->get(items(), "key");
  txn->reset();
  result<void> renewed = txn->renew();
  result<std::optional<std::string_view>> after = txn->get(items(), "key");

  BOOST_TEST(written);
  CREDVAULT_REQUIRE_OK(before);
  CREDVAULT_REQUIRE_OK(renewed);
  CREDVAULT_REQUIRE_OK(after);
  BOOST_TEST(before->value_or("none") == "old");
  BOOST_TEST(after->value_or("none") == "new");
}

BOOST_AUTO_TEST_CASE(reset_and_renew_track_active) {
  result<read_txn> txn = env->begin_read();
  CREDVAULT_REQUIRE_OK(txn);
  BOOST_TEST(txn->active());

  txn->reset();
  BOOST_TEST(!txn->active());
  txn->reset();
  BOOST_TEST(!txn->active());

  CREDVAULT_REQUIRE_OK(txn->renew());
  BOOST_TEST(txn->active());
}

BOOST_AUTO_TEST_CASE(renew_of_live_read_txn_fails) {
  result<read_txn> txn = env->begin_read();
  CREDVAULT_REQUIRE_OK(txn);

  result<void> renewed = txn->renew();

  CREDVAULT_REQUIRE_ERROR(renewed, errc::internal);
  BOOST_TEST(txn->active());
}

BOOST_AUTO_TEST_CASE(get_on_reset_read_txn_fails) {
  put(*env, items(), "key", "value");
  result<read_txn> txn = env->begin_read();
  CREDVAULT_REQUIRE_OK(txn);

  txn->reset();
  result<std::optional<std::string_view>> found = txn->get(items(), "key");

  CREDVAULT_REQUIRE_ERROR(found, errc::storage);
}

BOOST_AUTO_TEST_CASE(moved_read_txn_keeps_its_snapshot) {
  put(*env, items(), "key", "value");
  result<read_txn> txn = env->begin_read();
  CREDVAULT_REQUIRE_OK(txn);

  read_txn moved(std::move(*txn));
  result<std::optional<std::string_view>> found = moved.get(items(), "key");

  BOOST_TEST(moved.active());
  BOOST_TEST(!txn->active());
  CREDVAULT_REQUIRE_OK(found);
  BOOST_TEST(found->value_or("none") == "value");
}

BOOST_AUTO_TEST_CASE(move_assigned_read_txn_ends_its_old_one) {
  result<read_txn> first = env->begin_read();
  CREDVAULT_REQUIRE_OK(first);
  first->reset();
  result<read_txn> second = env->begin_read();
  CREDVAULT_REQUIRE_OK(second);
  second->reset();

  *first = std::move(*second);
  result<environment_stat> st = env->stat();

  CREDVAULT_REQUIRE_OK(st);
  BOOST_TEST(st->readers == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
