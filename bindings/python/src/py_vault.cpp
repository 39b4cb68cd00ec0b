#include "py_vault.hpp"

#include <cstdint>
#include <exception>
#include <optional>
#include <string_view>

#include "credvault/api.hpp"
#include "credvault/association.hpp"
#include "credvault/codec.hpp"

#include "convert.hpp"

namespace credvault::python {
namespace {

// Runs `f` with the GIL released, so that other Python threads run while
// the vault works. `f` must not touch a Python object.
template <class F>
auto without_gil(F&& f) {
  py::gil_scoped_release release;
  return std::forward<F>(f)();
}

std::string credential_types_rule() {
  std::string rule = "must be credential types, each one of";
  for (credential_type t : all_credential_types()) {
    rule += ' ';
    rule += to_string(t);
  }
  return rule;
}

result<list_query> make_list_query(std::size_t offset, std::size_t limit,
                                   const std::vector<std::string>& types,
                                   bool newest_first) {
  list_query query{
      .offset = offset, .limit = limit, .newest_first = newest_first};
  for (const std::string& name : types) {
    std::optional<credential_type> type = parse_credential_type(name);
    if (!type) {
      return invalid_argument("types", credential_types_rule());
    }
    query.types.push_back(*type);
  }
  return query;
}

result<credential_query::ordering> parse_order(std::string_view name) {
  using ordering = credential_query::ordering;
  if (name == "associated") {
    return ordering::associated;
  }
  if (name == "default_last") {
    return ordering::default_last;
  }
  if (name == "default_first") {
    return ordering::default_first;
  }
  return invalid_argument(
      "order", "must be one of associated, default_last, default_first");
}

// The error of body `index` among several, its pointers prefixed with the
// index so that the caller can tell which body broke which rule.
error numbered(const error& e, std::size_t index) {
  const std::string prefix = "/" + std::to_string(index);
  std::vector<field_error> fields = e.fields();
  for (field_error& f : fields) {
    f.pointer.insert(0, prefix);
  }
  return error(e.code(), "body " + std::to_string(index) + ": " + e.message(),
               std::move(fields));
}

// Calls the Python progress callback from create_many, which the vault
// calls without the GIL. The first exception it raises is kept for the
// caller to raise once the vault returns, and later calls are skipped: the
// exception must not unwind through the library.
// TODO: an exception from the callback cannot stop the remaining batches,
// since bulk_options offers no way to cancel; they are still written.
void report_progress(const py::object& progress, std::size_t done,
                     std::size_t total, std::exception_ptr& failure) noexcept {
  py::gil_scoped_acquire gil;
  if (failure) {
    return;
  }
  try {
    progress(done, total);
  } catch (...) {
    failure = std::current_exception();
  }
}

py::tuple page(py::list items, std::size_t total_count) {
  return py::make_tuple(std::move(items), total_count);
}

py::tuple to_python(const association& a) {
  return py::make_tuple(to_py(id_prefix(a.object.type)), to_py(a.object.id),
                        a.is_default, to_py(format_timestamp(a.created)));
}

py::tuple to_python(const credential_association& a) {
  return py::make_tuple(python::to_python(a.metadata),
                        to_py(id_prefix(a.object.type)), to_py(a.object.id),
                        a.is_default);
}

}  // namespace

std::unique_ptr<py_vault> py_vault::open(const std::filesystem::path& dir,
                                         const key_source& key, bool create,
                                         int scrypt_log2_n) {
  if (scrypt_log2_n < 1 || scrypt_log2_n > 30) {
    raise(invalid_argument("scrypt_log2_n", "must be from 1 to 30"));
  }
  const open_options options{
      .mode = create ? open_mode::create_if_missing : open_mode::open_existing,
      .scrypt_log2_n = static_cast<std::uint8_t>(scrypt_log2_n)};

  auto opened = without_gil([&] { return vault::open(dir, key, options); });
  raise_if_error(opened);

  std::shared_ptr<vault> shared = std::move(*opened);
  return std::unique_ptr<py_vault>(new py_vault(std::move(shared)));
}

py_vault::~py_vault() = default;

void py_vault::close() {
  std::shared_ptr<vault> last = std::move(vault_);

  // Closing syncs and unmaps the files; other threads need not wait.
  py::gil_scoped_release release;
  last.reset();
}

std::shared_ptr<vault> py_vault::acquire() const {
  if (!vault_) {
    throw py::value_error("the vault is closed");
  }
  return vault_;
}

py::tuple py_vault::create(const std::string& user, py::handle body) {
  const body_arg arg(body);
  std::shared_ptr<vault> v = acquire();

  auto created = without_gil([&]() -> result<credential_metadata> {
    result<credential_input> input = arg.decode_create();
    if (!input) {
      return std::move(input).error();
    }
    return v->create(user, std::move(*input));
  });

  raise_if_error(created);
  return to_python(*created);
}

py::list py_vault::create_many(const std::string& user, const py::list& bodies,
                               std::size_t batch_size, py::object progress) {
  std::vector<body_arg> args;
  args.reserve(bodies.size());
  for (py::handle body : bodies) {
    args.emplace_back(body);
  }
  if (!progress.is_none() && !PyCallable_Check(progress.ptr())) {
    throw py::type_error("progress must be callable or None");
  }
  std::exception_ptr failure;
  bulk_options options{.batch_size = batch_size};
  if (!progress.is_none()) {
    options.progress = [&](std::size_t done, std::size_t total) {
      report_progress(progress, done, total, failure);
    };
  }
  std::shared_ptr<vault> v = acquire();

  auto stored = without_gil([&]() -> result<std::vector<credential_metadata>> {
    std::vector<credential_input> inputs;
    inputs.reserve(args.size());
    for (std::size_t i = 0; i < args.size(); ++i) {
      result<credential_input> input = args[i].decode_create();
      if (!input) {
        return numbered(input.error(), i);
      }
      inputs.push_back(std::move(*input));
    }
    return v->create_many(user, std::move(inputs), options);
  });

  raise_if_error(stored);
  if (failure) {
    std::rethrow_exception(failure);
  }
  py::list out;
  for (const credential_metadata& m : *stored) {
    out.append(to_python(m));
  }
  return out;
}

py::tuple py_vault::get(const std::string& user, const std::string& id) const {
  result<credential_id> parsed = parse_id_arg(id);
  raise_if_error(parsed);
  std::shared_ptr<vault> v = acquire();

  auto found = without_gil([&] { return v->get(user, *parsed); });

  raise_if_error(found);
  return to_python(*found);
}

py::tuple py_vault::update(const std::string& user, const std::string& id,
                           py::handle body) {
  result<credential_id> parsed = parse_id_arg(id);
  raise_if_error(parsed);
  const body_arg arg(body);
  std::shared_ptr<vault> v = acquire();

  auto updated = without_gil([&]() -> result<credential_metadata> {
    if (std::optional<std::string_view> text = arg.text()) {
      return v->update(user, *parsed, *text);
    }
    // A dict is decoded for the stored credential's type, which the vault
    // does itself for text. A credential's type never changes, so reading
    // it first cannot race with another update.
    result<credential_metadata> stored = v->get(user, *parsed);
    if (!stored) {
      return std::move(stored).error();
    }
    result<credential_update> decoded =
        decode_update(*arg.object(), stored->credential_type);
    if (!decoded) {
      return std::move(decoded).error();
    }
    return v->update(user, *parsed, std::move(*decoded));
  });

  raise_if_error(updated);
  return to_python(*updated);
}

void py_vault::remove(const std::string& user, const std::string& id) {
  result<credential_id> parsed = parse_id_arg(id);
  raise_if_error(parsed);
  std::shared_ptr<vault> v = acquire();

  auto removed = without_gil([&] { return v->remove(user, *parsed); });

  raise_if_error(removed);
}

py::tuple py_vault::list(const std::string& user, std::size_t offset,
                         std::size_t limit,
                         const std::vector<std::string>& types,
                         bool newest_first) const {
  result<list_query> query =
      make_list_query(offset, limit, types, newest_first);
  raise_if_error(query);
  std::shared_ptr<vault> v = acquire();

  auto listed = without_gil([&] { return v->list(user, *query); });

  raise_if_error(listed);
  py::list items;
  for (const credential_metadata& m : listed->items) {
    items.append(to_python(m));
  }
  return page(std::move(items), listed->total_count);
}

py::tuple py_vault::reveal(const std::string& user,
                           const std::string& id) const {
  result<credential_id> parsed = parse_id_arg(id);
  raise_if_error(parsed);
  std::shared_ptr<vault> v = acquire();

  auto revealed = without_gil([&] { return v->reveal(user, *parsed); });

  raise_if_error(revealed);
  return to_python(*revealed);
}

py::object py_vault::resolve_default(const std::string& user,
                                     const std::string& object_type,
                                     const std::string& object_id) const {
  result<credvault::object_type> type =
      parse_object_type_arg(object_type, "object_type");
  raise_if_error(type);
  raise_if_error(check_object_id(object_id, "object_id"));
  const object_ref object{*type, object_id};
  std::shared_ptr<vault> v = acquire();

  auto found = without_gil([&] { return v->resolve_default(user, object); });

  raise_if_error(found);
  if (!*found) {
    return py::none();
  }
  return to_python(**found);
}

void py_vault::add_associations(
    const std::string& user, const std::string& id,
    const std::vector<std::pair<std::string, std::string>>& objects) {
  result<credential_id> parsed = parse_id_arg(id);
  raise_if_error(parsed);
  std::vector<object_ref> refs;
  refs.reserve(objects.size());
  for (const auto& [type_name, object_id] : objects) {
    result<object_type> type = parse_object_type_arg(type_name, "objects");
    raise_if_error(type);
    refs.push_back({*type, object_id});
  }
  std::shared_ptr<vault> v = acquire();

  auto added =
      without_gil([&] { return v->add_associations(user, *parsed, refs); });

  raise_if_error(added);
}

void py_vault::remove_associations(const std::string& user,
                                   const std::string& id,
                                   const std::vector<std::string>& object_ids) {
  result<credential_id> parsed = parse_id_arg(id);
  raise_if_error(parsed);
  std::shared_ptr<vault> v = acquire();

  auto removed = without_gil(
      [&] { return v->remove_associations(user, *parsed, object_ids); });

  raise_if_error(removed);
}

py::tuple py_vault::set_association(const std::string& user,
                                    const std::string& id,
                                    const std::string& association_id,
                                    bool is_default) {
  result<credential_id> parsed = parse_id_arg(id);
  raise_if_error(parsed);
  result<object_ref> object = parse_association_id(association_id);
  raise_if_error(object);
  std::shared_ptr<vault> v = acquire();

  auto set = without_gil(
      [&] { return v->set_association(user, *parsed, *object, is_default); });

  raise_if_error(set);
  const credential_association& a = set->association;
  return py::make_tuple(python::to_python(a.metadata),
                        to_py(id_prefix(a.object.type)), to_py(a.object.id),
                        a.is_default, set->created);
}

py::tuple py_vault::list_objects(const std::string& user, const std::string& id,
                                 std::size_t offset, std::size_t limit,
                                 const std::vector<std::string>& types,
                                 bool newest_first) const {
  result<credential_id> parsed = parse_id_arg(id);
  raise_if_error(parsed);
  object_query query{
      .offset = offset, .limit = limit, .newest_first = newest_first};
  for (const std::string& name : types) {
    result<object_type> type = parse_object_type_arg(name, "types");
    raise_if_error(type);
    query.types.push_back(*type);
  }
  std::shared_ptr<vault> v = acquire();

  auto listed =
      without_gil([&] { return v->list_objects(user, *parsed, query); });

  raise_if_error(listed);
  py::list items;
  for (const association& a : listed->items) {
    items.append(to_python(a));
  }
  return page(std::move(items), listed->total_count);
}

py::tuple py_vault::list_credentials_for(const std::string& user,
                                         const std::string& association_id,
                                         std::size_t offset, std::size_t limit,
                                         const std::string& order) const {
  result<object_ref> object = parse_association_id(association_id);
  raise_if_error(object);
  result<credential_query::ordering> ordering = parse_order(order);
  raise_if_error(ordering);
  const credential_query query{
      .offset = offset, .limit = limit, .order = *ordering};
  std::shared_ptr<vault> v = acquire();

  auto listed = without_gil(
      [&] { return v->list_credentials_for(user, *object, query); });

  raise_if_error(listed);
  py::list items;
  for (const credential_association& a : listed->items) {
    items.append(to_python(a));
  }
  return page(std::move(items), listed->total_count);
}

py::tuple py_vault::handle(const std::string& method, const std::string& target,
                           py::handle body, const std::string& user,
                           const std::string& base_url) const {
  const body_arg arg(body);
  const std::optional<std::string_view> text = arg.text();
  if (!text) {
    throw py::type_error("a request body must be JSON text");
  }
  std::shared_ptr<vault> v = acquire();

  const api::response r = without_gil([&] {
    const api::dispatcher dispatcher(*v);
    return dispatcher.handle({.method = method,
                              .target = target,
                              .body = *text,
                              .user = user,
                              .base_url = base_url});
  });

  return py::make_tuple(r.status, to_python(r.body), to_py(r.allow));
}

}  // namespace credvault::python
