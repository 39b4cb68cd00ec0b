// Fuzzes the dispatcher over a vault opened once per process in a new
// temporary directory (under /dev/shm when there is one, since every write
// is synced). The input is split at its first three newlines:
//
//   line 1   the method, e.g. "GET"
//   line 2   the path, e.g. "/api/v2/credentials/{id}/"; every "{id}" is
//            replaced by the id of a credential the target keeps in the
//            vault, so that the fuzzer reaches the routes that need one
//   line 3   the query without its '?', e.g. "limit=5"; empty for none
//   rest     the body, possibly empty
//
// Every request is made by the same user. Invariants: dispatch never
// crashes; every status is one the API reference gives (500 included, as
// nothing here should make the vault fail); a 204 has no body; every other
// body is a JSON object whose text parses, an error body with a message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdlib.h>
#include <string>
#include <string_view>
#include <system_error>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "credvault/api.hpp"
#include "credvault/vault.hpp"

#include "fuzz_support.hpp"

namespace {

using namespace credvault;

constexpr std::string_view user = "fuzz";

// The vault of this process and the credential "{id}" stands for. Neither
// copied nor moved: one lives for the whole process.
class fuzz_vault {
 public:
  fuzz_vault() : dir_(make_dir()) {
    open_options options;
    options.mode = open_mode::create_new;
    result<std::unique_ptr<vault>> opened =
        vault::open(dir_ / "vault",
                    key_source::raw_key(secret(std::string(32, 'k'))), options);
    fuzz::require(opened.ok(), "the fuzz vault opens");
    vault_ = std::move(*opened);
  }
  fuzz_vault(const fuzz_vault&) = delete;
  fuzz_vault& operator=(const fuzz_vault&) = delete;
  ~fuzz_vault() {
    vault_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // The id of a credential that exists now, made anew when the fuzzer
  // deleted the last one.
  std::string current_id() {
    const auto parsed = credential_id::parse(id_);
    if (parsed && vault_->get(user, *parsed).ok()) {
      return id_;
    }
    const std::string body = R"({"credentialType": "basic", "name": "seed-)" +
                             std::to_string(++made_) +
                             R"(", "user": "u", "password": "p"})";
    result<credential_input> input = decode_create(body);
    fuzz::require(input.ok(), "the seed body decodes");
    result<credential_metadata> made = vault_->create(user, std::move(*input));
    fuzz::require(made.ok(), "the seed credential is stored");
    id_ = std::string(made->credential_id.str());
    return id_;
  }

  vault& get() noexcept { return *vault_; }

 private:
  static std::filesystem::path make_dir() {
    const std::filesystem::path shm = "/dev/shm";
    std::error_code ec;
    const std::filesystem::path base =
        std::filesystem::is_directory(shm, ec)
            ? shm
            : std::filesystem::temp_directory_path();
    std::string pattern = (base / "credvault-fuzz-XXXXXX").string();
    fuzz::require(::mkdtemp(pattern.data()) != nullptr,
                  "a temporary directory is made");
    return pattern;
  }

  std::filesystem::path dir_;
  std::unique_ptr<vault> vault_;
  std::string id_;
  std::size_t made_ = 0;
};

fuzz_vault& the_vault() {
  static fuzz_vault v;
  return v;
}

std::string expand_ids(std::string_view path, const std::string& id) {
  std::string out;
  for (std::size_t at = path.find("{id}"); at != std::string_view::npos;
       at = path.find("{id}")) {
    out.append(path.substr(0, at)).append(id);
    path.remove_prefix(at + 4);
  }
  return out.append(path);
}

bool spec_status(int status) {
  switch (status) {
    case 200:
    case 201:
    case 204:
    case 400:
    case 404:
    case 405:
    case 409:
    case 422:
      return true;
    default:
      return false;
  }
}

void check_response(const api::response& r) {
  fuzz::require(spec_status(r.status), "the status is one the API gives");
  fuzz::require((r.status == 405) == !r.allow.empty(),
                "a 405, and only a 405, names the allowed methods");
  if (r.status == 204) {
    fuzz::require(r.body.is_null(), "a 204 has no body");
    return;
  }

  boost::system::error_code ec;
  const boost::json::value body = boost::json::parse(r.body_text(), ec);
  fuzz::require(!ec && body.is_object(), "a body is a JSON object");
  if (r.status >= 400) {
    fuzz::require(body.as_object().contains("message"),
                  "an error body has a message");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string_view rest = fuzz::as_text(data, size);
  const std::string_view method = fuzz::take_line(rest);
  const std::string_view path = fuzz::take_line(rest);
  const std::string_view query = fuzz::take_line(rest);

  fuzz_vault& v = the_vault();
  std::string target = expand_ids(path, v.current_id());
  if (!query.empty()) {
    target.append("?").append(query);
  }

  const api::dispatcher d(v.get());
  check_response(d.handle(
      {.method = method, .target = target, .body = rest, .user = user}));
  return 0;
}
