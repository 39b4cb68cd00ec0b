// Speed of the stored record encoding: encode, decode and metadata-only
// decode of a short basic credential and of a ~300-byte OAuth credential,
// the size the resolve path sees most, beside a plain deep copy of each.
//
// Built as bench_records; benchmarks/run runs it and puts its OAuth rows in
// the table beside the floor's plain decode of a comparable record.
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "credvault/credential.hpp"

#include "records/record.hpp"

namespace {

using namespace credvault;
using records::credential_record;

credential_id bench_id() {
  return *credential_id::parse("0123456789abcdef01234567");
}

credential_record with_metadata(credential value, std::string name,
                                std::optional<std::string> description) {
  const credential_type type = type_of(value);
  return {{bench_id(), std::move(name), std::move(description), type, now()},
          42,
          std::move(value)};
}

credential_record basic_record() {
  return with_metadata(
      basic_credential{"reporting", secret("s3cr3t-passw0rd"), std::nullopt},
      "warehouse", std::nullopt);
}

credential_record oauth_record() {
  snowflake_oauth_user_account_credential c;
  c.client_id = "0oa1b2c3d4e5f6g7h8i9";
  c.client_secret = secret("Zq8xV2mN4bT6yH1kL9pR3sW5dF7gJ0cX-aE2uI4oQ6tY8");
  c.oauth_issuer_type = oauth_issuer_type::okta;
  c.oauth_issuer_url = "https://example.okta.com/oauth2/default";
  c.oauth_scopes = std::vector<std::string>{"session:role:analyst",
                                            "refresh_token", "offline_access"};
  c.snowflake_account_name = "xy12345.eu-central-1";
  return with_metadata(std::move(c), "snowflake production analysts",
                       "OAuth client used by the nightly analytics jobs");
}

std::vector<std::byte> encoded(const credential_record& record) {
  std::vector<std::byte> out(records::encoded_size(record));
  if (!records::encode(record, out)) {
    out.clear();
  }
  return out;
}

void encode_record(benchmark::State& state, const credential_record& record) {
  std::vector<std::byte> out(records::encoded_size(record));
  for (auto _ : state) {
    const std::size_t size = records::encoded_size(record);
    benchmark::DoNotOptimize(size);
    benchmark::DoNotOptimize(records::encode(record, out));
  }
  state.counters["bytes"] = static_cast<double>(out.size());
}

void decode_record(benchmark::State& state, const credential_record& record) {
  const std::vector<std::byte> in = encoded(record);
  const credential_id id = bench_id();
  for (auto _ : state) {
    auto r = records::decode(in, id);
    benchmark::DoNotOptimize(r);
  }
  state.counters["bytes"] = static_cast<double>(in.size());
}

void decode_metadata_only(benchmark::State& state,
                          const credential_record& record) {
  const std::vector<std::byte> in = encoded(record);
  const credential_id id = bench_id();
  for (auto _ : state) {
    auto r = records::decode_metadata(in, id);
    benchmark::DoNotOptimize(r);
  }
  state.counters["bytes"] = static_cast<double>(in.size());
}

// The floor under decode: a deep copy of the same record makes the same
// heap blocks and frees them, without reading any bytes.
void copy_record(benchmark::State& state, const credential_record& record) {
  for (auto _ : state) {
    credential_record copy{record.metadata, record.sequence,
                           clone(record.value)};
    benchmark::DoNotOptimize(copy);
  }
}

void bm_encode_basic(benchmark::State& s) {
  encode_record(s, basic_record());
}
void bm_encode_oauth(benchmark::State& s) {
  encode_record(s, oauth_record());
}
void bm_decode_basic(benchmark::State& s) {
  decode_record(s, basic_record());
}
void bm_decode_oauth(benchmark::State& s) {
  decode_record(s, oauth_record());
}
void bm_decode_metadata_basic(benchmark::State& s) {
  decode_metadata_only(s, basic_record());
}
void bm_decode_metadata_oauth(benchmark::State& s) {
  decode_metadata_only(s, oauth_record());
}

void bm_copy_basic(benchmark::State& s) {
  copy_record(s, basic_record());
}
void bm_copy_oauth(benchmark::State& s) {
  copy_record(s, oauth_record());
}

BENCHMARK(bm_encode_basic);
BENCHMARK(bm_encode_oauth);
BENCHMARK(bm_decode_basic);
BENCHMARK(bm_decode_oauth);
BENCHMARK(bm_decode_metadata_basic);
BENCHMARK(bm_decode_metadata_oauth);
BENCHMARK(bm_copy_basic);
BENCHMARK(bm_copy_oauth);

}  // namespace

BENCHMARK_MAIN();
