// The library's version, fixed when the library is compiled.
#include "credvault/version.hpp"

namespace credvault {

std::string_view version() noexcept {
  return CREDVAULT_VERSION_STRING;
}

}  // namespace credvault
