// The synthetic data that every benchmark program stores and reads, and
// the command line they share.
//
// Every store holds the same logical data: `users` users with `per_user`
// credentials each, all of them ~300-byte Snowflake OAuth credentials, and
// as many data connections per user, connection c served by credential c as
// its default (one association each). Names, secrets and object ids come
// from fixed seeds, so separately built stores agree without sharing files.
//
// Thread safety: every function is pure except the rng, progress and
// bench_main, which belong to one thread.
#ifndef CREDVAULT_BENCHMARKS_DATASET_HPP
#define CREDVAULT_BENCHMARKS_DATASET_HPP

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace credvault::bench {

// The size of a data set.
struct shape {
  std::size_t users = 0;
  std::size_t per_user = 0;

  std::size_t total() const noexcept { return users * per_user; }
};

// Reads and writes the shape kept in a store's directory: the "shape"
// file holds "USERS PER_USER VERSION", so that the programs size
// themselves from the data they find and refuse data an older generator
// made. read_shape returns nullopt when the file is missing, malformed or
// of another version.
inline constexpr int data_version = 2;
bool write_shape(const std::filesystem::path& dir, const shape& s);
std::optional<shape> read_shape(const std::filesystem::path& dir);

// splitmix64's finaliser: a fast, well-mixed hash of a 64-bit value.
std::uint64_t mix(std::uint64_t x) noexcept;

// A fast random stream for choosing what each iteration reads (not for
// keys). Copyable: a copy continues the same stream.
class rng {
 public:
  explicit rng(std::uint64_t seed) noexcept : state_(seed) {}

  std::uint64_t next() noexcept {
    state_ += 0x9e3779b97f4a7c15u;
    return mix(state_);
  }

  // A uniform value below `n`, for 0 < n < 2^32, by multiply-shift:
  // no division in the loop.
  std::size_t below(std::size_t n) noexcept {
    return static_cast<std::size_t>(((next() >> 32) * n) >> 32);
  }

 private:
  std::uint64_t state_;
};

// One credential, or one data connection, of one user: credential c of
// user u serves connection c of user u.
struct pick {
  std::size_t user = 0;
  std::size_t index = 0;
};

// A uniformly random credential (or connection) of the whole data set.
pick uniform_pick(rng& r, const shape& s) noexcept;

// The hot set: `n` credentials (or connections) spread over the data set,
// the same in every program.
std::vector<pick> hot_set(const shape& s, std::size_t n);

// The contents. Every string is ASCII.
std::string user_name(std::size_t u);
std::string credential_name(std::size_t u, std::size_t c);
std::string object_id(std::size_t u, std::size_t c);
// object_id(u, c) written over `out`, reusing its memory: how the
// benchmarks name an object in a timed loop without touching a table of a
// million ids (which the floor, computing its keys, would not pay for).
void write_object_id(std::string& out, std::size_t u, std::size_t c);
std::string client_id(std::size_t u, std::size_t c);
std::string client_secret(std::size_t u, std::size_t c);
// A secret no stored credential holds, for updates: `round` varies it.
std::string fresh_secret(std::uint64_t round);

inline constexpr std::string_view description =
    "OAuth client used by the nightly analytics jobs";
inline constexpr std::string_view issuer_url =
    "https://example.okta.com/oauth2/default";
inline constexpr std::string_view account_name = "xy12345.eu-central-1";
inline constexpr std::array<std::string_view, 3> scopes = {
    "session:role:analyst", "refresh_token", "offline_access"};

// The 12 raw bytes of the id of credential c of user u (both below
// 2^32), for stores that choose their own ids (credvault draws its ids at
// random).
using raw_id = std::array<std::byte, 12>;
raw_id id_of(std::size_t u, std::size_t c) noexcept;

// A 16-byte key that stands for a blind index in stores that compute none:
// random-looking, as a keyed hash is, but free. `tag` separates the kinds;
// u and c are below 2^32.
using key16 = std::array<std::byte, 16>;
key16 fast_key(char tag, std::size_t u, std::size_t c) noexcept;

// Big-endian 64-bit integers, as keys and values hold them.
void store_u64(std::byte* out, std::uint64_t v) noexcept;
std::uint64_t load_u64(const std::byte* in) noexcept;

// Microseconds since the epoch, now.
std::int64_t now_micros() noexcept;

// Reports a long step on stderr: a line that updates in place on a
// terminal, and a line per tenth elsewhere. Neither copied nor moved.
class progress {
 public:
  progress(std::string what, std::size_t total);
  progress(const progress&) = delete;
  progress& operator=(const progress&) = delete;
  ~progress();

  void update(std::size_t done);

 private:
  void print(std::size_t done, bool last);

  std::string what_;
  std::size_t total_;
  std::size_t printed_tenth_ = 0;
  bool tty_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_print_;
};

// How the benchmarks run.
struct run_options {
  // Iterations of the bulk import, 1,000 credentials each.
  std::size_t bulk_iterations = 3;
  // Whether opening the store first reads every default, record and first
  // page once, so that timed reads start with the map's pages faulted in.
  // Runs of write benchmarks alone leave it out.
  bool warm = true;
};

// What a benchmark program does for one store: builds the store in a new
// directory, registers its benchmarks over an existing one, or runs one
// operation `count` times for a profiler. Each returns false after
// printing why on stderr.
struct store_hooks {
  std::string name;
  std::function<bool(const std::filesystem::path& dir, const shape& s)>
      generate;
  std::function<bool(const std::filesystem::path& dir, const shape& s,
                     const run_options& options)>
      register_benchmarks;
  std::function<bool(const std::filesystem::path& dir, const shape& s,
                     std::string_view op, std::size_t count)>
      profile;
};

// The names every program gives its benchmarks, so that the run script can
// line them up.
namespace op {
inline constexpr const char* open = "open";
inline constexpr const char* resolve_uniform = "resolve_default/uniform";
inline constexpr const char* resolve_hot = "resolve_default/hot";
// The floor's one-lookup layout of defaults (floor_bench.cpp).
inline constexpr const char* resolve_one_lookup_uniform =
    "resolve_default/uniform_one_lookup";
inline constexpr const char* resolve_one_lookup_hot =
    "resolve_default/hot_one_lookup";
inline constexpr const char* get = "get";
inline constexpr const char* reveal = "reveal";
inline constexpr const char* list = "list/100";
inline constexpr const char* update = "update_secret";
inline constexpr const char* set_default = "set_default";
inline constexpr const char* create = "create";
inline constexpr const char* bulk_import = "bulk_import/1000";
// credvault alone: get of another user's credential, and of an id that
// exists nowhere (both not found, and alike in time).
inline constexpr const char* get_foreign = "get/another_users_id";
inline constexpr const char* get_missing = "get/unknown_id";
}  // namespace op

inline constexpr std::size_t list_page = 100;
inline constexpr std::size_t bulk_batch = 1000;
inline constexpr std::size_t hot_objects = 1000;

// main() of a benchmark program:
//   PROGRAM generate DIR --users N --per-user M
//   PROGRAM run DIR [--bulk-iterations K] [--no-warm] [--benchmark_* flags]
//   PROGRAM profile DIR --op OP --count N   (OP: see the usage text)
// Returns the process's exit status.
int bench_main(int argc, char** argv, const store_hooks& hooks);

}  // namespace credvault::bench

#endif  // CREDVAULT_BENCHMARKS_DATASET_HPP
