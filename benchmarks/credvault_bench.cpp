// credvault's operations through its public API, over a vault holding the
// data set of dataset.hpp: see benchmarks/run, which builds the data and
// lines these results up with the comparators'.
//
// The data directory holds the vault ("vault/"), its key file ("key") and
// the ids create_many returned ("ids", 24 hex digits each, user-major),
// since credvault draws its ids at random.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <malloc.h>
#include <memory>
#include <optional>
#include <string>
#include <unistd.h>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "credvault/association.hpp"
#include "credvault/codec.hpp"
#include "credvault/credential.hpp"
#include "credvault/vault.hpp"

#include "dataset.hpp"

namespace credvault::bench {
namespace {

using snowflake = snowflake_oauth_user_account_credential;

credential_input make_input(std::string name, std::size_t u, std::size_t c) {
  snowflake value;
  value.client_id = client_id(u, c);
  value.client_secret = secret(client_secret(u, c));
  value.oauth_issuer_type = oauth_issuer_type::okta;
  value.oauth_issuer_url = std::string(issuer_url);
  value.oauth_scopes =
      std::vector<std::string>(bench::scopes.begin(), bench::scopes.end());
  value.snowflake_account_name = std::string(account_name);
  return credential_input{std::move(name), std::string(description),
                          std::move(value)};
}

object_ref object_of(std::size_t u, std::size_t c) {
  return object_ref{object_type::dataconnection, object_id(u, c)};
}

// The bit of `field` in credential_update::fields for a Snowflake OAuth
// credential.
std::uint32_t field_bit(std::string_view field) {
  const auto fields = fields_of(credential_type::snowflake_oauth_user_account);
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == field) {
      return std::uint32_t{1} << i;
    }
  }
  return 0;
}

std::filesystem::path vault_dir(const std::filesystem::path& dir) {
  return dir / "vault";
}

key_source key_of(const std::filesystem::path& dir) {
  return key_source::key_file(dir / "key");
}

bool fail(std::string_view doing, const error& e) {
  std::cerr << "credvault: " << doing << ": " << e.describe() << "\n";
  return false;
}

// Stops a benchmark, saying what failed and why.
void skip(benchmark::State& state, std::string_view doing, const error& e) {
  state.SkipWithError((std::string(doing) + ": " + e.describe()).c_str());
}

// --- generating -----------------------------------------------------------

bool create_credentials(vault& v, const shape& s, std::ofstream& ids) {
  progress shown("credvault: create_many", s.total());
  for (std::size_t u = 0; u < s.users; ++u) {
    std::vector<credential_input> inputs;
    inputs.reserve(s.per_user);
    for (std::size_t c = 0; c < s.per_user; ++c) {
      inputs.push_back(make_input(credential_name(u, c), u, c));
    }
    bulk_options options;
    options.progress = [&](std::size_t done, std::size_t) {
      shown.update(u * s.per_user + done);
    };
    auto created = v.create_many(user_name(u), std::move(inputs), options);
    if (!created) {
      return fail("create_many", created.error());
    }
    for (const credential_metadata& m : *created) {
      ids << m.credential_id.str();
    }
  }
  return static_cast<bool>(ids.flush());
}

bool associate(vault& v, const shape& s,
               const std::vector<credential_id>& ids) {
  progress shown("credvault: set_association (default)", s.total());
  for (std::size_t u = 0; u < s.users; ++u) {
    const std::string user = user_name(u);
    for (std::size_t c = 0; c < s.per_user; ++c) {
      const std::size_t i = u * s.per_user + c;
      auto r = v.set_association(user, ids[i], object_of(u, c), true);
      if (!r) {
        return fail("set_association", r.error());
      }
      shown.update(i + 1);
    }
  }
  return true;
}

std::optional<std::vector<credential_id>> read_ids(
    const std::filesystem::path& dir, std::size_t total) {
  std::ifstream in(dir / "ids", std::ios::binary);
  std::vector<credential_id> ids;
  ids.reserve(total);
  std::string text(credential_id::size, '\0');
  while (ids.size() < total &&
         in.read(text.data(), static_cast<std::streamsize>(text.size()))) {
    auto id = credential_id::parse(text);
    if (!id) {
      break;
    }
    ids.push_back(*id);
  }
  if (ids.size() != total) {
    std::cerr << "credvault: " << (dir / "ids").string()
              << " is missing or short; generate the data again\n";
    return std::nullopt;
  }
  return ids;
}

bool generate(const std::filesystem::path& dir, const shape& s) {
  if (auto r = create_key_file(dir / "key"); !r) {
    return fail("creating the key file", r.error());
  }
  open_options options;
  options.mode = open_mode::create_new;
  auto v = vault::open(vault_dir(dir), key_of(dir), options);
  if (!v) {
    return fail("creating the vault", v.error());
  }
  {
    std::ofstream ids(dir / "ids", std::ios::binary);
    if (!create_credentials(**v, s, ids)) {
      return false;
    }
  }
  auto ids = read_ids(dir, s.total());
  return ids && associate(**v, s, *ids);
}

// --- benchmarking ---------------------------------------------------------

// What the benchmarks share: the data set's names and ids, and the vault,
// opened (and its map warmed) on first use. Neither copied nor moved.
class fixture {
 public:
  // `warm`: fault the vault's pages in at every open (a profile leaves
  // that out, so that it counts only the operations it runs).
  fixture(std::filesystem::path dir, const shape& s,
          std::vector<credential_id> ids, bool warm = true)
      : dir_(std::move(dir)), size_(s), ids_(std::move(ids)), warm_(warm) {
    users_.reserve(s.users);
    for (std::size_t u = 0; u < s.users; ++u) {
      users_.push_back(user_name(u));
    }
    scratch_.id.reserve(32);
    hot_ = hot_set(s, hot_objects);
    // Names of credentials the write benchmarks create must be new in
    // every run over the same data.
    run_tag_ = std::to_string(now_micros()) + "-" + std::to_string(::getpid());
  }
  fixture(const fixture&) = delete;
  fixture& operator=(const fixture&) = delete;

  // The open vault, or nullptr after printing why it would not open.
  vault* get() {
    if (vault_ == nullptr) {
      auto v = vault::open(vault_dir(dir_), key_of(dir_));
      if (!v) {
        fail("opening the vault", v.error());
        return nullptr;
      }
      vault_ = std::move(*v);
      if (warm_) {
        warm();
      }
    }
    return vault_.get();
  }

  void close() { vault_.reset(); }

  const std::filesystem::path& dir() const { return dir_; }
  const shape& size() const { return size_; }
  const std::string& user(const pick& p) const { return users_[p.user]; }
  const credential_id& id(const pick& p) const { return ids_[flat(p)]; }
  // Data connection p, written over the one object_ref the benchmarks
  // reuse: valid until the next call.
  const object_ref& object(const pick& p) const {
    write_object_id(scratch_.id, p.user, p.index);
    return scratch_;
  }
  const std::vector<pick>& hot() const { return hot_; }
  const std::string& run_tag() const { return run_tag_; }
  // A number this run has not used before: Google Benchmark calls each
  // benchmark function several times, and every call creates new names.
  std::size_t next_serial() { return ++serial_; }

 private:
  std::size_t flat(const pick& p) const {
    return p.user * size_.per_user + p.index;
  }

  // A new map faults its pages in on first touch; one pass over every
  // default, record and first page makes the timed loops start warm.
  void warm() {
    for (std::size_t u = 0; u < size_.users; ++u) {
      benchmark::DoNotOptimize(vault_->list(users_[u], list_query{}));
      for (std::size_t c = 0; c < size_.per_user; ++c) {
        benchmark::DoNotOptimize(
            vault_->resolve_default(users_[u], object({u, c})));
      }
    }
  }

  std::filesystem::path dir_;
  shape size_;
  std::vector<credential_id> ids_;
  bool warm_;
  std::vector<std::string> users_;
  mutable object_ref scratch_{object_type::dataconnection, {}};
  std::vector<pick> hot_;
  std::string run_tag_;
  std::size_t serial_ = 0;
  std::unique_ptr<vault> vault_;
};

std::unique_ptr<fixture> the_fixture;

// Bytes the heap holds for the program, from glibc's own count.
double heap_in_use() {
  return static_cast<double>(::mallinfo2().uordblks);
}

// Also counts what an open vault holds on the heap ("heap_bytes"): the
// same for a vault of ten thousand credentials and of a million, since
// opening reads the meta records alone (LMDB's map is not the heap).
void bm_open(benchmark::State& state) {
  the_fixture->close();
  const std::filesystem::path dir = vault_dir(the_fixture->dir());
  const key_source key = key_of(the_fixture->dir());
  double held = 0;
  for (auto _ : state) {
    const double before = heap_in_use();
    auto v = vault::open(dir, key);
    if (!v) {
      skip(state, "vault::open", v.error());
      break;
    }
    held = heap_in_use() - before;
    benchmark::DoNotOptimize(v->get());
  }
  state.counters["heap_bytes"] = held;
}

// Also counts how much more the heap holds after the loop than before it
// ("heap_growth_bytes"): nothing a call keeps grows with the calls.
template <class Pick>
void resolve_loop(benchmark::State& state, Pick&& next) {
  vault* v = the_fixture->get();
  const double before = heap_in_use();
  for (auto _ : state) {
    const pick p = next();
    auto found =
        v->resolve_default(the_fixture->user(p), the_fixture->object(p));
    if (!found) {
      skip(state, "resolve_default", found.error());
      break;
    }
    if (!*found) {
      state.SkipWithError("resolve_default found no default");
      break;
    }
    benchmark::DoNotOptimize(found);
  }
  state.counters["heap_growth_bytes"] = heap_in_use() - before;
}

void bm_resolve_uniform(benchmark::State& state) {
  rng r(1);
  resolve_loop(state, [&] { return uniform_pick(r, the_fixture->size()); });
}

void bm_resolve_hot(benchmark::State& state) {
  rng r(2);
  const std::vector<pick>& hot = the_fixture->hot();
  resolve_loop(state, [&] { return hot[r.below(hot.size())]; });
}

void bm_get(benchmark::State& state) {
  vault* v = the_fixture->get();
  rng r(3);
  for (auto _ : state) {
    const pick p = uniform_pick(r, the_fixture->size());
    auto m = v->get(the_fixture->user(p), the_fixture->id(p));
    if (!m) {
      skip(state, "get", m.error());
      break;
    }
    benchmark::DoNotOptimize(m);
  }
}

// Asking for a credential that is not the caller's must cost what asking
// for one that exists nowhere costs, or the time would tell one user that
// another's id exists. `foreign`: user p.user asks for credential p of the
// next user; otherwise for a random id no one holds. Both are uniform over
// as many ids, so that neither finds its B-tree pages warmer.
void bm_get_not_found(benchmark::State& state, bool foreign) {
  vault* v = the_fixture->get();
  rng r(foreign ? 13 : 14);
  const shape& size = the_fixture->size();
  // Drawn once: Google Benchmark calls this function several times.
  static const std::vector<credential_id> nowhere = [&] {
    std::vector<credential_id> ids;
    for (std::size_t i = 0; i < size.total(); ++i) {
      ids.push_back(*credential_id::generate());
    }
    return ids;
  }();
  for (auto _ : state) {
    const pick p = uniform_pick(r, size);
    const pick other{(p.user + 1) % size.users, p.index};
    auto m = v->get(the_fixture->user(p),
                    foreign ? the_fixture->id(other)
                            : nowhere[p.user * size.per_user + p.index]);
    if (m || m.error().code() != errc::not_found) {
      state.SkipWithError("get of a credential not the caller's succeeded");
      break;
    }
    benchmark::DoNotOptimize(m);
  }
}

void bm_reveal(benchmark::State& state) {
  vault* v = the_fixture->get();
  rng r(4);
  for (auto _ : state) {
    const pick p = uniform_pick(r, the_fixture->size());
    auto c = v->reveal(the_fixture->user(p), the_fixture->id(p));
    if (!c) {
      skip(state, "reveal", c.error());
      break;
    }
    benchmark::DoNotOptimize(c);
  }
}

void bm_list(benchmark::State& state) {
  vault* v = the_fixture->get();
  rng r(5);
  const std::size_t expected =
      std::min(list_page, the_fixture->size().per_user);
  for (auto _ : state) {
    const pick p = uniform_pick(r, the_fixture->size());
    auto page = v->list(the_fixture->user(p), list_query{.limit = list_page});
    if (!page) {
      skip(state, "list", page.error());
      break;
    }
    if (page->items.size() != expected) {
      state.SkipWithError("list did not return a full page");
      break;
    }
    benchmark::DoNotOptimize(page);
  }
}

void bm_update(benchmark::State& state) {
  vault* v = the_fixture->get();
  const std::uint32_t bit = field_bit("clientSecret");
  rng r(6);
  std::uint64_t round = 0;
  for (auto _ : state) {
    const pick p = uniform_pick(r, the_fixture->size());
    snowflake values;
    values.client_secret = secret(fresh_secret(++round));
    auto m = v->update(
        the_fixture->user(p), the_fixture->id(p),
        credential_update{std::nullopt, std::nullopt, std::move(values), bit});
    if (!m) {
      skip(state, "update", m.error());
      break;
    }
    benchmark::DoNotOptimize(m);
  }
}

void bm_set_default(benchmark::State& state) {
  vault* v = the_fixture->get();
  rng r(7);
  for (auto _ : state) {
    const pick p = uniform_pick(r, the_fixture->size());
    auto outcome = v->set_association(the_fixture->user(p), the_fixture->id(p),
                                      the_fixture->object(p), true);
    if (!outcome) {
      skip(state, "set_association", outcome.error());
      break;
    }
    benchmark::DoNotOptimize(outcome);
  }
}

void bm_create(benchmark::State& state) {
  vault* v = the_fixture->get();
  const pick owner{0, 0};
  const std::string prefix = "created " + the_fixture->run_tag() + " ";
  for (auto _ : state) {
    const std::size_t n = the_fixture->next_serial();
    auto m = v->create(the_fixture->user(owner),
                       make_input(prefix + std::to_string(n), 0, n));
    if (!m) {
      skip(state, "create", m.error());
      break;
    }
    benchmark::DoNotOptimize(m);
  }
}

// Each iteration imports a batch into a user of its own, as a host
// importing one user's credentials would.
void bm_bulk_import(benchmark::State& state) {
  vault* v = the_fixture->get();
  for (auto _ : state) {
    state.PauseTiming();
    const std::size_t n = the_fixture->next_serial();
    const std::string user =
        "bulk " + the_fixture->run_tag() + " " + std::to_string(n);
    std::vector<credential_input> inputs;
    inputs.reserve(bulk_batch);
    for (std::size_t c = 0; c < bulk_batch; ++c) {
      inputs.push_back(make_input(credential_name(n, c), n, c));
    }
    state.ResumeTiming();

    auto created = v->create_many(user, std::move(inputs));
    if (!created) {
      skip(state, "create_many", created.error());
      break;
    }
    benchmark::DoNotOptimize(created);
  }
}

bool register_benchmarks(const std::filesystem::path& dir, const shape& s,
                         const run_options& options) {
  auto ids = read_ids(dir, s.total());
  if (!ids) {
    return false;
  }
  the_fixture =
      std::make_unique<fixture>(dir, s, std::move(*ids), options.warm);

  const std::pair<const char*, void (*)(benchmark::State&)> all[] = {
      {op::open, bm_open},
      {op::resolve_uniform, bm_resolve_uniform},
      {op::resolve_hot, bm_resolve_hot},
      {op::get, bm_get},
      {op::reveal, bm_reveal},
      {op::list, bm_list},
      {op::update, bm_update},
      {op::set_default, bm_set_default},
      {op::create, bm_create},
  };
  for (const auto& [name, fn] : all) {
    benchmark::RegisterBenchmark(name, fn)->UseRealTime();
  }
  benchmark::RegisterBenchmark(op::get_foreign, bm_get_not_found, true)
      ->UseRealTime();
  benchmark::RegisterBenchmark(op::get_missing, bm_get_not_found, false)
      ->UseRealTime();
  benchmark::RegisterBenchmark(op::bulk_import, bm_bulk_import)
      ->UseRealTime()
      ->Iterations(
          static_cast<benchmark::IterationCount>(options.bulk_iterations));
  return true;
}

// --- profiling ------------------------------------------------------------

// One operation of a profile on p, with `n` making created names new.
bool profiled_op(vault& v, const fixture& f, std::string_view what,
                 const pick& p, std::size_t n) {
  if (what == "resolve") {
    auto found = v.resolve_default(f.user(p), f.object(p));
    return found && *found;
  }
  if (what == "get") {
    return v.get(f.user(p), f.id(p)).ok();
  }
  if (what == "list") {
    return v.list(f.user(p), list_query{}).ok();
  }
  if (what == "set_default") {
    return v.set_association(f.user(p), f.id(p), f.object(p), true).ok();
  }
  const std::string name = "profiled " + f.run_tag() + " " + std::to_string(n);
  return v.create(f.user(pick{0, 0}), make_input(name, 0, n)).ok();
}

bool profile(const std::filesystem::path& dir, const shape& s,
             std::string_view what, std::size_t count) {
  if (what == "open") {
    const key_source key = key_of(dir);
    for (std::size_t i = 0; i < count; ++i) {
      if (auto v = vault::open(vault_dir(dir), key); !v) {
        return fail("opening the vault", v.error());
      }
    }
    return true;
  }
  // "resolve" and the other reads take the hot set; with "_uniform", the
  // whole data set.
  const bool uniform = what.ends_with("_uniform");
  if (uniform) {
    what.remove_suffix(std::string_view("_uniform").size());
  }
  if (what != "resolve" && what != "get" && what != "list" &&
      what != "set_default" && what != "create") {
    std::cerr << "credvault: unknown --op " << what << "\n";
    return false;
  }
  auto ids = read_ids(dir, s.total());
  if (!ids) {
    return false;
  }
  fixture f(dir, s, std::move(*ids), /*warm=*/false);
  vault* v = f.get();
  if (v == nullptr) {
    return false;
  }

  rng r(8);
  for (std::size_t i = 0; i < count; ++i) {
    const pick p =
        uniform ? uniform_pick(r, s) : f.hot()[r.below(f.hot().size())];
    if (!profiled_op(*v, f, what, p, i)) {
      std::cerr << "credvault: " << what << " failed\n";
      return false;
    }
  }
  return true;
}

}  // namespace
}  // namespace credvault::bench

int main(int argc, char** argv) {
  using namespace credvault::bench;
  const int status = bench_main(
      argc, argv,
      store_hooks{"credvault", generate, register_benchmarks, profile});
  the_fixture.reset();
  return status;
}
