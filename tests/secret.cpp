#include "credvault/secret.hpp"

#include <optional>
#include <sstream>
#include <string>
#include <type_traits>

#include <boost/test/unit_test.hpp>

#include "alloc_watch.hpp"

using credvault::secret;
using credvault::test::free_watch;

// No implicit path from a secret to text, and no silent copies.
static_assert(!std::is_convertible_v<secret, std::string>);
static_assert(!std::is_convertible_v<secret, std::string_view>);
static_assert(!std::is_constructible_v<std::string, secret>);
static_assert(!std::is_copy_constructible_v<secret>);
static_assert(!std::is_copy_assignable_v<secret>);
static_assert(std::is_nothrow_move_constructible_v<secret>);
static_assert(!std::is_convertible_v<std::string_view, secret>);

namespace {
constexpr std::string_view password = "correct horse battery staple 7f3e";
}

BOOST_AUTO_TEST_SUITE(secret_type)

BOOST_AUTO_TEST_CASE(holds_and_reveals_its_bytes) {
  secret s(password);

  BOOST_TEST(s.reveal() == password);
  BOOST_TEST(s.size() == password.size());
  BOOST_TEST(!s.empty());
}

BOOST_AUTO_TEST_CASE(destruction_wipes_memory_before_freeing) {
  free_watch watch(password);

  { secret s(password); }

  BOOST_TEST(watch.frees() >= 1u);
  BOOST_TEST(watch.hits() == 0u);
}

BOOST_AUTO_TEST_CASE(freeing_without_wiping_is_detected_by_the_watch) {
  // The watch itself must be able to fail, or the tests above prove nothing.
  free_watch watch(password);

  { std::string plain(password); }

  BOOST_TEST(watch.hits() == 1u);
}

BOOST_AUTO_TEST_CASE(reassignment_wipes_the_old_contents) {
  secret s(password);
  free_watch watch(password);

  s.assign("another value entirely");
  s = secret("a third value, moved in");

  BOOST_TEST(watch.hits() == 0u);
  BOOST_TEST(watch.frees() >= 2u);
  BOOST_TEST(s.reveal() == "a third value, moved in");
}

BOOST_AUTO_TEST_CASE(clear_wipes_and_empties) {
  secret s(password);
  free_watch watch(password);

  s.clear();

  BOOST_TEST(watch.hits() == 0u);
  BOOST_TEST(s.empty());
  BOOST_TEST(s.reveal().empty());
}

BOOST_AUTO_TEST_CASE(move_leaves_the_source_empty_without_copying) {
  secret a(password);
  const void* block = a.reveal().data();

  secret b(std::move(a));

  BOOST_TEST(a.empty());  // NOLINT(bugprone-use-after-move): on purpose
  BOOST_TEST(static_cast<const void*>(b.reveal().data()) == block);
  BOOST_TEST(b.reveal() == password);
}

BOOST_AUTO_TEST_CASE(clone_is_an_independent_copy) {
  secret a(password);

  secret b = a.clone();
  a.assign("changed");

  BOOST_TEST(b.reveal() == password);
  BOOST_TEST(static_cast<const void*>(b.reveal().data()) !=
             static_cast<const void*>(a.reveal().data()));
}

BOOST_AUTO_TEST_CASE(equality_compares_contents) {
  BOOST_TEST((secret("abc") == secret("abc")));
  BOOST_TEST(!(secret("abc") == secret("abd")));
  BOOST_TEST(!(secret("abc") == secret("abcd")));
  BOOST_TEST((secret() == secret("")));
}

BOOST_AUTO_TEST_CASE(printing_shows_a_fixed_mask) {
  std::ostringstream shortline;
  std::ostringstream longline;

  shortline << secret("x");
  longline << secret(password);

  BOOST_TEST(shortline.str() == std::string(credvault::secret_mask));
  BOOST_TEST(longline.str() == shortline.str());
  BOOST_TEST(longline.str().find("horse") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(optional_secret_reset_wipes) {
  std::optional<secret> s{secret(password)};
  free_watch watch(password);

  s.reset();

  BOOST_TEST(watch.hits() == 0u);
}

BOOST_AUTO_TEST_CASE(wipe_zeroes_a_buffer) {
  char buffer[16] = "plaintext bytes";

  credvault::wipe(buffer, sizeof buffer);

  for (char c : buffer) {
    BOOST_TEST(c == '\0');
  }
}

BOOST_AUTO_TEST_SUITE_END()
