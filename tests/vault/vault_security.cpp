// Keys, tampering and what an attacker can read from the vault's files.
#include <fstream>
#include <functional>
#include <iterator>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <lmdb.h>

#include "credvault/codec.hpp"
#include "credvault/vault.hpp"

#include "raw_lmdb.hpp"
#include "vault_fixture.hpp"

using namespace credvault;
using credvault::test::create_options;
using credvault::test::edit_table;
using credvault::test::keys_of;
using credvault::test::put_value;
using credvault::test::temp_dir;
using credvault::test::test_key;
using credvault::test::value_of;
using credvault::test::vault_fixture;

namespace {

credential_input input(std::string name, std::string password) {
  return credential_input{std::move(name), std::nullopt,
                          basic_credential{"u", secret(password), {}}};
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(vault_security)

BOOST_AUTO_TEST_CASE(open_with_wrong_key_fails_and_changes_nothing) {
  vault_fixture f;
  auto c = f.v->create("alice", input("db", "pw"));
  CREDVAULT_REQUIRE_OK(c);
  f.v.reset();

  auto wrong = vault::open(f.dir.path() / "vault", test_key('x'), {});

  CREDVAULT_REQUIRE_ERROR(wrong, errc::wrong_key);
  f.reopen({});
  CREDVAULT_REQUIRE_OK(f.v->get("alice", c->credential_id));
}

BOOST_AUTO_TEST_CASE(open_existing_without_a_vault_is_not_found) {
  temp_dir dir;

  auto r = vault::open(dir.path() / "none", test_key(), {});

  CREDVAULT_REQUIRE_ERROR(r, errc::not_found);
  BOOST_TEST(!std::filesystem::exists(dir.path() / "none" / "data.mdb"));
}

BOOST_AUTO_TEST_CASE(create_new_on_an_existing_vault_conflicts) {
  vault_fixture f;
  f.v.reset();
  open_options o = create_options();
  o.mode = open_mode::create_new;

  CREDVAULT_REQUIRE_ERROR(vault::open(f.dir.path() / "vault", test_key(), o),
                          errc::conflict);
}

BOOST_AUTO_TEST_CASE(a_file_that_is_not_a_vault_is_corrupt) {
  temp_dir dir;
  std::filesystem::create_directories(dir.path() / "v");
  {
    std::ofstream junk(dir.path() / "v" / "data.mdb", std::ios::binary);
    junk << std::string(8192, 'J');
  }

  auto r = vault::open(dir.path() / "v", test_key(), {});

  BOOST_REQUIRE(!r.ok());
  BOOST_TEST((r.error().code() == errc::corrupt ||
              r.error().code() == errc::unsupported_version));
}

BOOST_AUTO_TEST_CASE(a_vault_from_a_newer_format_is_refused) {
  vault_fixture f;
  f.v.reset();
  edit_table(f.dir.path() / "vault", "meta", [](MDB_txn* txn, MDB_dbi dbi) {
    put_value(txn, dbi, "format", std::string("\0\0\0\x07", 4));
  });

  auto r = vault::open(f.dir.path() / "vault", test_key(), {});

  CREDVAULT_REQUIRE_ERROR(r, errc::unsupported_version);
}

BOOST_AUTO_TEST_CASE(passphrase_unlocks_and_a_wrong_one_does_not) {
  temp_dir dir;
  auto pass = key_source::passphrase(secret("correct horse"));
  auto created = vault::open(dir.path() / "v", pass, create_options());
  CREDVAULT_REQUIRE_OK(created);
  auto c = (*created)->create("alice", input("db", "pw"));
  CREDVAULT_REQUIRE_OK(c);
  created->reset();

  auto wrong = vault::open(dir.path() / "v",
                           key_source::passphrase(secret("wrong horse")), {});
  auto by_key = vault::open(dir.path() / "v", test_key(), {});
  auto right = vault::open(dir.path() / "v", pass, {});

  CREDVAULT_REQUIRE_ERROR(wrong, errc::wrong_key);
  CREDVAULT_REQUIRE_ERROR(by_key, errc::wrong_key);
  CREDVAULT_REQUIRE_OK(right);
  CREDVAULT_REQUIRE_OK((*right)->get("alice", c->credential_id));
}

BOOST_AUTO_TEST_CASE(key_file_and_callback_unlock) {
  temp_dir dir;
  const auto key_path = dir.path() / "key";
  CREDVAULT_REQUIRE_OK(create_key_file(key_path));
  struct stat st {};
  BOOST_REQUIRE(::stat(key_path.c_str(), &st) == 0);
  BOOST_TEST((st.st_mode & 0777) == 0600u);
  BOOST_TEST(st.st_size == 32);
  CREDVAULT_REQUIRE_ERROR(create_key_file(key_path), errc::conflict);

  auto by_file = vault::open(dir.path() / "v", key_source::key_file(key_path),
                             create_options());
  CREDVAULT_REQUIRE_OK(by_file);
  by_file->reset();
  const std::string bytes = read_file(key_path);
  auto by_callback = vault::open(
      dir.path() / "v",
      key_source::callback([&] { return result<secret>(secret(bytes)); }), {});

  CREDVAULT_REQUIRE_OK(by_callback);
}

BOOST_AUTO_TEST_CASE(a_key_file_others_can_read_is_refused) {
  temp_dir dir;
  const auto key_path = dir.path() / "key";
  CREDVAULT_REQUIRE_OK(create_key_file(key_path));
  ::chmod(key_path.c_str(), 0644);

  auto r = vault::open(dir.path() / "v", key_source::key_file(key_path),
                       create_options());

  CREDVAULT_REQUIRE_ERROR(r, errc::invalid_input);
  BOOST_TEST(r.error().message().find("chmod 600") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(creating_with_a_bad_key_leaves_no_files_behind) {
  temp_dir dir;
  const auto key_path = dir.path() / "short.key";
  {
    std::ofstream out(key_path, std::ios::binary);
    out << std::string(16, 'k');
  }
  ::chmod(key_path.c_str(), 0600);

  auto r = vault::open(dir.path() / "v", key_source::key_file(key_path),
                       create_options());

  CREDVAULT_REQUIRE_ERROR(r, errc::invalid_input);
  BOOST_TEST(!std::filesystem::exists(dir.path() / "v" / "data.mdb"));
  CREDVAULT_REQUIRE_ERROR(vault::open(dir.path() / "v", test_key(), {}),
                          errc::not_found);
}

BOOST_AUTO_TEST_CASE(a_key_callback_is_called_once_per_open) {
  temp_dir dir;
  int calls = 0;
  auto source = key_source::callback([&] {
    ++calls;
    return result<secret>(secret(std::string(32, 'c')));
  });

  auto created = vault::open(dir.path() / "v", source, create_options());
  CREDVAULT_REQUIRE_OK(created);
  created->reset();
  auto reopened = vault::open(dir.path() / "v", source, {});

  CREDVAULT_REQUIRE_OK(reopened);
  BOOST_TEST(calls == 2);
}

BOOST_AUTO_TEST_CASE(change_key_rewraps_without_touching_records) {
  vault_fixture f;
  auto c = f.v->create("alice", input("db", "pw"));
  CREDVAULT_REQUIRE_OK(c);

  CREDVAULT_REQUIRE_OK(
      f.v->change_key(key_source::passphrase(secret("new passphrase"))));
  f.v.reset();

  CREDVAULT_REQUIRE_ERROR(vault::open(f.dir.path() / "vault", test_key(), {}),
                          errc::wrong_key);
  auto reopened = vault::open(f.dir.path() / "vault",
                              key_source::passphrase(secret("new passphrase")),
                              create_options());
  CREDVAULT_REQUIRE_OK(reopened);
  CREDVAULT_REQUIRE_OK((*reopened)->reveal("alice", c->credential_id));
}

BOOST_AUTO_TEST_CASE(no_name_user_or_secret_is_readable_in_the_files) {
  vault_fixture f;
  const std::vector<std::string> needles = {
      "Needle-user-7c1f",        "Needle-name-51aa",
      "Needle-description-e09b", "Needle-password-33d2",
      "Needle-client-id-9a0c",   "Needle-secret-ff10",
      "Needle-scope-2b7e",       "Needle-config-8d4d"};
  auto body = [&](std::string_view type, std::string fields) {
    return R"({"credentialType": ")" + std::string(type) + R"(", "name": ")" +
           needles[1] + std::string(type) + R"(", "description": ")" +
           needles[2] + "\", " + fields + "}";
  };
  const std::string bodies[] = {
      body("basic", R"("user": ")" + needles[0] + R"(", "password": ")" +
                        needles[3] + "\""),
      body("azure_oauth", R"("clientId": ")" + needles[4] +
                              R"(", "clientSecret": ")" + needles[5] +
                              R"(", "oauthScopes": [")" + needles[6] + "\"]"),
      body("s3", R"("configId": ")" + needles[7] + "\""),
  };
  for (const std::string& b : bodies) {
    auto in = decode_create(b);
    CREDVAULT_REQUIRE_OK(in);
    CREDVAULT_REQUIRE_OK(f.v->create(needles[0], std::move(*in)));
  }
  f.v.reset();

  for (const auto& entry :
       std::filesystem::directory_iterator(f.dir.path() / "vault")) {
    const std::string contents = read_file(entry.path());
    BOOST_TEST_CONTEXT(entry.path()) {
      BOOST_TEST(contents.size() > 0u);
      for (const std::string& needle : needles) {
        BOOST_TEST(contents.find(needle) == std::string::npos, needle);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_tampered_byte_in_a_record_is_detected_as_corrupt) {
  vault_fixture f;
  auto c = f.v->create("alice", input("db", "pw"));
  CREDVAULT_REQUIRE_OK(c);
  f.v.reset();
  edit_table(f.dir.path() / "vault", "credentials",
             [](MDB_txn* txn, MDB_dbi dbi) {
               for (const std::string& key : keys_of(txn, dbi)) {
                 std::string value = value_of(txn, dbi, key);
                 value[value.size() / 2] ^= 0x01;
                 put_value(txn, dbi, key, value);
               }
             });
  f.reopen({});

  CREDVAULT_REQUIRE_ERROR(f.v->get("alice", c->credential_id), errc::corrupt);
  CREDVAULT_REQUIRE_ERROR(f.v->reveal("alice", c->credential_id),
                          errc::corrupt);
}

BOOST_AUTO_TEST_CASE(a_record_moved_to_another_key_fails_to_open) {
  vault_fixture f;
  auto a = f.v->create("alice", input("a", "secret-of-a"));
  auto b = f.v->create("alice", input("b", "secret-of-b"));
  CREDVAULT_REQUIRE_OK(a);
  CREDVAULT_REQUIRE_OK(b);
  f.v.reset();
  edit_table(f.dir.path() / "vault", "credentials",
             [](MDB_txn* txn, MDB_dbi dbi) {
               auto keys = keys_of(txn, dbi);
               BOOST_REQUIRE(keys.size() == 2u);
               const std::string first = value_of(txn, dbi, keys[0]);
               const std::string second = value_of(txn, dbi, keys[1]);
               put_value(txn, dbi, keys[0], second);
               put_value(txn, dbi, keys[1], first);
             });
  f.reopen({});

  CREDVAULT_REQUIRE_ERROR(f.v->reveal("alice", a->credential_id),
                          errc::corrupt);
  CREDVAULT_REQUIRE_ERROR(f.v->reveal("alice", b->credential_id),
                          errc::corrupt);
}

BOOST_AUTO_TEST_CASE(a_second_process_opens_and_writes_the_same_vault) {
  vault_fixture f;
  auto mine = f.v->create("alice", input("parent", "pw"));
  CREDVAULT_REQUIRE_OK(mine);
  const auto dir = f.dir.path() / "vault";

  pid_t child = ::fork();
  BOOST_REQUIRE(child >= 0);
  if (child == 0) {
    // The child never touches the parent's vault, and leaves with _exit so
    // that nothing inherited is destroyed.
    auto v = vault::open(dir, test_key(), {});
    bool ok = v.ok() && (*v)->get("alice", mine->credential_id).ok() &&
              (*v)->create("alice", input("child", "pw")).ok();
    ::_exit(ok ? 0 : 1);
  }
  int status = 0;
  BOOST_REQUIRE(::waitpid(child, &status, 0) == child);

  BOOST_TEST(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 0);
  auto page = f.v->list("alice", {});
  CREDVAULT_REQUIRE_OK(page);
  BOOST_TEST(page->total_count == 2u);
  BOOST_TEST(page->items.at(0).name == "child");
}

BOOST_AUTO_TEST_SUITE_END()
