#include "plain_records.hpp"

#include <cstring>

#include "dataset.hpp"

namespace credvault::bench {
namespace {

constexpr std::uint8_t okta_issuer = 2;

void put_byte(std::vector<std::byte>& out, std::uint8_t b) {
  out.push_back(static_cast<std::byte>(b));
}

void put_u64(std::vector<std::byte>& out, std::uint64_t v) {
  const std::size_t at = out.size();
  out.resize(at + 8);
  store_u64(out.data() + at, v);
}

void put_varint(std::vector<std::byte>& out, std::uint64_t v) {
  while (v >= 0x80) {
    put_byte(out, static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  put_byte(out, static_cast<std::uint8_t>(v));
}

void put_string(std::vector<std::byte>& out, const std::string& s) {
  put_varint(out, s.size());
  const std::size_t at = out.size();
  out.resize(at + s.size());
  std::memcpy(out.data() + at, s.data(), s.size());
}

// Reads forward through a buffer; any read past its end sets failed().
class reader {
 public:
  explicit reader(std::span<const std::byte> in) noexcept : in_(in) {}

  bool failed() const noexcept { return failed_; }
  bool at_end() const noexcept { return at_ == in_.size(); }

  std::uint8_t byte() noexcept {
    if (!take(1)) {
      return 0;
    }
    return std::to_integer<std::uint8_t>(in_[at_ - 1]);
  }

  std::uint64_t u64() noexcept {
    return take(8) ? load_u64(in_.data() + at_ - 8) : 0;
  }

  std::uint64_t varint() noexcept {
    std::uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
      const std::uint8_t b = byte();
      v |= std::uint64_t{b & 0x7fu} << shift;
      if ((b & 0x80u) == 0) {
        return v;
      }
    }
    failed_ = true;
    return 0;
  }

  std::string string() {
    const std::uint64_t n = varint();
    if (!take(n)) {
      return {};
    }
    return std::string(reinterpret_cast<const char*>(in_.data()) + at_ - n, n);
  }

 private:
  bool take(std::uint64_t n) noexcept {
    if (failed_ || n > in_.size() - at_) {
      failed_ = true;
      return false;
    }
    at_ += n;
    return true;
  }

  std::span<const std::byte> in_;
  std::size_t at_ = 0;
  bool failed_ = false;
};

plain_metadata read_metadata(reader& in) {
  plain_metadata m;
  in.byte();  // version
  m.type = in.byte();
  m.created = static_cast<std::int64_t>(in.u64());
  m.sequence = in.u64();
  m.name = in.string();
  if (in.byte() == 1) {
    m.description = in.string();
  }
  return m;
}

}  // namespace

plain_record make_plain_record(std::size_t u, std::size_t c,
                               std::int64_t created, std::uint64_t sequence) {
  plain_record r;
  r.metadata = plain_metadata{snowflake_oauth_type, created, sequence,
                              credential_name(u, c), std::string(description)};
  r.client_id = client_id(u, c);
  r.client_secret = client_secret(u, c);
  r.issuer = okta_issuer;
  r.issuer_url = std::string(issuer_url);
  r.scopes.assign(scopes.begin(), scopes.end());
  r.account = std::string(account_name);
  return r;
}

void encode(const plain_record& r, std::vector<std::byte>& out) {
  out.clear();
  put_byte(out, 1);
  put_byte(out, r.metadata.type);
  put_u64(out, static_cast<std::uint64_t>(r.metadata.created));
  put_u64(out, r.metadata.sequence);
  put_string(out, r.metadata.name);
  put_byte(out, r.metadata.description ? 1 : 0);
  if (r.metadata.description) {
    put_string(out, *r.metadata.description);
  }
  put_string(out, r.client_id);
  put_string(out, r.client_secret);
  put_byte(out, r.issuer);
  put_string(out, r.issuer_url);
  put_varint(out, r.scopes.size());
  for (const std::string& s : r.scopes) {
    put_string(out, s);
  }
  put_string(out, r.account);
}

std::optional<plain_record> decode_record(std::span<const std::byte> in) {
  reader r(in);
  plain_record out;
  out.metadata = read_metadata(r);
  out.client_id = r.string();
  out.client_secret = r.string();
  out.issuer = r.byte();
  out.issuer_url = r.string();
  const std::uint64_t n = r.varint();
  for (std::uint64_t i = 0; i < n && !r.failed(); ++i) {
    out.scopes.push_back(r.string());
  }
  out.account = r.string();
  if (r.failed() || !r.at_end()) {
    return std::nullopt;
  }
  return out;
}

std::optional<plain_metadata> decode_metadata(std::span<const std::byte> in) {
  reader r(in);
  plain_metadata m = read_metadata(r);
  if (r.failed()) {
    return std::nullopt;
  }
  return m;
}

std::array<std::byte, user_counts_size> encode(const user_counts& u) noexcept {
  std::array<std::byte, user_counts_size> out{};
  out[0] = std::byte{1};
  std::byte* p = out.data() + 1;
  for (std::uint64_t v :
       {u.next_sequence, static_cast<std::uint64_t>(u.last_date), u.total}) {
    store_u64(p, v);
    p += 8;
  }
  for (std::uint64_t v : u.by_type) {
    store_u64(p, v);
    p += 8;
  }
  return out;
}

std::optional<user_counts> decode_user_counts(std::span<const std::byte> in) {
  if (in.size() != user_counts_size || in[0] != std::byte{1}) {
    return std::nullopt;
  }
  const std::byte* p = in.data() + 1;
  user_counts u;
  u.next_sequence = load_u64(p);
  u.last_date = static_cast<std::int64_t>(load_u64(p + 8));
  u.total = load_u64(p + 16);
  p += 24;
  for (std::uint64_t& v : u.by_type) {
    v = load_u64(p);
    p += 8;
  }
  return u;
}

std::vector<std::byte> encode_link(std::uint8_t object_type,
                                   std::int64_t created,
                                   const std::string& object_id) {
  std::vector<std::byte> out;
  put_byte(out, 1);
  put_byte(out, object_type);
  put_u64(out, static_cast<std::uint64_t>(created));
  out.resize(out.size() + object_id.size());
  std::memcpy(out.data() + 10, object_id.data(), object_id.size());
  return out;
}

}  // namespace credvault::bench
