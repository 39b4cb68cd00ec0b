// The tool's commands. Each takes its parsed command line and returns the
// exit code: exit_ok, exit_failure when the operation failed (the reason
// printed on stderr), exit_usage for a wrong command line.
#ifndef CREDVAULT_TOOL_COMMANDS_HPP
#define CREDVAULT_TOOL_COMMANDS_HPP

#include "tool/options.hpp"
#include "tool/prompt.hpp"

namespace credvault::tool {

// What every command runs with.
struct context {
  const parsed_args& args;  // the command's options, globals included
  const settings& config;
  line_reader& input;  // stdin
};

// credvault init: creates the vault, and the key file when it is missing.
int run_init(context& ctx);

// credvault api METHOD PATH [--data ...] [-i], and api --batch.
int run_api(context& ctx);

// credvault create, update, delete.
int run_create(context& ctx);
int run_update(context& ctx);
int run_delete(context& ctx);

// credvault list, show.
int run_list(context& ctx);
int run_show(context& ctx);

// credvault associate, associations and resolve.
int run_associate(context& ctx);
int run_associations(context& ctx);
int run_resolve(context& ctx);

// credvault verify: checks the whole vault's consistency.
int run_verify(context& ctx);

}  // namespace credvault::tool

#endif  // CREDVAULT_TOOL_COMMANDS_HPP
