// Text output for people: tables, aligned "key: value" lines, and stored
// text made safe to show on a terminal.
#ifndef CREDVAULT_TOOL_TABLE_HPP
#define CREDVAULT_TOOL_TABLE_HPP

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace credvault::tool {

// `text` with every control character (C0, DEL and C1) written as an escape
// such as "\n" or "\x1b", so that stored text cannot move the cursor or
// change the terminal. `text` must be valid UTF-8.
std::string printable(std::string_view text);

// Writes `text` as printable() spells it, straight to `out`: for values,
// such as secrets, that should not be copied into another string.
void write_printable(std::ostream& out, std::string_view text);

// The number of code points in `utf8`: its width on a terminal, save for
// wide and combining characters.
std::size_t display_width(std::string_view utf8) noexcept;

// `utf8` cut to at most `width` code points, the cut marked with "...".
std::string shorten(std::string_view utf8, std::size_t width);

// Prints `rows` (the first being the header) as columns two spaces apart,
// each as wide as its widest cell. The last column is not padded.
void print_table(std::ostream& out,
                 const std::vector<std::vector<std::string>>& rows);

// Prints the line that ends a page of a list: "N of TOTAL", and where the
// page starts when that is not the first item: "N of TOTAL (from offset 20)".
void print_page_count(std::ostream& out, std::size_t shown, std::size_t total,
                      std::size_t offset);

using field_lines = std::vector<std::pair<std::string, std::string>>;

// The display width of the widest key of `fields`.
std::size_t key_width(const field_lines& fields) noexcept;

// Prints "key:" and the spaces that align the value that follows with
// those of keys up to `width` columns wide.
void print_key(std::ostream& out, std::string_view key, std::size_t width);

// Prints one "key: value" line per field with the values aligned, as if
// the widest key were at least `width` columns wide (so that a block
// printed after it can line up with it).
void print_fields(std::ostream& out, const field_lines& fields,
                  std::size_t width = 0);

}  // namespace credvault::tool

#endif  // CREDVAULT_TOOL_TABLE_HPP
