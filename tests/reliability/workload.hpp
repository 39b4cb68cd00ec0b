// A random mix of vault writes, with a model of what each one leaves in
// the vault: what the crash and concurrency tests drive and check.
#ifndef CREDVAULT_TESTS_RELIABILITY_WORKLOAD_HPP
#define CREDVAULT_TESTS_RELIABILITY_WORKLOAD_HPP

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "credvault/vault.hpp"

namespace credvault::test {

// What one user's part of the vault should hold. Copyable.
struct model {
  struct credential {
    std::string name;
    std::string secret;
    std::set<std::string> objects;  // dataconnection ids

    friend bool operator==(const credential&, const credential&) = default;
  };
  std::map<std::string, credential> credentials;  // by id, as hex
  std::map<std::string, std::string> defaults;    // object -> credential

  friend bool operator==(const model&, const model&) = default;
};

// The objects the workload associates credentials with.
inline const std::vector<std::string>& object_pool() {
  static const std::vector<std::string> pool = {"obj-0", "obj-1", "obj-2",
                                                "obj-3"};
  return pool;
}

// One write. `added` holds the (name, secret) of each credential a create
// makes; `ids` their ids once the create returned.
struct write_op {
  enum class kind {
    create,
    update,
    remove,
    associate,
    dissociate,
    set_default
  };
  kind k = kind::create;
  std::string id;
  std::string name;  // update: the new name, or empty to keep it
  std::string secret;
  std::string object;
  std::vector<std::pair<std::string, std::string>> added;
  std::vector<std::string> ids;
};

// A write that is valid for `m` (it cannot fail for a reason the model
// knows), chosen by `rng`. Names and secrets start with `prefix`.
write_op choose(const model& m, std::mt19937_64& rng,
                const std::string& prefix);

// Performs `op` for `user`, filling op.ids for a create. The error of a
// failed call, described.
std::optional<std::string> perform(vault& v, const std::string& user,
                                   write_op& op);

// `m` after `op`, which must be filled in (ids included).
void apply(model& m, const write_op& op);

// One line of text for `op` (no line break) and back. Names, secrets and
// object ids must have no spaces.
std::string encode(const write_op& op);
std::optional<write_op> decode_op(const std::string& line);

// What the vault holds for `user`, read back as a model, or the error.
std::optional<model> observe(vault& v, const std::string& user,
                             std::string& failure);

// A short description of how `want` and `got` differ, for failures.
std::string difference(const model& want, const model& got);

}  // namespace credvault::test

#endif  // CREDVAULT_TESTS_RELIABILITY_WORKLOAD_HPP
