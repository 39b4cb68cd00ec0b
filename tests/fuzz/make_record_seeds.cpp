// Writes the seed corpus of fuzz_record: one encoded record for each create
// body in the create target's corpus that decodes.
//
// usage: make_record_seeds CREATE_CORPUS_DIR RECORD_CORPUS_DIR
//
// The records carry fixed dates and sequences, so the output changes only
// when the corpus or the record format does. It is committed; run this
// again after either changes (the `fuzz` preset builds it).
#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "credvault/codec.hpp"

#include "records/record.hpp"

namespace {

using namespace credvault;
namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The record of `input`, created at 2023-11-14T22:13:20Z as `sequence`.
records::credential_record record_of(credential_input&& input,
                                     std::uint64_t sequence) {
  const credential_type type = type_of(input.value);
  return {.metadata = {.credential_id =
                           *credential_id::parse("0123456789abcdef01234567"),
                       .name = std::move(input.name),
                       .description = std::move(input.description),
                       .credential_type = type,
                       .creation_date = timestamp{std::chrono::microseconds{
                           1'700'000'000'000'000}}},
          .sequence = sequence,
          .value = std::move(input.value)};
}

bool write_record(const records::credential_record& record,
                  const fs::path& out) {
  std::vector<std::byte> bytes(records::encoded_size(record));
  if (!records::encode(record, bytes)) {
    return false;
  }
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  file.write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(file);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s CREATE_CORPUS_DIR RECORD_CORPUS_DIR\n",
                 argv[0]);
    return 2;
  }
  std::vector<fs::path> bodies;
  for (const auto& entry : fs::directory_iterator(argv[1])) {
    bodies.push_back(entry.path());
  }
  std::sort(bodies.begin(), bodies.end());
  fs::create_directories(argv[2]);

  std::uint64_t written = 0;
  for (const fs::path& body : bodies) {
    result<credential_input> input = decode_create(read_file(body));
    if (!input) {
      continue;
    }
    const fs::path out =
        fs::path(argv[2]) / ("record-" + body.stem().string() + ".bin");
    if (!write_record(record_of(std::move(*input), written + 1), out)) {
      std::fprintf(stderr, "cannot write %s\n", out.c_str());
      return 1;
    }
    ++written;
  }
  std::printf("%llu records written\n",
              static_cast<unsigned long long>(written));
  return written == 0 ? 1 : 0;
}
