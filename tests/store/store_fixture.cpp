#include "store_fixture.hpp"

#include <stdlib.h>
#include <system_error>
#include <utility>

#include <boost/test/unit_test.hpp>

#include "test_util.hpp"

namespace credvault::store::test {

temp_dir::temp_dir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "credvault-store-XXXXXX")
          .string();
  BOOST_REQUIRE(::mkdtemp(pattern.data()) != nullptr);
  path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

options test_options(std::size_t map_size) {
  options opts;
  opts.map_size = map_size;
  opts.tables = {"items", "other"};
  return opts;
}

store_fixture::store_fixture() : dir(tmp.path() / "env") {
  reopen();
}

void store_fixture::reopen(const options& opts) {
  env.reset();
  result<std::unique_ptr<environment>> opened = environment::open(dir, opts);
  CREDVAULT_REQUIRE_OK(opened);
  env = std::move(*opened);
}

void put(environment& env, table t, std::string_view key,
         std::string_view value) {
  result<put_status> written =
      env.write([&](write_txn& txn) { return txn.put(t, key, value); });
  CREDVAULT_REQUIRE_OK(written);
}

std::optional<std::string> get(environment& env, table t,
                               std::string_view key) {
  result<read_txn> txn = env.begin_read();
  CREDVAULT_REQUIRE_OK(txn);
  result<std::optional<std::string_view>> found = txn->get(t, key);
  CREDVAULT_REQUIRE_OK(found);
  if (!found->has_value()) {
    return std::nullopt;
  }
  return std::string(**found);
}

std::string key_for(std::size_t i) {
  std::string key = std::to_string(i);
  return "k/" + std::string(8 - key.size(), '0') + key;
}

std::string value_for(std::size_t i, std::size_t size) {
  std::string value(size, '\0');
  for (std::size_t j = 0; j < size; ++j) {
    value[j] = static_cast<char>('a' + (i * 31 + j * 7) % 26);
  }
  return value;
}

std::size_t put_entries(environment& env, table t, std::size_t first,
                        std::size_t count, std::size_t size) {
  std::size_t runs = 0;
  result<void> written = env.write([&](write_txn& txn) -> result<void> {
    ++runs;
    for (std::size_t i = first; i < first + count; ++i) {
      result<put_status> stored = txn.put(t, key_for(i), value_for(i, size));
      if (!stored.ok()) {
        return std::move(stored).error();
      }
    }
    return {};
  });
  return written.ok() ? runs : 0;
}

std::size_t bad_entries(environment& env, table t, std::size_t count,
                        std::size_t size) {
  result<read_txn> txn = env.begin_read();
  if (!txn.ok()) {
    return count;
  }
  std::size_t bad = 0;
  for (std::size_t i = 0; i < count; ++i) {
    result<std::optional<std::string_view>> found = txn->get(t, key_for(i));
    if (!found.ok() || !found->has_value() || **found != value_for(i, size)) {
      ++bad;
    }
  }
  return bad;
}

}  // namespace credvault::store::test
