#include "vault/layout.hpp"

#include <cstring>

#include "crypto/bytes.hpp"
#include "crypto/keyring.hpp"

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

result<blind> blind_object(const crypto::blind_index_key& k,
                           std::string_view user, const object_ref& object) {
  const char t = static_cast<char>(object.type);
  return hash(k, {crypto::as_bytes("object"), crypto::as_bytes(user),
                  crypto::as_bytes(std::string_view(&t, 1)),
                  crypto::as_bytes(object.id)});
}

result<blind> blind_credential_objects(const crypto::blind_index_key& k,
                                       std::string_view user,
                                       const credential_id& id,
                                       object_type type) {
  const char t = static_cast<char>(type);
  const auto raw = records::to_raw(id);
  return hash(
      k, {crypto::as_bytes("credential objects"), crypto::as_bytes(user), raw,
          crypto::as_bytes(std::string_view(&t, 1))});
}

std::string link_key(const blind& user, const credential_id& id,
                     const blind& object) {
  std::string key(text(user));
  key += text(records::to_raw(id));
  key += text(object);
  return key;
}

std::string sequence_key(const blind& prefix, std::uint64_t sequence) {
  return std::string(text(records::make_sequence_key(prefix, sequence)));
}

std::uint64_t decode_count(std::optional<std::string_view> value) noexcept {
  if (!value || value->size() != 8) {
    return 0;
  }
  return crypto::load_big_endian<std::uint64_t>(
      reinterpret_cast<const std::byte*>(value->data()));
}

std::string encode_count(std::uint64_t count) {
  std::string out(8, '\0');
  crypto::store_big_endian(reinterpret_cast<std::byte*>(out.data()), count);
  return out;
}

namespace {
constexpr std::uint8_t link_record_version = 1;
constexpr std::size_t link_header_size = 1 + 1 + 8;
}  // namespace

std::string encode(const link_record& r) {
  std::string out(link_header_size, '\0');
  out[0] = static_cast<char>(link_record_version);
  out[1] = static_cast<char>(r.object.type);
  crypto::store_big_endian(reinterpret_cast<std::byte*>(out.data()) + 2,
                           static_cast<std::uint64_t>(r.created));
  out += r.object.id;
  return out;
}

result<link_record> decode_link_record(std::span<const std::byte> bytes) {
  if (bytes.size() <= link_header_size ||
      bytes[0] != std::byte{link_record_version}) {
    return error(errc::corrupt, "an association record is malformed");
  }
  const auto type = std::to_integer<std::uint8_t>(bytes[1]);
  if (type < 1 || type > 2) {
    return error(errc::corrupt, "an association record is malformed");
  }
  link_record r;
  r.object.type = static_cast<object_type>(type);
  r.created = static_cast<std::int64_t>(
      crypto::load_big_endian<std::uint64_t>(bytes.data() + 2));
  r.object.id.assign(
      reinterpret_cast<const char*>(bytes.data()) + link_header_size,
      bytes.size() - link_header_size);
  return r;
}

result<default_entry> split_default(std::string_view value) {
  if (value.size() <
      records::raw_id_size + crypto::keyring::envelope_overhead) {
    return error(errc::corrupt, "a defaults entry is malformed");
  }
  default_entry entry;
  std::memcpy(entry.raw.data(), value.data(), entry.raw.size());
  entry.envelope = value.substr(entry.raw.size());
  return entry;
}

default_key default_copy_key(const blind& object,
                             const records::raw_id& raw) noexcept {
  default_key key;
  std::memcpy(key.data(), object.data(), object.size());
  std::memcpy(key.data() + object.size(), raw.data(), raw.size());
  return key;
}

std::string default_value(const records::raw_id& raw,
                          std::string_view envelope) {
  std::string value(text(raw));
  value += envelope;
  return value;
}

result<records::raw_id> raw_of_order_value(std::string_view value) {
  if (value.size() != records::raw_id_size) {
    return error(errc::corrupt, "an order entry is malformed");
  }
  records::raw_id raw;
  std::memcpy(raw.data(), value.data(), raw.size());
  return raw;
}

result<credential_id> id_of_order_value(std::string_view value) {
  auto raw = raw_of_order_value(value);
  if (!raw) {
    return std::move(raw).error();
  }
  return records::from_raw(*raw);
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
