#include "crypto/keyring.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>

#include <openssl/evp.h>

#include "crypto/kdf.hpp"
#include "crypto/openssl.hpp"
#include "crypto/random.hpp"

namespace credvault::crypto {
namespace {

constexpr std::array<std::byte, 4> magic = {std::byte{'C'}, std::byte{'V'},
                                            std::byte{'K'}, std::byte{'R'}};
constexpr std::size_t version_offset = 4;
constexpr std::size_t salt_offset = 6;
constexpr std::size_t salt_size = 16;
constexpr std::size_t check_offset = 22;
constexpr std::size_t check_size = 16;
constexpr std::size_t header_size = 38;
constexpr std::size_t digest_size = 32;
constexpr std::size_t min_blob_size =
    header_size + aead_key::overhead + digest_size;

constexpr std::size_t body_head_size = key256::size + 4;
constexpr std::size_t entry_size = 4 + key256::size + 8;

constexpr std::string_view check_label = "credvault keyring v1 check";
constexpr std::string_view wrap_label = "credvault keyring v1 wrap";

error corrupt(std::string_view why) {
  return error(errc::corrupt, "keyring " + std::string(why));
}

// The digest is fetched once per process: EVP_Q_digest would fetch it at
// every call, which costs more than hashing a keyring.
result<void> sha256(bytes_view data, mutable_bytes out) {
  static const openssl_ptr<EVP_MD, EVP_MD_free> md(
      EVP_MD_fetch(nullptr, "SHA256", nullptr));
  unsigned int size = 0;
  if (md == nullptr ||
      EVP_Digest(data.data(), data.size(), uchars(out), &size, md.get(),
                 nullptr) != 1 ||
      size != digest_size) {
    return openssl_error("SHA-256");
  }
  return {};
}

result<void> kek_check(const key256& kek, bytes_view salt, mutable_bytes out) {
  return hkdf_sha256(kek.reveal(), salt, as_bytes(check_label), out);
}

result<aead_key> wrapping_key(const key256& kek, bytes_view salt) {
  result<key256> key = key256::zeroed();
  if (!key) {
    return std::move(key).error();
  }

  if (result<void> r = hkdf_sha256(kek.reveal(), salt, as_bytes(wrap_label),
                                   key->writable());
      !r) {
    return std::move(r).error();
  }
  return aead_key(std::move(*key));
}

// Magic, version, a fresh salt and the KEK check.
result<void> write_header(const key256& kek, mutable_bytes header) {
  std::copy(magic.begin(), magic.end(), header.begin());
  store_big_endian(&header[version_offset], keyring::format_version);

  mutable_bytes salt = header.subspan(salt_offset, salt_size);
  if (result<void> r = random_bytes(salt); !r) {
    return r;
  }
  return kek_check(kek, salt, header.subspan(check_offset, check_size));
}

// Everything that can be checked without the KEK.
result<void> check_frame(bytes_view blob) {
  if (blob.size() < min_blob_size) {
    return corrupt("blob is " + std::to_string(blob.size()) +
                   " bytes, shorter than the 98-byte minimum");
  }
  if (!std::equal(magic.begin(), magic.end(), blob.begin())) {
    return corrupt("blob does not start with the keyring magic");
  }

  const auto version = load_big_endian<std::uint16_t>(&blob[version_offset]);
  if (version > keyring::format_version) {
    return error(errc::unsupported_version,
                 "keyring format version " + std::to_string(version) +
                     " is newer than the supported version 1");
  }
  if (version == 0) {
    return corrupt("format version 0 does not exist");
  }

  std::array<std::byte, digest_size> digest;
  if (result<void> r = sha256(blob.first(blob.size() - digest_size), digest);
      !r) {
    return r;
  }
  if (!std::equal(digest.begin(), digest.end(),
                  blob.last(digest_size).begin())) {
    return corrupt("blob is damaged or truncated: its checksum differs");
  }
  return {};
}

// errc::wrong_key unless `kek` made the check in `header`.
result<void> check_kek(const key256& kek, bytes_view header) {
  std::array<std::byte, check_size> expected;
  if (result<void> r =
          kek_check(kek, header.subspan(salt_offset, salt_size), expected);
      !r) {
    return r;
  }
  if (!equal_constant_time(expected,
                           header.subspan(check_offset, check_size))) {
    return error(errc::wrong_key, "the key does not unlock this keyring");
  }
  return {};
}

}  // namespace

result<keyring> keyring::create() {
  result<key256> index = key256::random();
  if (!index) {
    return std::move(index).error();
  }
  result<key256> first = key256::random();
  if (!first) {
    return std::move(first).error();
  }

  std::vector<data_key> keys;
  keys.push_back({1, aead_key(std::move(*first))});
  return keyring(std::move(keys), std::move(*index));
}

result<keyring> keyring::open(bytes_view blob, const key256& kek) {
  if (result<void> r = check_frame(blob); !r) {
    return std::move(r).error();
  }
  const bytes_view header = blob.first(header_size);
  if (result<void> r = check_kek(kek, header); !r) {
    return std::move(r).error();
  }

  result<aead_key> wrap =
      wrapping_key(kek, header.subspan(salt_offset, salt_size));
  if (!wrap) {
    return std::move(wrap).error();
  }
  const bytes_view sealed =
      blob.subspan(header_size, blob.size() - header_size - digest_size);
  wiped_buffer body(sealed.size() - aead_key::overhead);
  if (result<void> r = wrap->open(header, sealed, body.bytes()); !r) {
    return std::move(r).error();
  }
  return parse_body(body.bytes());
}

result<std::vector<std::byte>> keyring::serialize(const key256& kek) const {
  wiped_buffer body(body_head_size + keys_.size() * entry_size);
  write_body(body.bytes());

  std::vector<std::byte> blob(header_size + aead_key::sealed_size(body.size()) +
                              digest_size);
  const mutable_bytes whole(blob);
  const mutable_bytes header = whole.first(header_size);
  if (result<void> r = write_header(kek, header); !r) {
    return std::move(r).error();
  }

  result<aead_key> wrap =
      wrapping_key(kek, header.subspan(salt_offset, salt_size));
  if (!wrap) {
    return std::move(wrap).error();
  }
  const mutable_bytes sealed =
      whole.subspan(header_size, aead_key::sealed_size(body.size()));
  if (result<void> r = wrap->seal(header, body.bytes(), sealed); !r) {
    return std::move(r).error();
  }
  if (result<void> r = sha256(whole.first(blob.size() - digest_size),
                              whole.last(digest_size));
      !r) {
    return std::move(r).error();
  }
  return blob;
}

result<void> keyring::rotate() {
  if (active_id() == std::numeric_limits<std::uint32_t>::max()) {
    return error(errc::internal, "keyring has used every key id");
  }
  result<key256> key = key256::random();
  if (!key) {
    return std::move(key).error();
  }

  keys_.push_back({active_id() + 1, aead_key(std::move(*key))});
  return {};
}

result<void> keyring::seal(bytes_view aad, bytes_view plaintext,
                           mutable_bytes out) const {
  if (out.size() != envelope_size(plaintext.size())) {
    return error(errc::internal,
                 "keyring seal: output is " + std::to_string(out.size()) +
                     " bytes, expected " +
                     std::to_string(envelope_size(plaintext.size())));
  }

  const data_key& active = keys_.back();
  store_big_endian(out.data(), active.id);
  return active.key.seal(aad, plaintext, out.subspan(4));
}

result<void> keyring::open(bytes_view aad, bytes_view envelope,
                           mutable_bytes out) const {
  if (envelope.size() < envelope_overhead) {
    return error(errc::corrupt, "envelope is " +
                                    std::to_string(envelope.size()) +
                                    " bytes, shorter than the 32-byte minimum");
  }

  const auto id = load_big_endian<std::uint32_t>(envelope.data());
  const data_key* key = find(id);
  if (key == nullptr) {
    return error(errc::corrupt, "envelope names key id " + std::to_string(id) +
                                    ", which is not in the keyring");
  }
  return key->key.open(aad, envelope.subspan(4), out);
}

result<keyring> keyring::parse_body(bytes_view body) {
  if (body.size() < body_head_size) {
    return corrupt("body is too short");
  }
  const auto count = load_big_endian<std::uint32_t>(&body[key256::size]);
  if (count == 0 ||
      body.size() != body_head_size + std::uint64_t{count} * entry_size) {
    return corrupt("body size does not match its key count");
  }

  result<key256> index = key256::from_bytes(body.first(key256::size));
  if (!index) {
    return std::move(index).error();
  }
  std::vector<data_key> keys;
  keys.reserve(count);
  for (bytes_view entries = body.subspan(body_head_size); !entries.empty();
       entries = entries.subspan(entry_size)) {
    if (result<void> r = parse_entry(entries.first(entry_size), keys); !r) {
      return std::move(r).error();
    }
  }
  return keyring(std::move(keys), std::move(*index));
}

// Appends the data key in `entry`, whose id must exceed the last one's.
result<void> keyring::parse_entry(bytes_view entry,
                                  std::vector<data_key>& keys) {
  const auto id = load_big_endian<std::uint32_t>(entry.data());
  if (id == 0 || (!keys.empty() && id <= keys.back().id)) {
    return corrupt("key ids are not increasing from 1 or more");
  }
  result<key256> key = key256::from_bytes(entry.subspan(4, key256::size));
  if (!key) {
    return std::move(key).error();
  }

  const auto seals = load_big_endian<std::uint64_t>(&entry[4 + key256::size]);
  keys.push_back({id, aead_key(std::move(*key), seals)});
  return {};
}

void keyring::write_body(mutable_bytes body) const noexcept {
  std::memcpy(body.data(), index_key_.reveal().data(), key256::size);
  store_big_endian(&body[key256::size],
                   static_cast<std::uint32_t>(keys_.size()));

  std::byte* entry = body.data() + body_head_size;
  for (const data_key& k : keys_) {
    store_big_endian(entry, k.id);
    std::memcpy(entry + 4, k.key.key().reveal().data(), key256::size);
    store_big_endian(entry + 4 + key256::size, k.key.seal_count());
    entry += entry_size;
  }
}

const keyring::data_key* keyring::find(std::uint32_t id) const noexcept {
  for (auto k = keys_.rbegin(); k != keys_.rend(); ++k) {
    if (k->id == id) {
      return &*k;
    }
  }
  return nullptr;
}

}  // namespace credvault::crypto
