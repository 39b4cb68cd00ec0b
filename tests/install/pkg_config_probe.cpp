// Built by the install test with pkg-config's flags and nothing else, so the
// headers and the libraries it needs must all come from the installed
// prefix. It decodes a body, which takes Boost.JSON as well as credvault.
#include <iostream>

#include "credvault/codec.hpp"
#include "credvault/credential.hpp"
#include "credvault/version.hpp"

int main() {
  auto input = credvault::decode_create(
      R"({"name": "probe", "user": "someone", "password": "not printed"})");
  if (!input) {
    std::cerr << input.error().describe() << '\n';
    return 1;
  }

  std::cout << "credvault " << credvault::version() << ": "
            << credvault::to_string(credvault::type_of(input->value)) << '\n';
  return credvault::version() == CREDVAULT_VERSION_STRING ? 0 : 1;
}
