// Helpers shared by the test suites.
#ifndef CREDVAULT_TESTS_TEST_UTIL_HPP
#define CREDVAULT_TESTS_TEST_UTIL_HPP

#include <boost/test/unit_test.hpp>

#include "credvault/error.hpp"

// Requires that a result holds a value, printing the error when it does not.
#define CREDVAULT_REQUIRE_OK(expr)                                     \
  do {                                                                 \
    const auto& credvault_r_ = (expr);                                 \
    BOOST_REQUIRE_MESSAGE(                                             \
        credvault_r_.ok(),                                             \
        #expr " failed: " << (credvault_r_.ok()                        \
                                  ? std::string()                      \
                                  : credvault_r_.error().describe())); \
  } while (false)

// Requires that a result holds an error with code `expected`.
#define CREDVAULT_REQUIRE_ERROR(expr, expected)                    \
  do {                                                             \
    const auto& credvault_r_ = (expr);                             \
    BOOST_REQUIRE_MESSAGE(!credvault_r_.ok(), #expr " succeeded"); \
    BOOST_REQUIRE_MESSAGE(                                         \
        credvault_r_.error().code() == (expected),                 \
        #expr " failed with " << credvault_r_.error().describe()); \
  } while (false)

#endif  // CREDVAULT_TESTS_TEST_UTIL_HPP
