// Crash safety: a child process writes to the vault at random and is
// killed (SIGKILL) at a random moment; the vault must then pass verify()
// and hold every write the child reported as committed.
//
// The child reports each write twice through a pipe: an intent line
// before the call ("I ...") and a done line after it returned ok ("D
// ..."). Every done write must be in the vault. The one write that was
// under way when the kill came may be there or not, whole or not at all.
//
// The kill comes 0 to 30 ms after the child has opened the vault, in which
// time it commits a few writes (each is synced to disk).
//
// CREDVAULT_CRASH_KILLS sets the number of kills (default 200, about 20 s
// in the ci preset; CREDVAULT_CRASH_KILLS=5000 for a long run) and
// CREDVAULT_CRASH_SEED the seed, which a failure prints. The seed fixes
// the writes each child attempts and the delays; where a kill lands in a
// write still depends on timing, so a rerun repeats the scenario, not
// necessarily the exact interleaving.
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <optional>
#include <poll.h>
#include <random>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

#include "credvault/vault.hpp"

#include "reliability/workload.hpp"
#include "vault/vault_fixture.hpp"

using namespace credvault;
using credvault::test::model;
using credvault::test::write_op;

namespace {

constexpr const char* user = "crash-user";

std::uint64_t setting(const char* name, std::uint64_t fallback) {
  const char* text = std::getenv(name);
  return text != nullptr ? std::strtoull(text, nullptr, 10) : fallback;
}

// The error of `r` described, or nothing: Boost may build a message even
// when the check passes.
template <class T>
std::string problem(const result<T>& r) {
  return r ? std::string() : r.error().describe();
}

bool write_line(int fd, const std::string& line) {
  // One write of at most PIPE_BUF bytes is atomic: a killed child leaves
  // whole lines only.
  const std::string out = line + "\n";
  return out.size() <= PIPE_BUF && ::write(fd, out.data(), out.size()) ==
                                       static_cast<ssize_t>(out.size());
}

// The child: opens the vault, says so, then writes until it is killed.
[[noreturn]] void run_child(const std::filesystem::path& dir, model m,
                            std::uint64_t seed, int fd) {
  auto v = vault::open(dir, test::test_key(), {});
  if (!v) {
    write_line(fd, "F open: " + v.error().describe());
    ::_exit(3);
  }
  write_line(fd, "R");
  std::mt19937_64 rng(seed);
  for (;;) {
    write_op op = test::choose(m, rng, "c");
    write_line(fd, "I " + test::encode(op));
    if (auto failed = test::perform(**v, user, op)) {
      write_line(fd, "F " + *failed);
      ::_exit(3);
    }
    write_line(fd, "D " + test::encode(op));
    test::apply(m, op);
  }
}

// What the parent learned from one child.
struct child_report {
  std::vector<write_op> done;
  std::optional<write_op> in_flight;
  std::string failure;  // the child's own failure, if it had one
};

child_report parse_report(const std::string& text) {
  child_report r;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("F ")) {
      r.failure = line.substr(2);
    } else if (line.starts_with("I ")) {
      r.in_flight = test::decode_op(line.substr(2));
    } else if (line.starts_with("D ")) {
      if (auto op = test::decode_op(line.substr(2))) {
        r.done.push_back(std::move(*op));
      }
      r.in_flight.reset();
    }
  }
  return r;
}

// Reads what is in `fd` into `out` until `until` returns true, the child
// closes the pipe, or ten seconds pass.
template <class Until>
void read_pipe(int fd, std::string& out, Until until) {
  char buf[4096];
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!until() && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) {
      continue;
    }
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) {
      return;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
}

// The in-flight write, applied to `m` if the vault shows it was
// committed: a create's ids are found by name in what was observed.
std::optional<model> with_in_flight(model m, write_op op,
                                    const model& observed) {
  if (op.k == write_op::kind::create) {
    op.ids.clear();
    for (const auto& [name, s] : op.added) {
      for (const auto& [id, c] : observed.credentials) {
        if (c.name == name) {
          op.ids.push_back(id);
        }
      }
    }
    if (op.ids.size() != op.added.size()) {
      return std::nullopt;
    }
  }
  test::apply(m, op);
  return m;
}

// What the rounds did, to show that the kills hit writes.
struct tally {
  std::uint64_t committed = 0;       // writes reported done
  std::uint64_t in_flight_kept = 0;  // writes killed after their commit
};

// One round: a child writes, is killed, and the vault is checked. The
// model becomes what the vault now holds.
void one_kill(const std::filesystem::path& dir, model& m, std::uint64_t seed,
              std::uint64_t round, std::mt19937_64& rng, tally& t) {
  int fds[2];
  BOOST_REQUIRE(::pipe(fds) == 0);
  const pid_t child = ::fork();
  BOOST_REQUIRE(child >= 0);
  if (child == 0) {
    ::close(fds[0]);
    run_child(dir, m, seed + round, fds[1]);
  }
  ::close(fds[1]);

  std::string text;
  read_pipe(fds[0], text, [&] { return text.find('\n') != std::string::npos; });
  std::this_thread::sleep_for(std::chrono::microseconds(rng() % 30000));
  ::kill(child, SIGKILL);
  int status = 0;
  BOOST_REQUIRE(::waitpid(child, &status, 0) == child);
  read_pipe(fds[0], text, [] { return false; });
  ::close(fds[0]);

  const std::string where =
      "seed " + std::to_string(seed) + ", round " + std::to_string(round);
  child_report report = parse_report(text);
  BOOST_REQUIRE_MESSAGE(report.failure.empty(),
                        where << ": the child failed: " << report.failure);
  BOOST_REQUIRE_MESSAGE(WIFSIGNALED(status),
                        where << ": the child ended before the kill");
  for (const write_op& op : report.done) {
    test::apply(m, op);
  }
  t.committed += report.done.size();

  auto v = vault::open(dir, test::test_key(), {});
  BOOST_REQUIRE_MESSAGE(v.ok(), where << ": reopening failed: " << problem(v));
  auto checked = (*v)->verify();
  BOOST_REQUIRE_MESSAGE(checked.ok(),
                        where << ": verify failed: " << problem(checked));
  std::string failure;
  auto observed = test::observe(**v, user, failure);
  BOOST_REQUIRE_MESSAGE(observed,
                        where << ": reading back failed: " << failure);

  if (*observed == m) {
    return;
  }
  std::optional<model> after;
  if (report.in_flight) {
    after = with_in_flight(m, *report.in_flight, *observed);
  }
  BOOST_REQUIRE_MESSAGE(after && *after == *observed,
                        where << ": the vault lost a committed write: "
                              << test::difference(m, *observed));
  m = std::move(*after);
  ++t.in_flight_kept;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(crash)

BOOST_AUTO_TEST_CASE(killed_writers_leave_a_verified_vault_with_every_commit) {
  const std::uint64_t kills = setting("CREDVAULT_CRASH_KILLS", 200);
  const std::uint64_t seed =
      setting("CREDVAULT_CRASH_SEED", std::random_device{}());
  BOOST_TEST_MESSAGE("crash test: seed " << seed << ", " << kills << " kills");
  test::temp_dir dir;
  const auto path = dir.path() / "vault";
  {
    auto v = vault::open(path, test::test_key(), test::create_options());
    CREDVAULT_REQUIRE_OK(v);
  }
  std::mt19937_64 rng(seed);
  model m;
  tally t;

  for (std::uint64_t round = 0; round < kills; ++round) {
    one_kill(path, m, seed, round, rng, t);
  }

  BOOST_TEST_MESSAGE("crash test: " << t.committed << " writes committed, "
                                    << t.in_flight_kept
                                    << " killed after their commit");
  // Kills that mostly came before the first write would prove little.
  BOOST_TEST(t.committed >= kills / 4, "seed " << seed);
}

BOOST_AUTO_TEST_SUITE_END()
