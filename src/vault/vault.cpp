// The public vault: checks what every call shares, then hands over to the
// implementation.
#include "credvault/vault.hpp"

#include <new>

#include "vault/vault_impl.hpp"

namespace credvault {
namespace {

result<void> check_user(std::string_view user) {
  if (user.empty()) {
    return error(errc::invalid_input, "the session user must not be empty");
  }
  return {};
}

// Allocation failure is the one exception the implementation may raise;
// the public API reports it as a value like every other failure.
template <class F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return error(errc::internal, "out of memory");
  }
}

}  // namespace

vault::vault(std::unique_ptr<impl> state) : impl_(std::move(state)) {}

vault::~vault() = default;

result<std::unique_ptr<vault>> vault::open(const std::filesystem::path& dir,
                                           const key_source& key,
                                           const open_options& options) {
  return guarded([&]() -> result<std::unique_ptr<vault>> {
    auto opened = impl::open(dir, key, options);
    if (!opened) {
      return std::move(opened).error();
    }
    return std::unique_ptr<vault>(new vault(std::move(*opened)));
  });
}

result<credential_metadata> vault::create(std::string_view user,
                                          credential_input input) {
  if (auto r = check_user(user); !r) {
    return std::move(r).error();
  }
  return guarded([&] { return impl_->create(user, std::move(input)); });
}

result<std::vector<credential_metadata>> vault::create_many(
    std::string_view user, std::vector<credential_input> inputs,
    const bulk_options& options) {
  if (auto r = check_user(user); !r) {
    return std::move(r).error();
  }
  return guarded(
      [&] { return impl_->create_many(user, std::move(inputs), options); });
}

result<credential_page> vault::list(std::string_view user,
                                    const list_query& query) const {
  if (auto r = check_user(user); !r) {
    return std::move(r).error();
  }
  return guarded([&] { return impl_->list(user, query); });
}

result<credential_metadata> vault::get(std::string_view user,
                                       const credential_id& id) const {
  if (auto r = check_user(user); !r) {
    return std::move(r).error();
  }
  return guarded([&] { return impl_->get(user, id); });
}

result<revealed_credential> vault::reveal(std::string_view user,
                                          const credential_id& id) const {
  if (auto r = check_user(user); !r) {
    return std::move(r).error();
  }
  return guarded([&] { return impl_->reveal(user, id); });
}

result<credential_metadata> vault::update(std::string_view user,
                                          const credential_id& id,
                                          std::string_view body) {
  if (auto r = check_user(user); !r) {
    return std::move(r).error();
  }
  return guarded([&] { return impl_->update(user, id, body, nullptr); });
}

result<credential_metadata> vault::update(std::string_view user,
                                          const credential_id& id,
                                          credential_update update) {
  if (auto r = check_user(user); !r) {
    return std::move(r).error();
  }
  return guarded([&] { return impl_->update(user, id, {}, &update); });
}

result<void> vault::remove(std::string_view user, const credential_id& id) {
  if (auto r = check_user(user); !r) {
    return r;
  }
  return guarded([&] { return impl_->remove(user, id); });
}

result<void> vault::add_associations(std::string_view user,
                                     const credential_id& id,
                                     const std::vector<object_ref>& objects) {
  if (auto r = check_user(user); !r) {
    return r;
  }
  return guarded([&] { return impl_->add_associations(user, id, objects); });
}

result<void> vault::remove_associations(
    std::string_view user, const credential_id& id,
    const std::vector<std::string>& object_ids) {
  if (auto r = check_user(user); !r) {
    return r;
  }
  return guarded(
      [&] { return impl_->remove_associations(user, id, object_ids); });
}

result<set_outcome> vault::set_association(std::string_view user,
                                           const credential_id& id,
                                           const object_ref& object,
                                           bool is_default) {
  if (auto r = check_user(user); !r) {
    return std::move(r).error();
  }
  return guarded(
      [&] { return impl_->set_association(user, id, object, is_default); });
}

result<association_page> vault::list_objects(std::string_view user,
                                             const credential_id& id,
                                             const object_query& query) const {
  if (auto r = check_user(user); !r) {
    return std::move(r).error();
  }
  return guarded([&] { return impl_->list_objects(user, id, query); });
}

result<credential_association_page> vault::list_credentials_for(
    std::string_view user, const object_ref& object,
    const credential_query& query) const {
  if (auto r = check_user(user); !r) {
    return std::move(r).error();
  }
  return guarded(
      [&] { return impl_->list_credentials_for(user, object, query); });
}

result<std::optional<revealed_credential>> vault::resolve_default(
    std::string_view user, const object_ref& object) const {
  if (auto r = check_user(user); !r) {
    return std::move(r).error();
  }
  return guarded([&] { return impl_->resolve_default(user, object); });
}

result<void> vault::rotate_data_key() {
  return guarded([&] { return impl_->rotate_data_key(); });
}

result<void> vault::change_key(const key_source& new_key) {
  return guarded([&] { return impl_->change_key(new_key); });
}

result<verify_report> vault::verify() const {
  return guarded([&] { return impl_->verify(); });
}

}  // namespace credvault
