// Conversions between Python objects and credvault's model for the Python
// module: bodies in, metadata, credentials, pages and errors out.
//
// Every function here needs the GIL. pybind11 reports a Python exception by
// throwing a C++ exception that its dispatcher catches where Python called
// in, so these functions raise that way; none of them is ever called from
// inside the library.
#ifndef CREDVAULT_BINDINGS_PYTHON_CONVERT_HPP
#define CREDVAULT_BINDINGS_PYTHON_CONVERT_HPP

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <pybind11/pybind11.h>

#include "credvault/association.hpp"
#include "credvault/credential.hpp"
#include "credvault/error.hpp"
#include "credvault/vault.hpp"

namespace credvault::python {

namespace py = pybind11;

// Creates the module's exception type, `Error`, whose arguments are the
// code's name, the message and a list of (pointer, rule) pairs. Call once,
// when the module is initialised.
void define_error_type(py::module_& m);

// Raises `e` in Python as the module's `Error`.
[[noreturn]] void raise(const error& e);

// Raises the value of `r` when it holds an error.
template <class T>
void raise_if_error(const result<T>& r) {
  if (!r) {
    raise(r.error());
  }
}

// An errc::invalid_input error for one bad argument of a Python call, keyed
// by the argument's name.
error invalid_argument(std::string name, std::string rule);

// The text `s` as a Python str.
py::str to_py(std::string_view s);

// The UTF-8 text of str `s`, which stays valid while `s` lives; raises
// UnicodeEncodeError for a lone surrogate.
std::string_view utf8_of(py::handle s);

// A request or create body as Python gave it: the text of a JSON document
// (str or bytes), or a dict converted into memory that is wiped when freed,
// since a body may hold secrets. Keeps what it borrows alive, so that it
// may be decoded without the GIL.
// Move-only: it owns a Python reference.
class body_arg {
 public:
  // Raises TypeError for anything but str, bytes and dict, and for a dict
  // holding a value JSON cannot carry.
  explicit body_arg(py::handle body);

  body_arg(body_arg&&) noexcept = default;
  body_arg& operator=(body_arg&&) noexcept = default;
  body_arg(const body_arg&) = delete;
  body_arg& operator=(const body_arg&) = delete;
  ~body_arg() = default;

  // Validates the body as the API's create body. Needs no GIL.
  result<credential_input> decode_create() const;

  // The body as text, or nullopt for a dict.
  std::optional<std::string_view> text() const noexcept;

  // The body as an object, or nullptr for text.
  const boost::json::object* object() const noexcept {
    return object_ ? &*object_ : nullptr;
  }

 private:
  py::object owner_;
  std::string_view text_;
  std::optional<boost::json::object> object_;
};

// A JSON document as Python data: dict, list, str, int, float, bool, None.
py::object to_python(const boost::json::value& v);

// Metadata as the tuple (credential_id, name, description or None,
// credential_type, creation_date).
py::tuple to_python(const credential_metadata& m);

// A revealed credential as the tuple (metadata, type, fields), fields a
// dict keyed by the API's field names. Secret fields become Secret objects
// that take over the secrets' memory: `c` is left without them.
py::tuple to_python(revealed_credential& c);

// The object type named `name` in either spelling, or an invalid_input
// error keyed by `argument`.
result<object_type> parse_object_type_arg(std::string_view name,
                                          const std::string& argument);

// The credential id spelled by `text`, or an invalid_input error keyed by
// "/credentialId", as the API reports a bad id.
result<credential_id> parse_id_arg(std::string_view text);

}  // namespace credvault::python

#endif  // CREDVAULT_BINDINGS_PYTHON_CONVERT_HPP
