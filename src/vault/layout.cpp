#include "vault/layout.hpp"

#include "crypto/bytes.hpp"

namespace credvault::vault_detail {
namespace {

constexpr std::uint8_t user_record_version = 1;

result<blind> hash(const crypto::blind_index_key& k,
                   std::initializer_list<crypto::bytes_view> parts) {
  std::array<std::byte, blind_size> out{};
  if (auto r = k.hash(parts, out); !r) {
    return std::move(r).error();
  }
  return out;
}

}  // namespace

result<blind> blind_user(const crypto::blind_index_key& k,
                         std::string_view user) {
  return hash(k, {crypto::as_bytes("user"), crypto::as_bytes(user)});
}

result<blind> blind_name(const crypto::blind_index_key& k,
                         std::string_view user, std::string_view name) {
  return hash(k, {crypto::as_bytes("name"), crypto::as_bytes(user),
                  crypto::as_bytes(name)});
}

result<blind> blind_type(const crypto::blind_index_key& k,
                         std::string_view user, credential_type type) {
  const char t = static_cast<char>(type);
  return hash(k, {crypto::as_bytes("type"), crypto::as_bytes(user),
                  crypto::as_bytes(std::string_view(&t, 1))});
}

result<credential_id> id_of_order_value(std::string_view value) {
  if (value.size() != records::raw_id_size) {
    return error(errc::corrupt, "an order entry is malformed");
  }
  return records::from_raw(std::span<const std::byte, records::raw_id_size>(
      reinterpret_cast<const std::byte*>(value.data()), records::raw_id_size));
}

std::array<std::byte, user_record_size> encode(const user_record& r) noexcept {
  std::array<std::byte, user_record_size> out{};
  std::byte* p = out.data();
  *p++ = std::byte{user_record_version};
  auto put = [&p](std::uint64_t v) {
    crypto::store_big_endian(p, v);
    p += 8;
  };
  put(r.next_sequence);
  put(static_cast<std::uint64_t>(r.last_date));
  put(r.total);
  for (std::uint64_t n : r.by_type) {
    put(n);
  }
  return out;
}

result<user_record> decode_user_record(std::span<const std::byte> bytes) {
  if (bytes.size() != user_record_size ||
      bytes[0] != std::byte{user_record_version}) {
    return error(errc::corrupt, "a user record is malformed");
  }
  const std::byte* p = bytes.data() + 1;
  auto get = [&p] {
    auto v = crypto::load_big_endian<std::uint64_t>(p);
    p += 8;
    return v;
  };
  user_record r;
  r.next_sequence = get();
  r.last_date = static_cast<std::int64_t>(get());
  r.total = get();
  for (std::uint64_t& n : r.by_type) {
    n = get();
  }
  return r;
}

}  // namespace credvault::vault_detail
