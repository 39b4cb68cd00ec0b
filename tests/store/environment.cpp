#include "store/environment.hpp"

#include <fstream>
#include <string>
#include <sys/stat.h>
#include <utility>

#include <boost/test/unit_test.hpp>

#include "store_fixture.hpp"
#include "test_util.hpp"

namespace {

using namespace credvault::store;
using namespace credvault::store::test;
using credvault::errc;
using credvault::result;

unsigned int mode_of(const std::filesystem::path& path) {
  struct stat st;
  BOOST_REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

// Requires that opening `dir` with `opts` fails with invalid_input and a
// message containing `words`, and leaves no directory behind.
void require_rejected(const std::filesystem::path& dir, const options& opts,
                      std::string_view words) {
  result<std::unique_ptr<environment>> opened = environment::open(dir, opts);

  CREDVAULT_REQUIRE_ERROR(opened, errc::invalid_input);
  BOOST_TEST(opened.error().message().find(words) != std::string::npos,
             opened.error().message());
  BOOST_TEST(!std::filesystem::exists(dir));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(store_environment)

BOOST_AUTO_TEST_CASE(open_creates_directory_and_owner_only_files) {
  temp_dir tmp;
  const std::filesystem::path dir = tmp.path() / "vault";

  result<std::unique_ptr<environment>> env =
      environment::open(dir, test_options());
  CREDVAULT_REQUIRE_OK(env);
  result<environment_stat> st = (*env)->stat();
  CREDVAULT_REQUIRE_OK(st);

  BOOST_TEST(st->data_file == dir / "data.mdb");
  BOOST_TEST(st->lock_file == dir / "lock.mdb");
  BOOST_TEST(mode_of(dir) == 0700u);
  BOOST_TEST(mode_of(st->data_file) == 0600u);
  BOOST_TEST(mode_of(st->lock_file) == 0600u);
}

BOOST_AUTO_TEST_CASE(open_with_bad_options_fails_naming_the_problem) {
  temp_dir tmp;
  const std::filesystem::path dir = tmp.path() / "vault";
  options empty_name = test_options();
  empty_name.tables.push_back("");
  options twice = test_options();
  twice.tables.push_back("items");
  options too_many = test_options();
  too_many.max_tables = 1;
  options no_map = test_options(0);
  options no_readers = test_options();
  no_readers.max_readers = 0;

  require_rejected(dir, empty_name, "table name is empty");
  require_rejected(dir, twice, "\"items\" is given twice");
  require_rejected(dir, too_many, "max_tables");
  require_rejected(dir, no_map, "map_size");
  require_rejected(dir, no_readers, "max_readers");
}

BOOST_FIXTURE_TEST_CASE(second_open_in_one_process_is_refused, store_fixture) {
  result<std::unique_ptr<environment>> second =
      environment::open(dir, test_options());

  CREDVAULT_REQUIRE_ERROR(second, errc::storage);
  BOOST_TEST(second.error().message().find("already open") !=
             std::string::npos);
  put(*env, items(), "still", "works");
  BOOST_TEST(get(*env, items(), "still") == "works");
}

BOOST_AUTO_TEST_CASE(open_on_a_regular_file_fails) {
  temp_dir tmp;
  const std::filesystem::path file = tmp.path() / "file";
  std::ofstream(file) << "not a directory";

  result<std::unique_ptr<environment>> env =
      environment::open(file, test_options());

  CREDVAULT_REQUIRE_ERROR(env, errc::storage);
  BOOST_TEST(env.error().message().find("not a directory") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(open_on_a_data_file_that_is_not_lmdb_is_corrupt) {
  temp_dir tmp;
  std::ofstream(tmp.path() / "data.mdb") << std::string(16384, 'Z');

  result<std::unique_ptr<environment>> env =
      environment::open(tmp.path(), test_options());

  CREDVAULT_REQUIRE_ERROR(env, errc::corrupt);
}

BOOST_FIXTURE_TEST_CASE(reopen_keeps_committed_data, store_fixture) {
  put(*env, items(), "alpha", "one");
  put(*env, other(), "beta", "two");

  reopen();

  BOOST_TEST(get(*env, items(), "alpha") == "one");
  BOOST_TEST(get(*env, other(), "beta") == "two");
  BOOST_TEST(get(*env, items(), "beta") == std::nullopt);
}

BOOST_FIXTURE_TEST_CASE(reopen_with_a_new_table_creates_it, store_fixture) {
  put(*env, items(), "alpha", "one");
  options more = test_options();
  more.tables.push_back("extra");

  reopen(more);

  BOOST_REQUIRE(env->find_table("extra").has_value());
  put(*env, *env->find_table("extra"), "gamma", "three");
  BOOST_TEST(get(*env, *env->find_table("extra"), "gamma") == "three");
  BOOST_TEST(get(*env, items(), "alpha") == "one");
}

BOOST_FIXTURE_TEST_CASE(find_table_of_unknown_name_is_empty, store_fixture) {
  BOOST_TEST(!env->find_table("missing").has_value());
  BOOST_TEST(env->find_table("items").has_value());
  BOOST_TEST((*env->find_table("items") != *env->find_table("other")));
}

BOOST_FIXTURE_TEST_CASE(stat_counts_entries_per_table, store_fixture) {
  put(*env, items(), "a", "1");
  put(*env, items(), "b", "2");
  put(*env, items(), "c", "3");
  put(*env, other(), "a", "1");

  result<environment_stat> st = env->stat();

  CREDVAULT_REQUIRE_OK(st);
  BOOST_REQUIRE(st->tables.size() == 2u);
  BOOST_TEST(st->tables[0].name == "items");
  BOOST_TEST(st->tables[0].entries == 3u);
  BOOST_TEST(st->tables[1].name == "other");
  BOOST_TEST(st->tables[1].entries == 1u);
  BOOST_TEST(st->map_size == mib);
  BOOST_TEST(st->used_size > 0u);
  BOOST_TEST(st->used_size <= st->map_size);
  BOOST_TEST(st->readers == 0u);
}

BOOST_FIXTURE_TEST_CASE(stat_counts_slots_held_by_reset_readers,
                        store_fixture) {
  // One live transaction per thread: each is reset before the next begins.
  result<read_txn> first = env->begin_read();
  CREDVAULT_REQUIRE_OK(first);
  first->reset();
  result<read_txn> second = env->begin_read();
  CREDVAULT_REQUIRE_OK(second);
  second->reset();

  result<environment_stat> st = env->stat();

  CREDVAULT_REQUIRE_OK(st);
  BOOST_TEST(st->readers == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
