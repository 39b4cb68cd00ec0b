#include "tool/table.hpp"

#include <algorithm>
#include <ostream>

namespace credvault::tool {
namespace {

bool is_continuation(char c) noexcept {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

void append_hex_escape(std::string& out, unsigned value, int digits) {
  static constexpr std::string_view hex = "0123456789abcdef";
  out += digits == 2 ? "\\x" : "\\u";
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
    out += hex[(value >> shift) & 0xF];
  }
}

void append_control(std::string& out, unsigned char c) {
  switch (c) {
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\r':
      out += "\\r";
      break;
    default:
      append_hex_escape(out, c, 2);
  }
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
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) {
      append_control(out, c);
      continue;
    }

    // C1 controls, U+0080 to U+009F, are 0xC2 0x80..0x9F in UTF-8; some
    // terminals obey them as they do ESC sequences.
    auto next =
        i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0u;
    if (c == 0xC2 && next >= 0x80 && next <= 0x9F) {
      append_hex_escape(out, next, 4);
      ++i;
      continue;
    }
    out += static_cast<char>(c);
  }
  return out;
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

void print_fields(std::ostream& out, const field_lines& fields) {
  std::size_t width = 0;
  for (const auto& [key, value] : fields) {
    width = std::max(width, display_width(key) + 1);
  }
  for (const auto& [key, value] : fields) {
    out << key << ':';
    pad_to(out, display_width(key) + 1, width + 1);
    out << value << '\n';
  }
}

}  // namespace credvault::tool
