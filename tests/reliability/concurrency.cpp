// Threads and a second process read, resolve and write one vault at once;
// afterwards the vault passes verify() and holds what each writer's own
// bookkeeping says it wrote.
//
// Each writer (a thread, or the forked process) acts for a user of its
// own, so its model is exact; readers roam over every user and check that
// what they see is whole and belongs to the user they asked for.
#include <atomic>
#include <filesystem>
#include <random>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "credvault/vault.hpp"

#include "reliability/workload.hpp"
#include "vault/vault_fixture.hpp"

using namespace credvault;
using credvault::test::model;
using credvault::test::write_op;

namespace {

constexpr int writes_per_writer = 150;
constexpr int writer_threads = 3;

std::string user_of(int writer) {
  return "writer-" + std::to_string(writer);
}

// Runs the workload for `user`; the error of the first failed write, or
// of the final comparison, or nothing.
std::string run_writer(vault& v, const std::string& user, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  model m;
  for (int i = 0; i < writes_per_writer; ++i) {
    write_op op = test::choose(m, rng, "w");
    if (auto failed = test::perform(v, user, op)) {
      return "write " + std::to_string(i) + ": " + *failed;
    }
    test::apply(m, op);
  }
  std::string failure;
  auto observed = test::observe(v, user, failure);
  if (!observed) {
    return failure;
  }
  if (!(*observed == m)) {
    return "the vault differs from the writer's model: " +
           test::difference(m, *observed);
  }
  return {};
}

// Reads every writer's part of the vault until `stop`. Returns what went
// wrong, if anything: a read may miss a credential deleted under it, but
// never fail otherwise or show another user's data.
std::string run_reader(vault& v, std::uint64_t seed,
                       const std::atomic<bool>& stop) {
  std::mt19937_64 rng(seed);
  while (!stop.load()) {
    const std::string user =
        user_of(static_cast<int>(rng() % (writer_threads + 1)));
    auto page = v.list(user, {});
    if (!page) {
      return "list: " + page.error().describe();
    }
    for (const credential_metadata& m : page->items) {
      if (!m.name.starts_with("wn")) {
        return "list showed a name no writer made";
      }
      auto r = v.reveal(user, m.credential_id);
      if (!r && r.error().code() != errc::not_found) {
        return "reveal: " + r.error().describe();
      }
    }
    const std::string& object = test::object_pool()[rng() % 4];
    auto d = v.resolve_default(user,
                               object_ref{object_type::dataconnection, object});
    if (!d) {
      return "resolve_default: " + d.error().describe();
    }
    if (*d) {
      auto same = v.get(user, (*d)->metadata.credential_id);
      if (!same && same.error().code() != errc::not_found) {
        return "get of a default: " + same.error().describe();
      }
    }
  }
  return {};
}

// The second process: a writer and a reader thread over its own opening
// of the vault at `path`. Whether both finished without a failure.
bool run_process(const std::filesystem::path& path, std::uint64_t seed) {
  auto v = vault::open(path, test::test_key(), {});
  if (!v) {
    return false;
  }

  std::atomic<bool> stop{false};
  std::string read_failure;
  std::thread reader([&] { read_failure = run_reader(**v, seed + 1, stop); });
  const std::string write_failure =
      run_writer(**v, user_of(writer_threads), seed);
  stop = true;
  reader.join();
  return write_failure.empty() && read_failure.empty();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(concurrency)

BOOST_AUTO_TEST_CASE(
    threads_and_a_process_writing_at_once_keep_the_vault_whole) {
  const std::uint64_t seed = std::random_device{}();
  BOOST_TEST_MESSAGE("concurrency test: seed " << seed);
  test::temp_dir dir;
  const auto path = dir.path() / "vault";
  {
    auto created = vault::open(path, test::test_key(), test::create_options());
    CREDVAULT_REQUIRE_OK(created);
  }

  // The process starts before this one opens the vault or starts threads.
  // It writes for a user of its own and, in a second thread, reads and
  // resolves across every user, so that each process reads what the other
  // writes.
  const pid_t child = ::fork();
  BOOST_REQUIRE(child >= 0);
  if (child == 0) {
    ::_exit(run_process(path, seed + 100) ? 0 : 1);
  }
  auto v = vault::open(path, test::test_key(), {});
  CREDVAULT_REQUIRE_OK(v);

  std::vector<std::string> failures(writer_threads + 2);
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < writer_threads; ++i) {
    threads.emplace_back([&, i] {
      failures[static_cast<std::size_t>(i)] =
          run_writer(**v, user_of(i), seed + static_cast<std::uint64_t>(i));
    });
  }
  std::vector<std::thread> readers;
  for (int i = 0; i < 2; ++i) {
    readers.emplace_back([&, i] {
      failures[static_cast<std::size_t>(writer_threads + i)] =
          run_reader(**v, seed + 50 + static_cast<std::uint64_t>(i), stop);
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  int status = 0;
  BOOST_REQUIRE(::waitpid(child, &status, 0) == child);
  stop = true;
  for (std::thread& t : readers) {
    t.join();
  }

  for (std::size_t i = 0; i < failures.size(); ++i) {
    BOOST_TEST(failures[i].empty(),
               "seed " << seed << ", thread " << i << ": " << failures[i]);
  }
  BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 0),
             "seed " << seed << ": the second process failed");
  auto report = (*v)->verify();
  CREDVAULT_REQUIRE_OK(report);
  BOOST_TEST(report->users == static_cast<std::size_t>(writer_threads + 1));
}

BOOST_AUTO_TEST_SUITE_END()
