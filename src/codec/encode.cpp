// Encoding the model into the API's response shapes.
#include "credvault/codec.hpp"

#include "codec/json_memory.hpp"
#include "model/schema.hpp"

namespace credvault {
namespace {

template <class S>
void put_fields(const S& s, boost::json::object& out);

boost::json::value field_json(const std::string& v,
                              const boost::json::storage_ptr& sp) {
  return boost::json::value(v, sp);
}

boost::json::value field_json(const secret& v,
                              const boost::json::storage_ptr& sp) {
  return boost::json::value(v.reveal(), sp);
}

boost::json::value field_json(const std::vector<std::string>& v,
                              const boost::json::storage_ptr& sp) {
  boost::json::array items(sp);
  for (const std::string& item : v) {
    items.emplace_back(item);
  }
  return items;
}

boost::json::value field_json(oauth_issuer_type v,
                              const boost::json::storage_ptr& sp) {
  return boost::json::value(to_string(v), sp);
}

boost::json::value field_json(gcp_key_type v,
                              const boost::json::storage_ptr& sp) {
  return boost::json::value(to_string(v), sp);
}

boost::json::value field_json(const gcp_key& v,
                              const boost::json::storage_ptr& sp) {
  boost::json::object nested(sp);
  put_fields(v, nested);
  return nested;
}

template <class S>
void put_fields(const S& s, boost::json::object& out) {
  model::for_each_field<S>([&](const auto& fd, std::size_t) {
    const auto& member = s.*fd.member;
    if constexpr (model::is_optional_v<std::remove_cvref_t<decltype(member)>>) {
      if (member) {
        out.emplace(fd.name, field_json(*member, out.storage()));
      }
    } else {
      out.emplace(fd.name, field_json(member, out.storage()));
    }
  });
}

}  // namespace

boost::json::object to_json(const credential& c) {
  boost::json::object out(codec::wiping_storage());
  out.emplace("credentialType", to_string(type_of(c)));
  std::visit([&](const auto& s) { put_fields(s, out); }, c);
  return out;
}

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
