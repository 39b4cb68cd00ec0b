// The `credvault._credvault` extension module: the secret type, key
// sources and the vault. The `credvault` package wraps it in the public
// Python API (bindings/python/credvault/).
#include <filesystem>
#include <string>

#include <pybind11/operators.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "credvault/secret.hpp"
#include "credvault/vault.hpp"

#include "convert.hpp"
#include "py_vault.hpp"

namespace credvault::python {
namespace {

std::string masked_repr() {
  return "<Secret " + std::string(secret_mask) + ">";
}

// Secret text that is not UTF-8 comes back with its bytes escaped rather
// than as an error, whose message would quote them.
py::str reveal_text(const secret& s) {
  const std::string_view bytes = s.reveal();
  PyObject* text = PyUnicode_DecodeUTF8(
      bytes.data(), static_cast<Py_ssize_t>(bytes.size()), "surrogateescape");
  if (text == nullptr) {
    throw py::error_already_set();
  }
  return py::reinterpret_steal<py::str>(text);
}

void define_secret(py::module_& m) {
  py::class_<secret>(m, "Secret",
                     "A secret value: printing shows a mask; reveal() gives "
                     "the text.")
      .def(
          py::init([](const py::str& value) { return secret(utf8_of(value)); }),
          py::arg("value"))
      .def("reveal", &reveal_text, "The secret's text.")
      .def("__repr__", [](const secret&) { return masked_repr(); })
      .def("__str__", [](const secret&) { return std::string(secret_mask); })
      .def(py::self == py::self)
      .def("__copy__", [](const secret& s) { return s.clone(); })
      .def("__deepcopy__",
           [](const secret& s, const py::dict&) { return s.clone(); })
      .def("__reduce__", [](const secret&) -> py::object {
        throw py::type_error(
            "a Secret cannot be pickled; reveal() it on purpose instead");
      });
}

void define_key_source(py::module_& m) {
  py::class_<key_source>(m, "KeySource", "How a vault is unlocked.")
      .def_static("key_file", &key_source::key_file, py::arg("path"))
      .def_static(
          "passphrase",
          [](const secret& s) { return key_source::passphrase(s.clone()); },
          py::arg("passphrase"))
      .def_static(
          "raw_key",
          [](const py::bytes& key) {
            char* data = nullptr;
            Py_ssize_t size = 0;
            if (PyBytes_AsStringAndSize(key.ptr(), &data, &size) != 0) {
              throw py::error_already_set();
            }
            return key_source::raw_key(
                secret(std::string_view(data, static_cast<std::size_t>(size))));
          },
          py::arg("key"));
}

void define_vault(py::module_& m) {
  py::class_<py_vault>(m, "Vault", "An open vault; see credvault.Vault.")
      .def_static("open", &py_vault::open, py::arg("path"), py::arg("key"),
                  py::arg("create"), py::arg("scrypt_log2_n"))
      .def("close", &py_vault::close)
      .def_property_readonly("closed", &py_vault::closed)
      .def("create", &py_vault::create)
      .def("create_many", &py_vault::create_many)
      .def("list", &py_vault::list)
      .def("get", &py_vault::get)
      .def("reveal", &py_vault::reveal)
      .def("update", &py_vault::update)
      .def("remove", &py_vault::remove)
      .def("add_associations", &py_vault::add_associations)
      .def("remove_associations", &py_vault::remove_associations)
      .def("set_association", &py_vault::set_association)
      .def("list_objects", &py_vault::list_objects)
      .def("list_credentials_for", &py_vault::list_credentials_for)
      .def("resolve_default", &py_vault::resolve_default)
      .def("handle", &py_vault::handle);
}

void define_functions(py::module_& m) {
  m.def(
      "create_key_file",
      [](const std::filesystem::path& path) {
        result<void> created = [&] {
          py::gil_scoped_release release;
          return create_key_file(path);
        }();
        raise_if_error(created);
      },
      py::arg("path"));
}

}  // namespace
}  // namespace credvault::python

PYBIND11_MODULE(_credvault, m) {
  namespace python = credvault::python;
  m.doc() = "The compiled core of the credvault package.";
  m.attr("__version__") = CREDVAULT_VERSION;
  python::define_error_type(m);
  python::define_secret(m);
  python::define_key_source(m);
  python::define_vault(m);
  python::define_functions(m);
}
