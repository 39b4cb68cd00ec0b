#include "store/cursor.hpp"

#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "store/environment.hpp"
#include "store_fixture.hpp"
#include "test_util.hpp"

namespace {

using namespace credvault::store;
using namespace credvault::store::test;
using credvault::result;
using keys = std::vector<std::string>;

// The fixture's keys, each stored with the value "v" + key.
struct cursor_fixture : store_fixture {
  cursor_fixture() {
    for (const char* key : {"a/1", "a/2", "a/3", "b/1", "b/2", "c"}) {
      put(*env, items(), key, std::string("v") + key);
    }
  }
};

// The keys from seek(prefix) on, forward, while they start with `prefix`;
// requires that every value matches its key.
keys scan_forward(cursor& c, std::string_view prefix) {
  keys found;
  result<bool> at = c.seek(prefix);
  for (; at.ok() && *at && c.key().starts_with(prefix); at = c.next()) {
    BOOST_TEST(c.value() == "v" + std::string(c.key()));
    found.emplace_back(c.key());
  }
  CREDVAULT_REQUIRE_OK(at);
  return found;
}

// The same, backwards from seek_last(prefix).
keys scan_backward(cursor& c, std::string_view prefix) {
  keys found;
  result<bool> at = c.seek_last(prefix);
  for (; at.ok() && *at && c.key().starts_with(prefix); at = c.prev()) {
    BOOST_TEST(c.value() == "v" + std::string(c.key()));
    found.emplace_back(c.key());
  }
  CREDVAULT_REQUIRE_OK(at);
  return found;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(store_cursor, cursor_fixture)

BOOST_AUTO_TEST_CASE(seek_walks_a_prefix_forward) {
  result<read_txn> txn = env->begin_read();
  CREDVAULT_REQUIRE_OK(txn);
  result<cursor> c = txn->open_cursor(items());
  CREDVAULT_REQUIRE_OK(c);

  BOOST_TEST(scan_forward(*c, "a/") == (keys{"a/1", "a/2", "a/3"}));
  BOOST_TEST(scan_forward(*c, "b/") == (keys{"b/1", "b/2"}));
  BOOST_TEST(scan_forward(*c, "") ==
             (keys{"a/1", "a/2", "a/3", "b/1", "b/2", "c"}));
  BOOST_TEST(scan_forward(*c, "bb").empty());
}

BOOST_AUTO_TEST_CASE(seek_last_walks_a_prefix_backward) {
  result<read_txn> txn = env->begin_read();
  CREDVAULT_REQUIRE_OK(txn);
  result<cursor> c = txn->open_cursor(items());
  CREDVAULT_REQUIRE_OK(c);

  BOOST_TEST(scan_backward(*c, "a/") == (keys{"a/3", "a/2", "a/1"}));
  BOOST_TEST(scan_backward(*c, "b/") == (keys{"b/2", "b/1"}));
  BOOST_TEST(scan_backward(*c, "c") == (keys{"c"}));
  BOOST_TEST(scan_backward(*c, "") ==
             (keys{"c", "b/2", "b/1", "a/3", "a/2", "a/1"}));
}

BOOST_AUTO_TEST_CASE(seek_last_of_absent_prefix_is_false) {
  result<read_txn> txn = env->begin_read();
  CREDVAULT_REQUIRE_OK(txn);
  result<cursor> c = txn->open_cursor(items());
  CREDVAULT_REQUIRE_OK(c);

  for (std::string_view prefix : {"a/0", "a/4", "bb", "z", "0"}) {
    result<bool> found = c->seek_last(prefix);

    CREDVAULT_REQUIRE_OK(found);
    BOOST_TEST(!*found, "prefix " << prefix);
    BOOST_TEST(c->key().empty());
  }
}

BOOST_AUTO_TEST_CASE(seek_last_handles_prefixes_ending_in_0xff) {
  for (const char* key : {"\xfe\x01", "\xff", "\xff\xff", "\xff\xff\x01"}) {
    put(*env, other(), key, std::string("v") + key);
  }
  result<read_txn> txn = env->begin_read();
  CREDVAULT_REQUIRE_OK(txn);
  result<cursor> c = txn->open_cursor(other());
  CREDVAULT_REQUIRE_OK(c);

  BOOST_TEST(scan_backward(*c, "\xff\xff") ==
             (keys{"\xff\xff\x01", "\xff\xff"}));
  BOOST_TEST(scan_backward(*c, "\xfe") == (keys{"\xfe\x01"}));
  BOOST_TEST(scan_backward(*c, "\xff\x01").empty());
}

BOOST_AUTO_TEST_CASE(moves_past_either_end_are_false) {
  result<read_txn> txn = env->begin_read();
  CREDVAULT_REQUIRE_OK(txn);
  result<cursor> c = txn->open_cursor(items());
  CREDVAULT_REQUIRE_OK(c);

  result<bool> past_last = c->seek("d");
  result<bool> at_last = c->last();
  result<bool> after_last = c->next();
  result<bool> at_first = c->first();
  result<bool> before_first = c->prev();

  BOOST_TEST((past_last.ok() && !*past_last));
  BOOST_TEST((at_last.ok() && *at_last));
  BOOST_TEST((after_last.ok() && !*after_last));
  BOOST_TEST((at_first.ok() && *at_first));
  BOOST_TEST((before_first.ok() && !*before_first));
  BOOST_TEST(c->key().empty());
}

BOOST_AUTO_TEST_CASE(unpositioned_next_and_prev_start_at_the_ends) {
  result<read_txn> txn = env->begin_read();
  CREDVAULT_REQUIRE_OK(txn);
  result<cursor> forward = txn->open_cursor(items());
  CREDVAULT_REQUIRE_OK(forward);
  result<cursor> backward = txn->open_cursor(items());
  CREDVAULT_REQUIRE_OK(backward);

  CREDVAULT_REQUIRE_OK(forward->next());
  CREDVAULT_REQUIRE_OK(backward->prev());

  BOOST_TEST(forward->key() == "a/1");
  BOOST_TEST(backward->key() == "c");
}

BOOST_AUTO_TEST_CASE(cursor_on_empty_table_finds_nothing) {
  result<read_txn> txn = env->begin_read();
  CREDVAULT_REQUIRE_OK(txn);
  result<cursor> c = txn->open_cursor(other());
  CREDVAULT_REQUIRE_OK(c);

  result<bool> first = c->first();
  result<bool> last = c->seek_last("");

  BOOST_TEST((first.ok() && !*first));
  BOOST_TEST((last.ok() && !*last));
}

BOOST_AUTO_TEST_CASE(cursor_in_write_txn_sees_uncommitted_puts) {
  result<keys> seen = env->write([&](write_txn& txn) -> result<keys> {
    result<put_status> stored = txn.put(items(), "a/25", "va/25");
    if (!stored.ok()) {
      return std::move(stored).error();
    }
    result<cursor> c = txn.open_cursor(items());
    if (!c.ok()) {
      return std::move(c).error();
    }
    return scan_forward(*c, "a/");
  });

  CREDVAULT_REQUIRE_OK(seen);
  BOOST_TEST(*seen == (keys{"a/1", "a/2", "a/25", "a/3"}));
}

BOOST_AUTO_TEST_CASE(moved_cursor_keeps_its_position) {
  result<read_txn> txn = env->begin_read();
  CREDVAULT_REQUIRE_OK(txn);
  result<cursor> c = txn->open_cursor(items());
  CREDVAULT_REQUIRE_OK(c);
  CREDVAULT_REQUIRE_OK(c->seek("b/"));

  cursor moved(std::move(*c));
  CREDVAULT_REQUIRE_OK(moved.next());

  BOOST_TEST(moved.key() == "b/2");
  BOOST_TEST(c->key().empty());
}

BOOST_AUTO_TEST_SUITE_END()
