// The tool's help texts.
#ifndef CREDVAULT_TOOL_HELP_HPP
#define CREDVAULT_TOOL_HELP_HPP

#include <optional>
#include <string>
#include <string_view>

namespace credvault::tool {

// The help of `command`, or of the tool when `command` is empty; nullopt
// for a command that does not exist.
std::optional<std::string> help_text(std::string_view command);

// The two lines printed when no command is given.
std::string_view short_usage() noexcept;

}  // namespace credvault::tool

#endif  // CREDVAULT_TOOL_HELP_HPP
