// The vault as the module's private `Vault` class: each method converts its
// arguments, releases the GIL for the vault's own work, then converts the
// result. The package's Python code builds the public API over it.
#ifndef CREDVAULT_BINDINGS_PYTHON_PY_VAULT_HPP
#define CREDVAULT_BINDINGS_PYTHON_PY_VAULT_HPP

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/pybind11.h>

#include "credvault/vault.hpp"

namespace credvault::python {

namespace py = pybind11;

// An open vault, or a closed one.
//
// Thread safety: the methods may be called from any number of Python
// threads at once, as the vault's own may. Each call holds its own
// reference to the vault, so close() during a call in another thread takes
// effect when that call returns.
// Errors: a failed call raises the module's `Error`; a call on a closed
// vault raises ValueError.
// Not copyable; Python holds it by reference.
class py_vault {
 public:
  // Opens the vault in `dir` with `key`; `create` makes it when missing.
  static std::unique_ptr<py_vault> open(const std::filesystem::path& dir,
                                        const key_source& key, bool create,
                                        int scrypt_log2_n);

  py_vault(const py_vault&) = delete;
  py_vault& operator=(const py_vault&) = delete;
  ~py_vault();

  void close();
  bool closed() const noexcept { return vault_ == nullptr; }

  // Metadata tuples, as to_python() makes them.
  py::tuple create(const std::string& user, py::handle body);
  py::list create_many(const std::string& user, const py::list& bodies,
                       std::size_t batch_size, py::object progress);
  py::tuple get(const std::string& user, const std::string& id) const;
  py::tuple update(const std::string& user, const std::string& id,
                   py::handle body);
  void remove(const std::string& user, const std::string& id);

  // (items, total_count): a page of metadata tuples.
  py::tuple list(const std::string& user, std::size_t offset, std::size_t limit,
                 const std::vector<std::string>& types,
                 bool newest_first) const;

  // A credential tuple (metadata, type, fields), or None for no default.
  py::tuple reveal(const std::string& user, const std::string& id) const;
  py::object resolve_default(const std::string& user,
                             const std::string& object_type,
                             const std::string& object_id) const;

  // `objects` holds (object_type, object_id) pairs.
  void add_associations(
      const std::string& user, const std::string& id,
      const std::vector<std::pair<std::string, std::string>>& objects);
  void remove_associations(const std::string& user, const std::string& id,
                           const std::vector<std::string>& object_ids);

  // (metadata, object_type, object_id, is_default, created).
  py::tuple set_association(const std::string& user, const std::string& id,
                            const std::string& association_id, bool is_default);

  // (items, total_count); items are (object_type, object_id, is_default,
  // created).
  py::tuple list_objects(const std::string& user, const std::string& id,
                         std::size_t offset, std::size_t limit,
                         const std::vector<std::string>& types,
                         bool newest_first) const;

  // (items, total_count); items are (metadata, object_type, object_id,
  // is_default). `order` is associated, default_last or default_first.
  py::tuple list_credentials_for(const std::string& user,
                                 const std::string& association_id,
                                 std::size_t offset, std::size_t limit,
                                 const std::string& order) const;

  // (status, body, allow) for one request to the REST dispatcher.
  py::tuple handle(const std::string& method, const std::string& target,
                   py::handle body, const std::string& user,
                   const std::string& base_url) const;

 private:
  explicit py_vault(std::shared_ptr<vault> v) noexcept : vault_(std::move(v)) {}

  // The open vault, for one call; ValueError once closed.
  std::shared_ptr<vault> acquire() const;

  std::shared_ptr<vault> vault_;
};

}  // namespace credvault::python

#endif  // CREDVAULT_BINDINGS_PYTHON_PY_VAULT_HPP
