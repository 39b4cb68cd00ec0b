#include "file_damage.hpp"

#include <csignal>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>

namespace credvault::test {

void compact_copy(const std::filesystem::path& from,
                  const std::filesystem::path& to) {
  MDB_env* env = nullptr;
  BOOST_REQUIRE(mdb_env_create(&env) == 0);
  BOOST_REQUIRE(mdb_env_set_maxdbs(env, 16) == 0);
  BOOST_REQUIRE(mdb_env_open(env, from.c_str(), MDB_RDONLY, 0600) == 0);

  BOOST_REQUIRE(mdb_env_copy2(env, to.c_str(), MDB_CP_COMPACT) == 0);
  mdb_env_close(env);
}

const char* to_string(region r) noexcept {
  switch (r) {
    case region::meta:
      return "meta";
    case region::branch:
      return "branch";
    case region::leaf_structure:
      return "leaf structure";
    case region::leaf_key:
      return "leaf key";
    case region::leaf_value:
      return "leaf value";
  }
  return "?";
}

namespace {

// The layout of liblmdb 0.9's pages (mdb.c): a 16-byte header (page
// number 8, pad 2, flags 2, lower 2, upper 2, or a 4-byte overflow count
// instead of lower and upper), then 2-byte node offsets; a node is an
// 8-byte header (data size or child page 4, flags 2, key size 2), the key
// and the data. A meta page holds a 136-byte MDB_meta after the header.
constexpr std::size_t header_size = 16;
constexpr std::size_t node_header_size = 8;
constexpr std::size_t meta_size = 136;
constexpr std::uint16_t branch_flag = 0x01;
constexpr std::uint16_t leaf_flag = 0x02;
constexpr std::uint16_t overflow_flag = 0x04;
constexpr std::uint16_t big_data_flag = 0x01;

std::uint16_t u16_at(const std::string& data, std::size_t at) {
  std::uint16_t v = 0;
  std::memcpy(&v, data.data() + at, sizeof v);
  return v;
}

std::uint32_t u32_at(const std::string& data, std::size_t at) {
  std::uint32_t v = 0;
  std::memcpy(&v, data.data() + at, sizeof v);
  return v;
}

void add_range(std::vector<std::size_t>& to, std::size_t begin,
               std::size_t end) {
  for (std::size_t i = begin; i < end; ++i) {
    to.push_back(i);
  }
}

void map_leaf(const std::string& data, std::size_t page, std::size_t psize,
              page_map& out) {
  const std::size_t lower = u16_at(data, page + 12);
  auto& structure = out.offsets[static_cast<int>(region::leaf_structure)];
  add_range(structure, page, page + std::min(lower, psize));

  for (std::size_t p = page + header_size; p + 2 <= page + lower; p += 2) {
    const std::size_t node = page + u16_at(data, p);
    if (node + node_header_size > page + psize) {
      continue;
    }
    add_range(structure, node, node + node_header_size);
    const std::size_t ksize = u16_at(data, node + 6);
    const std::size_t key = node + node_header_size;
    add_range(out.offsets[static_cast<int>(region::leaf_key)], key,
              std::min(key + ksize, page + psize));

    // A big value's slot holds the number of its first overflow page,
    // which is structure; the value itself is mapped with that page.
    const bool big = (u16_at(data, node + 4) & big_data_flag) != 0;
    const std::size_t dsize =
        u16_at(data, node) | (std::size_t{u16_at(data, node + 2)} << 16);
    const std::size_t value = key + ksize;
    const std::size_t end = std::min(value + (big ? 8 : dsize), page + psize);
    add_range(
        big ? structure : out.offsets[static_cast<int>(region::leaf_value)],
        value, end);
  }
}

}  // namespace

page_map map_pages(const std::string& data, std::size_t page_size) {
  page_map out;
  const std::size_t pages = data.size() / page_size;
  for (std::size_t n = 0; n < pages && n < 2; ++n) {
    add_range(out.offsets[static_cast<int>(region::meta)], n * page_size,
              n * page_size + header_size + meta_size);
  }

  for (std::size_t n = 2; n < pages; ++n) {
    const std::size_t page = n * page_size;
    const std::uint16_t flags = u16_at(data, page + 10);
    if ((flags & branch_flag) != 0) {
      add_range(out.offsets[static_cast<int>(region::branch)], page,
                page + page_size);
    } else if ((flags & leaf_flag) != 0) {
      map_leaf(data, page, page_size, out);
    } else if ((flags & overflow_flag) != 0) {
      const std::size_t count = u32_at(data, page + 12);
      add_range(out.offsets[static_cast<int>(region::leaf_structure)], page,
                page + header_size);
      const std::size_t end = std::min(pages, n + count) * page_size;
      add_range(out.offsets[static_cast<int>(region::leaf_value)],
                page + header_size, end);
      n += count > 0 ? count - 1 : 0;
    }
  }
  return out;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_file(const std::filesystem::path& p, const std::string& contents) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  BOOST_REQUIRE(out.good());
}

std::string isolated_outcome::describe() const {
  std::string out;
  if (!exited) {
    out = signal == SIGALRM ? "hung (killed after its time limit)"
                            : "crashed with signal " + std::to_string(signal);
  } else if (exit_code != 0 && message.empty()) {
    out = "exited with status " + std::to_string(exit_code) +
          " (a sanitizer report is on stderr)";
  }
  if (!message.empty()) {
    out += out.empty() ? message : "; " + message;
  }
  return out;
}

namespace {

// The child's side: run the check, hand its verdict through the pipe, and
// leave with _exit so that nothing inherited from the parent is destroyed.
[[noreturn]] void run_child(const std::function<std::string()>& check,
                            unsigned seconds, int out) {
  // The test framework's handlers would report a fault as a failed test
  // and carry on inside the child: let the signals end it instead.
  for (int sig : {SIGALRM, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) {
    std::signal(sig, SIG_DFL);
  }
  ::alarm(seconds);
  std::string message;
  try {
    message = check();
  } catch (...) {
    message = "the check threw an exception";
  }

  const char* p = message.data();
  std::size_t left = message.size();
  while (left > 0) {
    const ssize_t n = ::write(out, p, left);
    if (n <= 0) {
      break;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  ::_exit(message.empty() ? 0 : 3);
}

}  // namespace

isolated_outcome run_isolated(const std::function<std::string()>& check,
                              unsigned seconds, bool quiet) {
  int fds[2];
  BOOST_REQUIRE(::pipe(fds) == 0);
  const pid_t child = ::fork();
  BOOST_REQUIRE(child >= 0);
  if (child == 0) {
    ::close(fds[0]);
    if (quiet) {
      const int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, STDERR_FILENO);
    }
    run_child(check, seconds, fds[1]);
  }

  ::close(fds[1]);
  isolated_outcome outcome;
  char buffer[512];
  for (;;) {
    const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n <= 0) {
      break;
    }
    outcome.message.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);

  int status = 0;
  BOOST_REQUIRE(::waitpid(child, &status, 0) == child);
  outcome.exited = WIFEXITED(status);
  outcome.exit_code = outcome.exited ? WEXITSTATUS(status) : 0;
  outcome.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  return outcome;
}

}  // namespace credvault::test
