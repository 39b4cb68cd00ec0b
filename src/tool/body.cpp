#include "tool/body.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include <boost/json/parse.hpp>

#include "credvault/codec.hpp"

namespace credvault::tool {
namespace {

error usage(std::string message) {
  return error(errc::invalid_input, std::move(message));
}

result<wiped_string> finish_read(line_reader::status st, wiped_string& text,
                                 std::string_view source) {
  if (st == line_reader::status::too_long) {
    return usage("the body from " + std::string(source) +
                 " is longer than the limit of " +
                 std::to_string(max_body_bytes) + " bytes");
  }
  if (st == line_reader::status::failed) {
    return error(errc::storage, "cannot read " + std::string(source));
  }
  return std::move(text);
}

result<wiped_string> read_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return error(errc::storage,
                 "cannot read " + path + ": " + std::strerror(errno));
  }

  wiped_string text;
  line_reader::status st;
  {
    line_reader file(fd);
    st = file.rest(text.str(), max_body_bytes);
  }
  ::close(fd);
  return finish_read(st, text, path);
}

bool is_secret_anywhere(std::string_view name) {
  for (credential_type type : all_credential_types()) {
    for (const field_info& f : fields_of(type)) {
      if (f.name == name && f.secret) {
        return true;
      }
    }
  }
  return false;
}

const field_info* find_field(credential_type type, std::string_view name) {
  std::span<const field_info> fields = fields_of(type);
  auto it = std::find_if(fields.begin(), fields.end(),
                         [&](const field_info& f) { return f.name == name; });
  return it == fields.end() ? nullptr : &*it;
}

// The position of field `name` among the fields of `type`; unknown fields
// come after every known one.
std::size_t field_order(credential_type type, std::string_view name) {
  std::span<const field_info> fields = fields_of(type);
  auto it = std::find_if(fields.begin(), fields.end(),
                         [&](const field_info& f) { return f.name == name; });
  return static_cast<std::size_t>(it - fields.begin());
}

// One --field argument, split: "K=V", "K:=JSON" or "K".
struct field_arg {
  std::string_view name;
  std::optional<std::string_view> value;
  bool json = false;
};

field_arg split_field(std::string_view arg) {
  std::size_t equals = arg.find('=');
  if (equals == std::string_view::npos) {
    return {arg, std::nullopt, false};
  }
  bool json = equals > 0 && arg[equals - 1] == ':';
  std::string_view name = arg.substr(0, json ? equals - 1 : equals);
  return {name, arg.substr(equals + 1), json};
}

result<void> check_field_name(std::string_view name, const body_plan& plan) {
  if (name.empty()) {
    return usage("--field needs a field name, as in --field NAME=VALUE");
  }
  if (name == "name" || name == "description" || name == "credentialType") {
    return usage("give the " + std::string(name) +
                 " with its own option, not --field");
  }
  bool pending =
      std::any_of(plan.pending.begin(), plan.pending.end(),
                  [&](const pending_field& p) { return p.name == name; });
  if (pending || plan.body.contains(name)) {
    return usage("field " + std::string(name) + " is given twice");
  }
  return {};
}

result<boost::json::value> field_value(const field_arg& arg) {
  if (!arg.json) {
    return boost::json::value(*arg.value, wiping_storage());
  }
  boost::json::error_code ec;
  boost::json::value v = boost::json::parse(*arg.value, ec, wiping_storage());
  if (ec) {
    return usage("the value of field " + std::string(arg.name) +
                 " (after :=) is not valid JSON");
  }
  return v;
}

// Refuses a value given on the command line that may be secret: the value
// of a secret field, or an object (such as gcpKey) that may hold secrets.
result<void> check_argv_value(std::string_view name, const field_info* info,
                              const boost::json::value& value) {
  if (value.is_object()) {
    return usage("field " + std::string(name) +
                 " holds an object, which may hold secrets that the command "
                 "line would expose: pass the whole body with --data @FILE "
                 "or --data @-, or add --allow-secrets-in-argv");
  }
  if (info != nullptr && info->secret) {
    return usage("field " + std::string(name) +
                 " is secret, and the command line would expose it: write "
                 "--field " +
                 std::string(name) +
                 " without a value to be asked for it (or to read it from "
                 "stdin), or add --allow-secrets-in-argv");
  }
  return {};
}

result<void> add_field(credential_type type, const field_arg& arg,
                       bool allow_secrets, body_plan& plan) {
  if (auto r = check_field_name(arg.name, plan); !r) {
    return r;
  }
  const field_info* info = find_field(type, arg.name);
  bool secret_field = info == nullptr || info->secret;
  if (!arg.value) {
    plan.pending.push_back({std::string(arg.name), secret_field});
    return {};
  }

  result<boost::json::value> value = field_value(arg);
  if (!value) {
    return std::move(value).error();
  }
  if (!allow_secrets) {
    if (auto r = check_argv_value(arg.name, info, *value); !r) {
      return r;
    }
  }
  plan.body[arg.name] = std::move(*value);
  return {};
}

void add_required_secrets(credential_type type, body_plan& plan) {
  for (const field_info& f : fields_of(type)) {
    bool pending =
        std::any_of(plan.pending.begin(), plan.pending.end(),
                    [&](const pending_field& p) { return p.name == f.name; });
    if (f.secret && f.required && !pending && !plan.body.contains(f.name)) {
      plan.pending.push_back({std::string(f.name), true});
    }
  }
}

}  // namespace

result<wiped_string> read_data(std::string_view data, line_reader& in) {
  if (!data.starts_with('@')) {
    wiped_string text(data.size());
    text.str() = data;
    return text;
  }

  std::string_view source = data.substr(1);
  if (source != "-") {
    return read_file(std::string(source));
  }
  wiped_string text;
  line_reader::status st = in.rest(text.str(), max_body_bytes);
  return finish_read(st, text, "stdin");
}

std::optional<std::string> secret_in_inline_data(std::string_view text) {
  boost::json::error_code ec;
  boost::json::value doc = boost::json::parse(text, ec, wiping_storage());
  if (ec || !doc.is_object()) {
    return std::nullopt;
  }
  for (const auto& entry : doc.get_object()) {
    const boost::json::value& v = entry.value();
    if (!v.is_null() && (v.is_object() || is_secret_anywhere(entry.key()))) {
      return std::string(entry.key());
    }
  }
  return std::nullopt;
}

field_flags field_flags_of(const parsed_args& args) {
  field_flags flags;
  flags.name = args.last("--name");
  flags.description = args.last("--description");
  flags.user_name = args.last("--user-name");
  flags.fields = args.all("--field");
  flags.secret_stdin = args.has("--secret-stdin");
  flags.allow_secrets_in_argv = args.has("--allow-secrets-in-argv");
  return flags;
}

bool any_body_flag(const field_flags& flags) noexcept {
  return flags.name || flags.description || flags.user_name ||
         !flags.fields.empty();
}

result<body_plan> plan_body(credential_type type, const field_flags& flags,
                            bool creating) {
  body_plan plan;
  if (creating) {
    plan.body["credentialType"] = to_string(type);
  }
  if (flags.name) {
    plan.body["name"] = *flags.name;
  }
  if (flags.description) {
    plan.body["description"] = *flags.description;
  }

  std::vector<field_arg> args;
  if (flags.user_name) {
    args.push_back({"user", flags.user_name, false});
  }
  for (std::string_view f : flags.fields) {
    args.push_back(split_field(f));
  }
  for (const field_arg& arg : args) {
    if (auto r = add_field(type, arg, flags.allow_secrets_in_argv, plan); !r) {
      return std::move(r).error();
    }
  }

  if (creating) {
    add_required_secrets(type, plan);
  }
  std::stable_sort(plan.pending.begin(), plan.pending.end(),
                   [&](const pending_field& a, const pending_field& b) {
                     return field_order(type, a.name) <
                            field_order(type, b.name);
                   });
  return plan;
}

result<void> read_pending(body_plan& plan, line_reader& in, bool from_stdin) {
  for (const pending_field& f : plan.pending) {
    result<secret> value = read_value(in, f.name, f.secret, from_stdin);
    if (!value) {
      return std::move(value).error();
    }
    plan.body[f.name] = value->reveal();
  }
  return {};
}

}  // namespace credvault::tool
