// Tools for damaging a closed vault's files the way an attacker or a failing
// disk would: raw LMDB access that bypasses credvault (raw_lmdb.hpp), a
// map of which bytes
// of data.mdb belong to which kind of LMDB page, and a way to run a check in
// a child process so that a crash or a hang is reported, not suffered.
#ifndef CREDVAULT_TESTS_SECURITY_FILE_DAMAGE_HPP
#define CREDVAULT_TESTS_SECURITY_FILE_DAMAGE_HPP

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <lmdb.h>

#include "raw_lmdb.hpp"

namespace credvault::test {

// Writes a compacted copy of the environment in `from` into directory `to`
// (which must exist and be empty): every page of the copy is in use, so
// damage aimed at a kind of page hits a live one.
void compact_copy(const std::filesystem::path& from,
                  const std::filesystem::path& to);

// The kinds of bytes in an LMDB data file. LMDB keeps no checksum of its
// pages, so each kind fails differently when damaged.
enum class region {
  meta,            // the two meta pages: roots, sizes, transaction ids
  branch,          // interior B-tree pages
  leaf_structure,  // leaf page headers, offset arrays, node headers
  leaf_key,        // the keys stored in leaves
  leaf_value,      // the values stored in leaves and overflow pages
};

const char* to_string(region r) noexcept;

// The file offsets of each region's bytes in data file `data`.
struct page_map {
  std::vector<std::size_t> offsets[5];

  const std::vector<std::size_t>& of(region r) const {
    return offsets[static_cast<int>(r)];
  }
};

// Classifies every byte of interest in `data`, the contents of a data.mdb
// written with pages of `page_size` bytes.
page_map map_pages(const std::string& data, std::size_t page_size);

std::string read_file(const std::filesystem::path& p);
void write_file(const std::filesystem::path& p, const std::string& contents);

// How a check run in a child process ended.
struct isolated_outcome {
  bool exited = false;  // returned normally; otherwise killed by `signal`
  int exit_code = 0;
  int signal = 0;
  std::string message;  // what the check returned

  // The check returned "" and the child exited cleanly.
  bool passed() const { return exited && exit_code == 0 && message.empty(); }

  // The child died (a signal, a sanitizer's report) before its check
  // could return.
  bool crashed() const { return message.empty() && !passed(); }
  std::string describe() const;
};

// Runs `check` in a forked child killed after `seconds`: a crash in the
// child (in liblmdb, say) or a hang becomes an outcome the parent reports.
// `check` returns "" when everything held, otherwise what did not. With
// `quiet`, the child's stderr (where sanitizers report) goes to /dev/null.
isolated_outcome run_isolated(const std::function<std::string()>& check,
                              unsigned seconds, bool quiet = false);

}  // namespace credvault::test

#endif  // CREDVAULT_TESTS_SECURITY_FILE_DAMAGE_HPP
