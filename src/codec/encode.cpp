// Encoding the model into the API's response shapes.
#include "credvault/codec.hpp"

namespace credvault {

boost::json::object to_json(const credential_metadata& m) {
  boost::json::object out;
  out["credentialId"] = m.credential_id.str();
  out["name"] = m.name;
  if (m.description) {
    out["description"] = *m.description;
  }
  out["credentialType"] = to_string(m.credential_type);
  out["creationDate"] = format_timestamp(m.creation_date);
  return out;
}

boost::json::object to_json(const error& e) {
  boost::json::object errors;
  for (const field_error& f : e.fields()) {
    errors[f.pointer] = f.rule;
  }
  boost::json::object out;
  out["message"] = e.message();
  out["errors"] = std::move(errors);
  return out;
}

}  // namespace credvault
