#include "convert.hpp"

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/storage_ptr.hpp>
#include <boost/json/string.hpp>

#include "credvault/codec.hpp"
#include "credvault/secret.hpp"

#include "model/schema.hpp"

namespace credvault::python {
namespace {

// The module's exception type. A reference owned for the life of the
// process: the type must outlive every call that may raise it, and
// releasing it at exit would run after the interpreter has gone.
PyObject* error_type = nullptr;

// Deeper bodies are refused before they exhaust the stack; the API's
// bodies nest two levels at most.
constexpr int max_body_depth = 64;

std::string type_name(py::handle h) {
  return py::str(py::type::handle_of(h).attr("__qualname__"));
}

std::string_view bytes_of(py::handle b) {
  char* data = nullptr;
  Py_ssize_t size = 0;
  if (PyBytes_AsStringAndSize(b.ptr(), &data, &size) != 0) {
    throw py::error_already_set();
  }
  return {data, static_cast<std::size_t>(size)};
}

// Text for people, such as an error message, that may hold bytes from a
// file name that are not UTF-8: those become U+FFFD.
py::str lossy_str(std::string_view s) {
  PyObject* text = PyUnicode_DecodeUTF8(
      s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
  if (text == nullptr) {
    throw py::error_already_set();
  }
  return py::reinterpret_steal<py::str>(text);
}

boost::json::value json_of(py::handle h, const boost::json::storage_ptr& sp,
                           int depth);

boost::json::value int_json(py::handle h, const boost::json::storage_ptr& sp) {
  int overflow = 0;
  const long long small = PyLong_AsLongLongAndOverflow(h.ptr(), &overflow);
  if (overflow == 0) {
    if (small == -1 && PyErr_Occurred() != nullptr) {
      throw py::error_already_set();
    }
    return boost::json::value(std::int64_t{small}, sp);
  }

  if (overflow > 0) {
    const unsigned long long big = PyLong_AsUnsignedLongLong(h.ptr());
    if (PyErr_Occurred() == nullptr) {
      return boost::json::value(std::uint64_t{big}, sp);
    }
    PyErr_Clear();
  }
  throw py::value_error("an integer in the body is out of JSON's range");
}

boost::json::value object_json(py::handle h, const boost::json::storage_ptr& sp,
                               int depth) {
  boost::json::object out(sp);
  for (auto item : py::reinterpret_borrow<py::dict>(h)) {
    if (!py::isinstance<py::str>(item.first)) {
      throw py::type_error("the keys of a body must be str, not " +
                           type_name(item.first));
    }
    out.emplace(utf8_of(item.first), json_of(item.second, sp, depth + 1));
  }
  return out;
}

boost::json::value array_json(py::handle h, const boost::json::storage_ptr& sp,
                              int depth) {
  boost::json::array out(sp);
  for (py::handle item : py::reinterpret_borrow<py::iterable>(h)) {
    out.push_back(json_of(item, sp, depth + 1));
  }
  return out;
}

// Python data as JSON in storage `sp`. A Secret becomes its text: bodies
// may carry secrets without the caller revealing them first.
boost::json::value json_of(py::handle h, const boost::json::storage_ptr& sp,
                           int depth) {
  if (depth > max_body_depth) {
    throw py::value_error("the body nests more than 64 levels deep");
  }

  if (h.is_none()) {
    return boost::json::value(nullptr, sp);
  }
  if (py::isinstance<py::bool_>(h)) {
    return boost::json::value(h.cast<bool>(), sp);
  }
  if (py::isinstance<py::int_>(h)) {
    return int_json(h, sp);
  }
  if (py::isinstance<py::float_>(h)) {
    return boost::json::value(h.cast<double>(), sp);
  }
  if (py::isinstance<py::str>(h)) {
    return boost::json::value(utf8_of(h), sp);
  }
  if (py::isinstance<secret>(h)) {
    return boost::json::value(h.cast<const secret&>().reveal(), sp);
  }
  if (py::isinstance<py::dict>(h)) {
    return object_json(h, sp, depth);
  }
  if (py::isinstance<py::list>(h) || py::isinstance<py::tuple>(h)) {
    return array_json(h, sp, depth);
  }
  throw py::type_error("a body cannot hold a value of type " + type_name(h));
}

// The members of a credential struct as Python values. Secrets are moved
// into Secret objects, so no copy of them is left behind here.
template <class S>
void put_fields(S& s, py::dict& out);

py::object field_value(std::string& v) {
  return to_py(v);
}

py::object field_value(secret& v) {
  return py::cast(std::move(v));
}

py::object field_value(std::vector<std::string>& v) {
  py::list items;
  for (const std::string& item : v) {
    items.append(to_py(item));
  }
  return items;
}

py::object field_value(oauth_issuer_type v) {
  return to_py(to_string(v));
}

py::object field_value(gcp_key_type v) {
  return to_py(to_string(v));
}

py::object field_value(gcp_key& v) {
  py::dict nested;
  put_fields(v, nested);
  return nested;
}

template <class S>
void put_fields(S& s, py::dict& out) {
  model::for_each_field<S>([&](const auto& fd, std::size_t) {
    auto& member = s.*fd.member;
    if constexpr (model::is_optional_v<std::remove_cvref_t<decltype(member)>>) {
      if (member) {
        out[to_py(fd.name)] = field_value(*member);
      }
    } else {
      out[to_py(fd.name)] = field_value(member);
    }
  });
}

}  // namespace

void define_error_type(py::module_& m) {
  error_type = PyErr_NewExceptionWithDoc(
      "credvault._credvault.Error",
      "A failed vault call: args are (code, message, [(pointer, rule)]).",
      nullptr, nullptr);
  if (error_type == nullptr) {
    throw py::error_already_set();
  }
  m.add_object("Error", py::handle(error_type));
}

void raise(const error& e) {
  py::list fields;
  for (const field_error& f : e.fields()) {
    fields.append(py::make_tuple(lossy_str(f.pointer), lossy_str(f.rule)));
  }
  py::tuple args = py::make_tuple(to_py(to_string(e.code())),
                                  lossy_str(e.message()), fields);
  PyErr_SetObject(error_type, args.ptr());
  throw py::error_already_set();
}

error invalid_argument(std::string name, std::string rule) {
  return error(errc::invalid_input, "1 argument is invalid",
               {{std::move(name), std::move(rule)}});
}

py::str to_py(std::string_view s) {
  return py::str(s.data(), s.size());
}

std::string_view utf8_of(py::handle s) {
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(s.ptr(), &size);
  if (data == nullptr) {
    throw py::error_already_set();
  }
  return {data, static_cast<std::size_t>(size)};
}

body_arg::body_arg(py::handle body)
    : owner_(py::reinterpret_borrow<py::object>(body)) {
  if (py::isinstance<py::str>(body)) {
    text_ = utf8_of(body);
  } else if (py::isinstance<py::bytes>(body)) {
    text_ = bytes_of(body);
  } else if (py::isinstance<py::dict>(body)) {
    boost::json::value v = json_of(body, wiping_json_storage(), 0);
    object_.emplace(std::move(v.get_object()));
  } else {
    throw py::type_error(
        "a body must be a dict, or JSON text as str or bytes, not " +
        type_name(body));
  }
}

result<credential_input> body_arg::decode_create() const {
  if (object_) {
    return credvault::decode_create(*object_);
  }
  return credvault::decode_create(text_);
}

std::optional<std::string_view> body_arg::text() const noexcept {
  if (object_) {
    return std::nullopt;
  }
  return text_;
}

py::object to_python(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      return py::none();
    case boost::json::kind::bool_:
      return py::bool_(v.get_bool());
    case boost::json::kind::int64:
      return py::int_(v.get_int64());
    case boost::json::kind::uint64:
      return py::int_(v.get_uint64());
    case boost::json::kind::double_:
      return py::float_(v.get_double());
    case boost::json::kind::string:
      return to_py(v.get_string());
    case boost::json::kind::array: {
      py::list items;
      for (const boost::json::value& item : v.get_array()) {
        items.append(to_python(item));
      }
      return items;
    }
    case boost::json::kind::object: {
      py::dict members;
      for (const boost::json::key_value_pair& kv : v.get_object()) {
        members[to_py(kv.key())] = to_python(kv.value());
      }
      return members;
    }
  }
  return py::none();
}

py::tuple to_python(const credential_metadata& m) {
  py::object description = py::none();
  if (m.description) {
    description = to_py(*m.description);
  }
  return py::make_tuple(to_py(m.credential_id.str()), to_py(m.name),
                        description, to_py(to_string(m.credential_type)),
                        to_py(format_timestamp(m.creation_date)));
}

py::tuple to_python(revealed_credential& c) {
  py::dict fields;
  std::visit([&](auto& s) { put_fields(s, fields); }, c.value);
  return py::make_tuple(to_python(c.metadata),
                        to_py(to_string(type_of(c.value))), fields);
}

result<object_type> parse_object_type_arg(std::string_view name,
                                          const std::string& argument) {
  if (std::optional<object_type> type = parse_object_type(name)) {
    return *type;
  }
  return invalid_argument(
      argument, "must be dataconnection or batch_prediction_job_definition");
}

result<credential_id> parse_id_arg(std::string_view text) {
  if (std::optional<credential_id> id = credential_id::parse(text)) {
    return *id;
  }
  return invalid_argument("/credentialId",
                          "must be 24 lowercase hexadecimal characters");
}

}  // namespace credvault::python
