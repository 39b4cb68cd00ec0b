// credvault verify.
#include <iostream>

#include "credvault/vault.hpp"

#include "tool/commands.hpp"
#include "tool/session.hpp"

namespace credvault::tool {

int run_verify(context& ctx) {
  if (!ctx.args.positionals.empty()) {
    return report_usage("verify", "takes no arguments");
  }

  std::optional<session> s = open_session(ctx.config);
  if (!s) {
    return exit_failure;
  }
  result<verify_report> report = s->store->verify();
  if (!report) {
    return report_error(report.error());
  }

  std::cout << "the vault is consistent\n"
            << "credentials:  " << report->credentials << '\n'
            << "users:        " << report->users << '\n'
            << "associations: " << report->associations << '\n'
            << "defaults:     " << report->defaults << '\n';
  return exit_ok;
}

}  // namespace credvault::tool
