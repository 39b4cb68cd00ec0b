// Secrets in memory: after each vault operation and each dispatcher request
// that handles a secret, no block returned to the heap still holds it; and
// the pages that hold keys are left out of core dumps, locked in RAM where
// the limits allow, and wiped when the vault closes.
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

#include <boost/json/serializer.hpp>
#include <boost/test/unit_test.hpp>

#include "credvault/api.hpp"
#include "credvault/codec.hpp"
#include "credvault/vault.hpp"

#include "alloc_watch.hpp"
#include "crypto/key_memory.hpp"
#include "test_util.hpp"
#include "vault/vault_fixture.hpp"

using namespace credvault;
using namespace credvault::test;

namespace {

// Distinctive secrets, one per path, so that a hit names its path. Each is
// a static array: building a secret from it leaves no plain heap copy.
constexpr std::string_view created_secret = "Zq7-created-secret-4f1d9c";
constexpr std::string_view updated_secret = "Zq7-updated-secret-81ae30";
constexpr std::string_view decoded_secret = "Zq7-decoded-secret-c29b07";
constexpr std::string_view posted_secret = "Zq7-posted-secret-5e6a11";
constexpr std::string_view patched_secret = "Zq7-patched-secret-0d3f72";

const object_ref object{object_type::dataconnection,
                        "5f1e0a2b3c4d5e6f7a8b9ca1"};

credential_input basic_input(std::string_view password) {
  return credential_input{"warehouse", std::nullopt,
                          basic_credential{"login", secret(password), {}}};
}

// A vault holding one credential, whose password is created_secret, that
// is the default for `object`.
struct secret_fixture : vault_fixture {
  secret_fixture() {
    auto made = v->create("alice", basic_input(created_secret));
    CREDVAULT_REQUIRE_OK(made);
    id = made->credential_id;
    CREDVAULT_REQUIRE_OK(v->set_association("alice", id, object, true));
  }

  credential_id id = *credential_id::parse("000000000000000000000000");
};

std::string_view password_of(const revealed_credential& r) {
  return std::get<basic_credential>(r.value).password.reveal();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(secret_memory)

// The watch itself: a plain copy of a secret, freed unwiped, is caught.
BOOST_AUTO_TEST_CASE(the_watch_catches_a_secret_freed_unwiped) {
  free_watch watch(created_secret);

  {
    // Reserved first, so that the copy lives in exactly one heap block.
    std::string copy;
    copy.reserve(created_secret.size() + 64);
    copy += created_secret;
  }

  BOOST_TEST(watch.hits() == 1u);
}

BOOST_AUTO_TEST_CASE(create_leaves_no_secret_in_freed_memory) {
  vault_fixture f;
  credential_input input = basic_input(created_secret);
  free_watch watch(created_secret);

  {
    auto made = f.v->create("alice", std::move(input));
    CREDVAULT_REQUIRE_OK(made);
  }

  BOOST_TEST(watch.frees() > 0u);
  BOOST_TEST(watch.hits() == 0u);
}

BOOST_AUTO_TEST_CASE(create_many_leaves_no_secret_in_freed_memory) {
  vault_fixture f;
  std::vector<credential_input> inputs;
  inputs.push_back(basic_input(created_secret));
  inputs.push_back(basic_input(updated_secret));
  inputs[1].name = "second";
  free_watch watch(created_secret);

  {
    auto made = f.v->create_many("alice", std::move(inputs));
    CREDVAULT_REQUIRE_OK(made);
  }

  BOOST_TEST(watch.frees() > 0u);
  BOOST_TEST(watch.hits() == 0u);
}

BOOST_AUTO_TEST_CASE(update_by_body_leaves_no_secret_in_freed_memory) {
  secret_fixture f;
  const std::string body =
      R"({"password": ")" + std::string(updated_secret) + "\"}";
  free_watch watch(updated_secret);

  {
    auto updated = f.v->update("alice", f.id, body);
    CREDVAULT_REQUIRE_OK(updated);
  }

  BOOST_TEST(watch.frees() > 0u);
  BOOST_TEST(watch.hits() == 0u);
}

BOOST_AUTO_TEST_CASE(update_decoded_leaves_no_secret_in_freed_memory) {
  secret_fixture f;
  const std::string body =
      R"({"password": ")" + std::string(decoded_secret) + "\"}";
  auto change = decode_update(body, credential_type::basic);
  CREDVAULT_REQUIRE_OK(change);
  free_watch watch(decoded_secret);

  {
    auto updated = f.v->update("alice", f.id, std::move(*change));
    CREDVAULT_REQUIRE_OK(updated);
  }

  BOOST_TEST(watch.frees() > 0u);
  BOOST_TEST(watch.hits() == 0u);
}

BOOST_AUTO_TEST_CASE(reveal_and_get_leave_no_secret_in_freed_memory) {
  secret_fixture f;
  free_watch watch(created_secret);

  {
    auto revealed = f.v->reveal("alice", f.id);
    CREDVAULT_REQUIRE_OK(revealed);
    BOOST_TEST((password_of(*revealed) == created_secret));
    CREDVAULT_REQUIRE_OK(f.v->get("alice", f.id));
    CREDVAULT_REQUIRE_OK(f.v->list("alice", {}));
  }

  BOOST_TEST(watch.frees() > 0u);
  BOOST_TEST(watch.hits() == 0u);
}

BOOST_AUTO_TEST_CASE(resolve_default_leaves_no_secret_in_freed_memory) {
  secret_fixture f;
  free_watch watch(created_secret);

  {
    auto resolved = f.v->resolve_default("alice", object);
    CREDVAULT_REQUIRE_OK(resolved);
    BOOST_REQUIRE(resolved->has_value());
    BOOST_TEST((password_of(**resolved) == created_secret));
  }

  BOOST_TEST(watch.frees() > 0u);
  BOOST_TEST(watch.hits() == 0u);
}

namespace {

// The stack below the caller's frame after a call returns: the memory the
// call's own frames used, which a later call reuses without clearing. Read
// through a large local array that those frames' memory now backs.
[[gnu::noinline]] bool stack_below_holds(std::string_view needle) {
  volatile char window[256 * 1024];
  std::string copy(sizeof window, '\0');
  for (std::size_t i = 0; i < sizeof window; ++i) {
    copy[i] = window[i];
  }
  return copy.find(needle) != std::string::npos;
}

[[gnu::noinline]] bool resolves(const vault& v) {
  auto resolved = v.resolve_default("alice", object);
  return resolved.ok() && resolved->has_value();
}

[[gnu::noinline]] bool reveals(const vault& v, const credential_id& id) {
  return v.reveal("alice", id).ok();
}

}  // namespace

// Records are opened into a buffer on the stack, wiped before the call
// returns; the watch above sees the heap only.
BOOST_AUTO_TEST_CASE(resolve_and_reveal_leave_no_secret_on_the_stack) {
  secret_fixture f;

  BOOST_REQUIRE(resolves(*f.v));
  const bool after_resolve = stack_below_holds(created_secret);
  BOOST_REQUIRE(reveals(*f.v, f.id));
  const bool after_reveal = stack_below_holds(created_secret);

  BOOST_TEST(!after_resolve);
  BOOST_TEST(!after_reveal);
}

BOOST_AUTO_TEST_CASE(dispatcher_requests_leave_no_secret_in_freed_memory) {
  secret_fixture f;
  const api::dispatcher d(*f.v);
  const std::string post =
      R"({"credentialType": "basic", "name": "posted", "user": "u",)"
      R"( "password": ")" +
      std::string(posted_secret) + "\"}";
  const std::string patch =
      R"({"password": ")" + std::string(posted_secret) + "\"}";
  const std::string target =
      "/api/v2/credentials/" + std::string(f.id.str()) + "/";
  std::optional<free_watch> watch(std::in_place, posted_secret);

  {
    const api::response created = d.handle({.method = "POST",
                                            .target = "/api/v2/credentials/",
                                            .body = post,
                                            .user = "alice"});
    const api::response patched = d.handle(
        {.method = "PATCH", .target = target, .body = patch, .user = "alice"});
    const api::response got =
        d.handle({.method = "GET", .target = target, .user = "alice"});
    BOOST_TEST(created.status == 201);
    BOOST_TEST(patched.status == 200);
    BOOST_TEST(got.status == 200);
    BOOST_TEST(got.body_text().find(posted_secret) == std::string::npos);
  }

  BOOST_TEST(watch->frees() > 0u);
  BOOST_TEST(watch->hits() == 0u);
}

BOOST_AUTO_TEST_CASE(a_rejected_body_leaves_no_secret_in_freed_memory) {
  secret_fixture f;
  const api::dispatcher d(*f.v);
  const std::string bad =
      R"({"credentialType": "basic", "name": "", "user": "u",)"
      R"( "password": ")" +
      std::string(patched_secret) + R"(", "unknown": 1})";
  free_watch watch(patched_secret);

  {
    const api::response r = d.handle({.method = "POST",
                                      .target = "/api/v2/credentials/",
                                      .body = bad,
                                      .user = "alice"});
    BOOST_TEST(r.status == 422);
    BOOST_TEST(r.body_text().find(patched_secret) == std::string::npos);
  }

  BOOST_TEST(watch.frees() > 0u);
  BOOST_TEST(watch.hits() == 0u);
}

// The encode path a host uses to hand a revealed credential on: the document
// lives in wiping storage, and the serializer writes into the host's buffer.
BOOST_AUTO_TEST_CASE(encoding_a_credential_leaves_no_secret_in_freed_memory) {
  secret_fixture f;
  auto revealed = f.v->reveal("alice", f.id);
  CREDVAULT_REQUIRE_OK(revealed);
  char out[512];
  std::size_t written = 0;
  free_watch watch(created_secret);

  {
    const boost::json::object doc = to_json(revealed->value);
    boost::json::serializer s;
    s.reset(&doc);
    written = s.read(out, sizeof out).size();
    BOOST_REQUIRE(s.done());
  }

  BOOST_TEST(watch.frees() > 0u);
  BOOST_TEST(watch.hits() == 0u);
  BOOST_TEST(std::string_view(out, written).find(created_secret) !=
             std::string_view::npos);
  std::memset(out, 0, sizeof out);
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

// One mapping of /proc/self/smaps: its address range, whether it maps a
// file, and its VmFlags.
struct mapping {
  std::uintptr_t begin = 0;
  std::uintptr_t end = 0;
  bool anonymous = false;
  std::vector<std::string> flags;

  bool has(std::string_view flag) const {
    for (const std::string& f : flags) {
      if (f == flag) {
        return true;
      }
    }
    return false;
  }
};

std::vector<mapping> mappings() {
  std::ifstream in("/proc/self/smaps");
  std::vector<mapping> out;
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t dash = line.find('-');
    const std::size_t space = line.find(' ');
    if (dash != std::string::npos && space != std::string::npos &&
        dash < space && line.find(':') > space) {
      mapping m;
      m.begin = std::stoull(line.substr(0, dash), nullptr, 16);
      m.end = std::stoull(line.substr(dash + 1, space - dash - 1), nullptr, 16);
      // Address, permissions, offset, device, inode: inode 0 is anonymous.
      std::istringstream fields(line);
      std::string skip;
      std::string inode;
      fields >> skip >> skip >> skip >> skip >> inode;
      m.anonymous = inode == "0";
      out.push_back(m);
    } else if (line.starts_with("VmFlags:") && !out.empty()) {
      std::istringstream words(line.substr(8));
      for (std::string w; words >> w;) {
        out.back().flags.push_back(w);
      }
    }
  }
  return out;
}

std::optional<mapping> mapping_of(const void* p) {
  const auto at = reinterpret_cast<std::uintptr_t>(p);
  for (const mapping& m : mappings()) {
    if (m.begin <= at && at < m.end) {
      return m;
    }
  }
  return std::nullopt;
}

// Whether mlock really locks a page here: the limits may refuse it, and
// the sanitizers replace mlock with a call that does nothing.
bool can_lock_a_page() {
  const auto size = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  void* page = ::mmap(nullptr, size, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  BOOST_REQUIRE(page != MAP_FAILED);
  const bool locked = ::mlock(page, size) == 0 && mapping_of(page)->has("lo");
  ::munmap(page, size);
  return locked;
}

// How many readable mappings marked "left out of dumps" hold `needle`.
int dontdump_mappings_holding(std::string_view needle) {
  int found = 0;
  for (const mapping& m : mappings()) {
    // Key pages are small, anonymous and writable. Sanitizer shadow memory
    // (terabytes of address space) and the kernel's [vvar] pages (which
    // fault when read) are left out of dumps too, and skipped here.
    constexpr std::uintptr_t largest = std::uintptr_t{16} << 20;
    if (!m.anonymous || !m.has("dd") || !m.has("wr") || m.has("io") ||
        m.end - m.begin > largest) {
      continue;
    }
    const std::string_view bytes(reinterpret_cast<const char*>(m.begin),
                                 m.end - m.begin);
    if (bytes.find(needle) != std::string_view::npos) {
      ++found;
    }
  }
  return found;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(key_pages)

BOOST_AUTO_TEST_CASE(a_key_page_is_left_out_of_dumps_and_locked_if_allowed) {
  auto key = crypto::key256::random();
  CREDVAULT_REQUIRE_OK(key);

  const std::optional<mapping> m = mapping_of(key->reveal().data());

  BOOST_REQUIRE(m.has_value());
  std::string flags;
  for (const std::string& f : m->flags) {
    flags += " " + f;
  }
  BOOST_TEST(m->has("dd"), "VmFlags:" << flags);
  if (can_lock_a_page()) {
    BOOST_TEST(m->has("lo"), "VmFlags:" << flags);
  }
}

// The vault keeps the unlocking key (to write the keyring back) for as long
// as it is open: it must be in guarded pages, and gone when the vault is.
BOOST_AUTO_TEST_CASE(an_open_vaults_key_is_in_guarded_pages_until_closed) {
  temp_dir dir;
  const std::string kek = "Kek-5b0e-guarded-page-probe-71c4";
  BOOST_REQUIRE(kek.size() == crypto::key256::size);
  auto opened = vault::open(dir.path() / "v", key_source::raw_key(secret(kek)),
                            create_options());
  CREDVAULT_REQUIRE_OK(opened);

  const int while_open = dontdump_mappings_holding(kek);
  opened->reset();
  const int after_close = dontdump_mappings_holding(kek);

  BOOST_TEST(while_open >= 1);
  BOOST_TEST(after_close == 0);
}

BOOST_AUTO_TEST_SUITE_END()
