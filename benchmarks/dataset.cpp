#include "dataset.hpp"

#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <unistd.h>

#include <benchmark/benchmark.h>

namespace credvault::bench {
namespace {

// Seeds that keep the kinds of generated value apart.
constexpr std::uint64_t user_seed = 0x7573657273656564u;
constexpr std::uint64_t object_seed = 0x6f626a6563747321u;
constexpr std::uint64_t secret_seed = 0x7365637265747321u;
constexpr std::uint64_t id_seed = 0x6964656e74697479u;
constexpr std::uint64_t key_seed = 0x626c696e646b6579u;
constexpr std::uint64_t hot_seed = 0x686f747365747321u;

constexpr char hex_digits[] = "0123456789abcdef";
constexpr char secret_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// The global index of credential c of user u: distinct for distinct
// pairs (u < 2^32, c < 2^32), which keeps everything derived from it
// through mix() distinct.
std::uint64_t index_of(std::size_t u, std::size_t c) noexcept {
  return (std::uint64_t{u} << 32) | std::uint64_t{c};
}

void append_hex(std::string& out, std::uint64_t value, std::size_t digits) {
  for (std::size_t i = 0; i < digits; ++i) {
    out += hex_digits[(value >> (60 - 4 * i)) & 0xfu];
  }
}

// `length` characters of secret_alphabet drawn from a seed.
std::string secret_text(std::uint64_t seed, std::size_t length) {
  std::string out;
  out.reserve(length);
  std::uint64_t bits = 0;
  for (std::size_t i = 0; i < length; ++i) {
    if (i % 10 == 0) {
      bits = mix(seed + i);
    }
    out += secret_alphabet[bits & 63u];
    bits >>= 6;
  }
  return out;
}

std::optional<std::size_t> parse_size(std::string_view text) {
  std::size_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) {
    return std::nullopt;
  }
  return value;
}

constexpr std::string_view usage_text =
    R"(usage:
  PROGRAM generate DIR --users N --per-user M
      build the store in DIR (a new or empty directory)
  PROGRAM run DIR [--bulk-iterations K] [--no-warm] [--benchmark_* flags]
      run the benchmarks over the store in DIR; --no-warm skips the pass
      that faults the store's pages in before the first benchmark
  PROGRAM profile DIR --op OP --count N
      run one operation N times for a profiler: resolve, get or list over
      the hot set (resolve_uniform, get_uniform, list_uniform: over all
      the data); credvault and the floor also take open, create and
      set_default (set_default_uniform), which write to DIR
)";

struct arguments {
  std::string command;
  std::filesystem::path dir;
  shape size;
  run_options options;
  std::string op = "resolve";
  std::size_t count = 100000;
};

// Parses what benchmark::Initialize left of the command line; prints the
// problem and returns nullopt when it is not a valid command.
std::optional<arguments> parse_arguments(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << usage_text;
    return std::nullopt;
  }
  arguments a;
  a.command = argv[1];
  a.dir = argv[2];
  for (int i = 3; i < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (flag == "--no-warm") {
      a.options.warm = false;
      --i;
      continue;
    }
    const std::string_view value = i + 1 < argc ? argv[i + 1] : "";
    if (flag == "--op" && !value.empty()) {
      a.op = value;
      continue;
    }
    const std::optional<std::size_t> number = parse_size(value);
    if (!number) {
      std::cerr << "bad or missing value for " << flag << "\n" << usage_text;
      return std::nullopt;
    }
    if (flag == "--users") {
      a.size.users = *number;
    } else if (flag == "--per-user") {
      a.size.per_user = *number;
    } else if (flag == "--bulk-iterations") {
      a.options.bulk_iterations = *number;
    } else if (flag == "--count") {
      a.count = *number;
    } else {
      std::cerr << "unknown option " << flag << "\n" << usage_text;
      return std::nullopt;
    }
  }
  return a;
}

int generate(const arguments& a, const store_hooks& hooks) {
  if (a.size.users == 0 || a.size.per_user == 0 ||
      a.size.per_user >= (std::size_t{1} << 31)) {
    std::cerr << "generate needs --users N and --per-user M, both positive\n";
    return 2;
  }
  std::error_code ec;
  if (std::filesystem::exists(a.dir, ec) &&
      !std::filesystem::is_empty(a.dir, ec)) {
    std::cerr << a.dir.string() << " is not empty; remove it first\n";
    return 2;
  }
  std::filesystem::create_directories(a.dir, ec);
  if (ec) {
    std::cerr << "cannot create " << a.dir.string() << ": " << ec.message()
              << "\n";
    return 1;
  }
  if (!hooks.generate(a.dir, a.size) || !write_shape(a.dir, a.size)) {
    return 1;
  }
  return 0;
}

}  // namespace

std::uint64_t mix(std::uint64_t x) noexcept {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9u;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebu;
  x ^= x >> 31;
  return x;
}

bool write_shape(const std::filesystem::path& dir, const shape& s) {
  std::ofstream out(dir / "shape");
  out << s.users << ' ' << s.per_user << ' ' << data_version << '\n';
  out.close();
  if (!out) {
    std::cerr << "cannot write " << (dir / "shape").string() << "\n";
    return false;
  }
  return true;
}

std::optional<shape> read_shape(const std::filesystem::path& dir) {
  std::ifstream in(dir / "shape");
  shape s;
  int version = 0;
  if (!(in >> s.users >> s.per_user >> version) || s.total() == 0 ||
      version != data_version) {
    return std::nullopt;
  }
  return s;
}

pick uniform_pick(rng& r, const shape& s) noexcept {
  const std::size_t i = r.below(s.total());
  return pick{i / s.per_user, i % s.per_user};
}

std::vector<pick> hot_set(const shape& s, std::size_t n) {
  rng r(hot_seed);
  std::vector<pick> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(uniform_pick(r, s));
  }
  return out;
}

std::string user_name(std::size_t u) {
  std::string out;
  append_hex(out, mix(user_seed ^ u), 16);
  append_hex(out, mix(user_seed + u), 8);
  return out;
}

// Every user has the same names: a name is unique per user only.
std::string credential_name(std::size_t /*u*/, std::size_t c) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%07zu", c);
  return std::string("snowflake analysts ") + digits;
}

std::string object_id(std::size_t u, std::size_t c) {
  std::string out;
  write_object_id(out, u, c);
  return out;
}

void write_object_id(std::string& out, std::size_t u, std::size_t c) {
  out.clear();
  append_hex(out, mix(object_seed ^ index_of(u, c)), 16);
  append_hex(out, mix(object_seed + index_of(u, c)), 8);
}

std::string client_id(std::size_t u, std::size_t c) {
  std::string out = "0oa";
  append_hex(out, mix(secret_seed ^ index_of(u, c)), 16);
  return out;
}

std::string client_secret(std::size_t u, std::size_t c) {
  return secret_text(mix(secret_seed + index_of(u, c)), 44);
}

std::string fresh_secret(std::uint64_t round) {
  return secret_text(mix(~secret_seed ^ round), 44);
}

raw_id id_of(std::size_t u, std::size_t c) noexcept {
  raw_id out{};
  std::array<std::byte, 8> tail{};
  store_u64(out.data(), mix(id_seed ^ index_of(u, c)));
  store_u64(tail.data(), mix(id_seed + index_of(u, c)));
  std::memcpy(out.data() + 8, tail.data(), 4);
  return out;
}

key16 fast_key(char tag, std::size_t u, std::size_t c) noexcept {
  // Distinct (u, c) give distinct keys under one tag; other tags draw from
  // other seeds.
  const std::uint64_t seed =
      key_seed + 0x9e3779b97f4a7c15u * static_cast<unsigned char>(tag);
  key16 out{};
  store_u64(out.data(), mix(seed ^ index_of(u, c)));
  store_u64(out.data() + 8, mix(seed + index_of(u, c)));
  return out;
}

void store_u64(std::byte* out, std::uint64_t v) noexcept {
  for (std::size_t i = 0; i < 8; ++i) {
    out[i] = static_cast<std::byte>(v >> (56 - 8 * i));
  }
}

std::uint64_t load_u64(const std::byte* in) noexcept {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    v = (v << 8) | std::to_integer<std::uint64_t>(in[i]);
  }
  return v;
}

std::int64_t now_micros() noexcept {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch())
      .count();
}

progress::progress(std::string what, std::size_t total)
    : what_(std::move(what)),
      total_(total),
      tty_(::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_print_(start_) {}

progress::~progress() {
  if (!finished_) {
    print(total_, true);
  }
}

void progress::update(std::size_t done) {
  const auto now = std::chrono::steady_clock::now();
  if (done >= total_) {
    finished_ = true;
    print(done, true);
    return;
  }
  if (tty_) {
    if (now - last_print_ > std::chrono::milliseconds(250)) {
      last_print_ = now;
      print(done, false);
    }
    return;
  }
  const std::size_t tenth = total_ == 0 ? 10 : done * 10 / total_;
  if (tenth > printed_tenth_) {
    printed_tenth_ = tenth;
    print(done, false);
  }
}

void progress::print(std::size_t done, bool last) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_)
          .count();
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  std::fprintf(stderr, "%s%s: %zu / %zu (%.0f%%), %.1f s, %.0f/s%s",
               tty_ ? "\r" : "", what_.c_str(), done, total_,
               total_ == 0 ? 100.0
                           : 100.0 * static_cast<double>(done) /
                                 static_cast<double>(total_),
               seconds, rate, tty_ && !last ? "\033[K" : "\n");
  std::fflush(stderr);
}

int bench_main(int argc, char** argv, const store_hooks& hooks) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      std::cout << usage_text;
      return 0;
    }
  }
  benchmark::Initialize(&argc, argv);
  const std::optional<arguments> a = parse_arguments(argc, argv);
  if (!a) {
    return 2;
  }
  if (a->command == "generate") {
    return generate(*a, hooks);
  }

  const std::optional<shape> s = read_shape(a->dir);
  if (!s) {
    std::cerr << "no " << hooks.name << " data of version " << data_version
              << " in " << a->dir.string() << " (run generate)\n";
    return 2;
  }
  if (a->command == "profile") {
    return hooks.profile(a->dir, *s, a->op, a->count) ? 0 : 1;
  }
  if (a->command != "run") {
    std::cerr << "unknown command " << a->command << "\n" << usage_text;
    return 2;
  }
  if (!hooks.register_benchmarks(a->dir, *s, a->options)) {
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace credvault::bench
