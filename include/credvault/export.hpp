// Symbol visibility for the credvault library.
#ifndef CREDVAULT_EXPORT_HPP
#define CREDVAULT_EXPORT_HPP

// Marks the declarations that make up credvault's public ABI. The library is
// built with hidden visibility, so everything else stays private to it.
#if defined(CREDVAULT_SHARED_BUILD)
#define CREDVAULT_EXPORT __attribute__((visibility("default")))
#else
#define CREDVAULT_EXPORT
#endif

#endif  // CREDVAULT_EXPORT_HPP
