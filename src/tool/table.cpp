#include "tool/table.hpp"

#include <algorithm>
#include <array>
#include <ostream>

namespace credvault::tool {
namespace {

bool is_continuation(char c) noexcept {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// The escape that stands for control character `c` (a C1 control as its
// code point), written into `buf` when it is not a fixed one.
std::string_view escape(unsigned c, std::array<char, 6>& buf) noexcept {
  switch (c) {
    case '\n':
      return "\\n";
    case '\t':
      return "\\t";
    case '\r':
      return "\\r";
    default:
      break;
  }
  static constexpr std::string_view hex = "0123456789abcdef";
  int digits = c < 0x80 ? 2 : 4;
  std::size_t n = 0;
  buf[n++] = '\\';
  buf[n++] = digits == 2 ? 'x' : 'u';
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
    buf[n++] = hex[(c >> shift) & 0xF];
  }
  return {buf.data(), n};
}

// The control character that starts at text[i], as a code point, and how
// many bytes it takes; {0, 0} when there is none there.
std::pair<unsigned, std::size_t> control_at(std::string_view text,
                                            std::size_t i) noexcept {
  auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x20 || c == 0x7F) {
    return {c, 1};
  }

  // C1 controls, U+0080 to U+009F, are 0xC2 0x80..0x9F in UTF-8; some
  // terminals obey them as they do ESC sequences.
  auto next =
      i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0u;
  if (c == 0xC2 && next >= 0x80 && next <= 0x9F) {
    return {next, 2};
  }
  return {0, 0};
}

// Calls emit(piece) for each piece of `text` as printable() spells it:
// runs of bytes kept as they are, and the escapes between them.
template <class Emit>
void escape_controls(std::string_view text, Emit emit) {
  std::array<char, 6> buf{};
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size();) {
    auto [code, size] = control_at(text, i);
    if (size == 0) {
      ++i;
      continue;
    }
    emit(text.substr(run, i - run));
    emit(escape(code, buf));
    i += size;
    run = i;
  }
  emit(text.substr(run));
}

void pad_to(std::ostream& out, std::size_t used, std::size_t width) {
  for (std::size_t i = used; i < width; ++i) {
    out << ' ';
  }
}

}  // namespace

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  escape_controls(text, [&](std::string_view piece) { out += piece; });
  return out;
}

void write_printable(std::ostream& out, std::string_view text) {
  escape_controls(text, [&](std::string_view piece) { out << piece; });
}

// TODO: count terminal columns (as wcwidth does) rather than code points;
// wide characters and combining marks misalign the columns of a table now.
std::size_t display_width(std::string_view utf8) noexcept {
  return static_cast<std::size_t>(std::count_if(
      utf8.begin(), utf8.end(), [](char c) { return !is_continuation(c); }));
}

std::string shorten(std::string_view utf8, std::size_t width) {
  static constexpr std::string_view mark = "...";
  if (display_width(utf8) <= width || width < mark.size()) {
    return std::string(utf8);
  }

  std::size_t keep = width - mark.size();
  std::size_t end = 0;
  for (std::size_t points = 0; end < utf8.size(); ++end) {
    if (!is_continuation(utf8[end]) && points++ == keep) {
      break;
    }
  }
  return std::string(utf8.substr(0, end)) + std::string(mark);
}

void print_table(std::ostream& out,
                 const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (std::size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(row[i]));
    }
  }

  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) {
        line.append(widths[i] + 2 - display_width(row[i]), ' ');
      }
    }
    // An empty last cell would leave the padding before it dangling.
    line.erase(line.find_last_not_of(' ') + 1);
    out << line << '\n';
  }
}

void print_page_count(std::ostream& out, std::size_t shown, std::size_t total,
                      std::size_t offset) {
  out << shown << " of " << total;
  if (offset > 0) {
    out << " (from offset " << offset << ")";
  }
  out << '\n';
}

std::size_t key_width(const field_lines& fields) noexcept {
  std::size_t width = 0;
  for (const auto& [key, value] : fields) {
    width = std::max(width, display_width(key));
  }
  return width;
}

void print_key(std::ostream& out, std::string_view key, std::size_t width) {
  out << key << ':';
  pad_to(out, display_width(key) + 1, width + 2);
}

void print_fields(std::ostream& out, const field_lines& fields,
                  std::size_t width) {
  width = std::max(width, key_width(fields));
  for (const auto& [key, value] : fields) {
    print_key(out, key, width);
    out << value << '\n';
  }
}

}  // namespace credvault::tool
