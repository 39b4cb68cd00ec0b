// The credvault command-line tool: finds the command, parses its options,
// and runs it.
#include <cstdio>
#include <iostream>
#include <new>
#include <span>
#include <string_view>
#include <unistd.h>
#include <vector>

#include "credvault/version.hpp"

#include "tool/commands.hpp"
#include "tool/help.hpp"
#include "tool/options.hpp"
#include "tool/session.hpp"

namespace credvault::tool {
namespace {

// The options that build a body, shared by create and update.
std::vector<option_spec> body_options() {
  return {{"--name", "", true},
          {"--description", "", true},
          {"--user-name", "", true},
          {"--field", "", true},
          {"--data", "", true},
          {"--secret-stdin", "", false},
          {"--allow-secrets-in-argv", "", false}};
}

// One command: its name, the options it takes besides the global ones,
// and what runs it.
struct command {
  std::string_view name;
  std::vector<option_spec> options;
  int (*run)(context&);
};

const std::vector<command>& commands() {
  static const std::vector<command> all = {
      {"init", {}, run_init},
      {"api",
       {{"--data", "", true},
        {"--include", "-i", false},
        {"--batch", "", false}},
       run_api},
      {"create", body_options(), run_create},
      {"list",
       {{"--type", "", true},
        {"--limit", "", true},
        {"--offset", "", true},
        {"--oldest-first", "", false}},
       run_list},
      {"show", {}, run_show},
      {"update", body_options(), run_update},
      {"delete", {{"--yes", "-y", false}}, run_delete},
      {"associate", {{"--default", "", false}}, run_associate},
      {"associations",
       {{"--limit", "", true}, {"--offset", "", true}},
       run_associations},
      {"resolve", {{"--reveal", "", false}}, run_resolve},
      {"verify", {}, run_verify},
  };
  return all;
}

const command* find_command(std::string_view name) {
  for (const command& c : commands()) {
    if (c.name == name) {
      return &c;
    }
  }
  return nullptr;
}

int print_help(std::string_view topic) {
  std::optional<std::string> text = help_text(topic);
  if (!text) {
    return report_usage(
        "", "no help for '" + std::string(topic) + "': no such command");
  }
  std::cout << *text;
  return exit_ok;
}

// Runs command `c` with `args` (what follows its name) and the global
// options given before it.
int run_command(const command& c, std::span<const std::string_view> args,
                const parsed_args& globals) {
  std::vector<option_spec> specs = c.options;
  specs.insert(specs.end(), global_options().begin(), global_options().end());
  result<parsed_args> parsed = parse_args(args, specs, false);
  if (!parsed) {
    return report_usage(c.name, parsed.error().message());
  }
  parsed->options.insert(parsed->options.begin(), globals.options.begin(),
                         globals.options.end());
  if (parsed->has("--help")) {
    return print_help(c.name);
  }

  result<settings> config = resolve_settings(*parsed);
  if (!config) {
    return report_usage(c.name, config.error().message());
  }
  line_reader input(STDIN_FILENO);
  context ctx{*parsed, *config, input};
  return c.run(ctx);
}

int run_help_command(const parsed_args& globals) {
  result<parsed_args> parsed =
      parse_args(globals.rest, global_options(), false);
  if (!parsed) {
    return report_usage("help", parsed.error().message());
  }
  if (parsed->has("--help")) {
    return print_help("help");
  }
  if (parsed->positionals.size() > 1) {
    return report_usage("help", "takes at most one COMMAND");
  }
  return print_help(parsed->positionals.empty() ? "" : parsed->positionals[0]);
}

int run(std::span<const std::string_view> args) {
  result<parsed_args> globals = parse_args(args, global_options(), true);
  if (!globals) {
    return report_usage("", globals.error().message());
  }
  if (globals->has("--version")) {
    std::cout << "credvault " << version() << '\n';
    return exit_ok;
  }
  if (globals->positionals.empty()) {
    if (globals->has("--help")) {
      return print_help("");
    }
    std::cerr << short_usage();
    return exit_usage;
  }

  std::string_view name = globals->positionals[0];
  if (name == "help") {
    return run_help_command(*globals);
  }
  const command* c = find_command(name);
  if (c == nullptr) {
    return report_usage("", "unknown command '" + std::string(name) + "'");
  }
  return run_command(*c, globals->rest, *globals);
}

}  // namespace
}  // namespace credvault::tool

int main(int argc, char** argv) {
  try {
    std::vector<std::string_view> args(argv + 1, argv + argc);
    return credvault::tool::run(args);
  } catch (const std::bad_alloc&) {
    // The one failure that can reach this far; say so rather than abort.
    std::fputs("credvault: out of memory\n", stderr);
    return credvault::tool::exit_failure;
  }
}
