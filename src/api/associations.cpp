#include "api/associations.hpp"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "credvault/association.hpp"
#include "credvault/codec.hpp"

#include "codec/json_memory.hpp"
#include "codec/rules.hpp"

namespace credvault::api {
namespace {

constexpr std::string_view to_add_key = "credentialsToAdd";
constexpr std::string_view to_remove_key = "credentialsToRemove";

// The API's conflict messages for a PATCH of associations.
constexpr std::string_view already_associated =
    "One or more of the objects to add are already associated with the "
    "credentials.";
constexpr std::string_view not_associated =
    "One or more of the objects to remove are not associated with the "
    "credentials.";

// A validated PATCH body: exactly one of the two lists holds items.
struct association_changes {
  std::vector<object_ref> to_add;
  std::vector<std::string> to_remove;
};

// The value at `key` of `o`, or nullptr when it is missing or null: a null
// counts as absent.
const boost::json::value* present(const boost::json::object& o,
                                  std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  return v == nullptr || v->is_null() ? nullptr : v;
}

// Reports each key of `o` (under `pointer`) that `known` does not name.
void reject_unknown(const boost::json::object& o, std::string_view pointer,
                    std::initializer_list<std::string_view> known,
                    codec::issues& errs) {
  for (const auto& kv : o) {
    const std::string_view key = kv.key();
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      errs.add(codec::child_pointer(pointer, key), "is not a known field");
    }
  }
}

// The items of the list at `v`, or nullptr after reporting why `v` is not
// an array of 1 to max_array_items items.
const boost::json::array* list_at(const boost::json::value& v,
                                  const std::string& pointer,
                                  std::string_view items_are,
                                  codec::issues& errs) {
  if (!v.is_array()) {
    errs.add(pointer, "must be an array of " + std::string(items_are));
    return nullptr;
  }
  const boost::json::array& items = v.get_array();
  if (items.empty()) {
    errs.add(pointer, "must have at least 1 item (minItems 1)");
    return nullptr;
  }
  if (items.size() > max_array_items) {
    const std::string max = std::to_string(max_array_items);
    errs.add(pointer,
             "must have at most " + max + " items (maxItems " + max + ")");
    return nullptr;
  }
  return &items;
}

// The object id at `v`, or nullopt after reporting the rule it breaks.
std::optional<std::string> object_id_at(const boost::json::value& v,
                                        const std::string& pointer,
                                        codec::issues& errs) {
  if (!v.is_string()) {
    errs.add(pointer, "must be a string");
    return std::nullopt;
  }
  const std::string_view id = v.get_string();
  if (result<void> checked = check_object_id(id, pointer); !checked) {
    for (const field_error& f : checked.error().fields()) {
      errs.add(f.pointer, f.rule);
    }
    return std::nullopt;
  }
  return std::string(id);
}

// One item of credentialsToAdd, {"objectId": …, "objectType":
// "dataconnection"}, appended to `out` when it is valid.
void read_item_to_add(const boost::json::value& v, const std::string& pointer,
                      association_changes& out, codec::issues& errs) {
  if (!v.is_object()) {
    errs.add(pointer, "must be an object");
    return;
  }
  const boost::json::object& item = v.get_object();
  reject_unknown(item, pointer, {"objectId", "objectType"}, errs);

  std::optional<std::string> id;
  const std::string id_pointer = codec::child_pointer(pointer, "objectId");
  if (const boost::json::value* given = present(item, "objectId")) {
    id = object_id_at(*given, id_pointer, errs);
  } else {
    errs.add(id_pointer, "is required");
  }

  // The reference allows only data connections here; a job definition is
  // associated through PUT.
  bool type_ok = false;
  const std::string type_pointer = codec::child_pointer(pointer, "objectType");
  if (const boost::json::value* given = present(item, "objectType")) {
    type_ok = given->is_string() && given->get_string() == "dataconnection";
    if (!type_ok) {
      errs.add(type_pointer, "must be one of: dataconnection");
    }
  } else {
    errs.add(type_pointer, "is required");
  }

  if (id && type_ok) {
    out.to_add.push_back({object_type::dataconnection, std::move(*id)});
  }
}

// The list credentialsToAdd at `v`; its valid items go to `out`.
void read_to_add(const boost::json::value& v, association_changes& out,
                 codec::issues& errs) {
  const std::string pointer = codec::child_pointer("", to_add_key);
  const boost::json::array* items = list_at(v, pointer, "objects", errs);
  if (items == nullptr) {
    return;
  }
  for (std::size_t i = 0; i < items->size(); ++i) {
    read_item_to_add((*items)[i], codec::child_pointer(pointer, i), out, errs);
  }
}

// The list credentialsToRemove at `v`; its valid ids go to `out`.
void read_to_remove(const boost::json::value& v, association_changes& out,
                    codec::issues& errs) {
  const std::string pointer = codec::child_pointer("", to_remove_key);
  const boost::json::array* items = list_at(v, pointer, "strings", errs);
  if (items == nullptr) {
    return;
  }
  for (std::size_t i = 0; i < items->size(); ++i) {
    const std::string item = codec::child_pointer(pointer, i);
    if (std::optional<std::string> id = object_id_at((*items)[i], item, errs)) {
      out.to_remove.push_back(std::move(*id));
    }
  }
}

// Decodes and validates a PATCH body (the API's
// CredentialsAssociationUpdate).
// Errors: errc::invalid_input naming every offending field; "" for a body
// that is not a JSON object or holds both lists or neither.
result<association_changes> decode_changes(std::string_view body) {
  result<boost::json::object> parsed = codec::parse_object(body);
  if (!parsed) {
    return std::move(parsed).error();
  }

  codec::issues errs;
  reject_unknown(*parsed, "", {to_add_key, to_remove_key}, errs);
  const boost::json::value* to_add = present(*parsed, to_add_key);
  const boost::json::value* to_remove = present(*parsed, to_remove_key);
  if (to_add != nullptr && to_remove != nullptr) {
    errs.add("",
             "must hold only one of credentialsToAdd and "
             "credentialsToRemove");
  } else if (to_add == nullptr && to_remove == nullptr) {
    errs.add("", "must hold credentialsToAdd or credentialsToRemove");
  }

  association_changes out;
  if (to_add != nullptr) {
    read_to_add(*to_add, out, errs);
  }
  if (to_remove != nullptr) {
    read_to_remove(*to_remove, out, errs);
  }

  if (!errs.empty()) {
    return std::move(errs).to_error();
  }
  return out;
}

// The isDefault of a PUT body (the API's SetCredentialsAssociationRequest):
// false when the body is empty or leaves it out.
// Errors: errc::invalid_input for a body that is not a JSON object, an
// isDefault that is not a boolean, or any other field.
result<bool> decode_is_default(std::string_view body) {
  if (body.empty()) {
    return false;
  }
  result<boost::json::object> parsed = codec::parse_object(body);
  if (!parsed) {
    return std::move(parsed).error();
  }

  codec::issues errs;
  reject_unknown(*parsed, "", {"isDefault"}, errs);
  bool is_default = false;
  if (const boost::json::value* given = present(*parsed, "isDefault")) {
    if (given->is_bool()) {
      is_default = given->get_bool();
    } else {
      errs.add("/isDefault", "must be a boolean");
    }
  }

  if (!errs.empty()) {
    return std::move(errs).to_error();
  }
  return is_default;
}

// `base_url` less one trailing '/', to put before an absolute path.
std::string_view base_of(std::string_view base_url) {
  if (base_url.ends_with('/')) {
    base_url.remove_suffix(1);
  }
  return base_url;
}

// Where the object's own resource lives; its id is percent-encoded, since
// it may hold any byte but a control character.
std::string object_link(std::string_view base_url, const object_ref& object) {
  std::string link(base_of(base_url));
  switch (object.type) {
    case object_type::dataconnection:
      link += "/api/v2/externalDataStores/";
      break;
    case object_type::batch_prediction_job_definition:
      link += "/api/v2/batchPredictionJobDefinitions/";
      break;
  }
  link += percent_encode(object.id);
  link += '/';
  return link;
}

// The path of the list of the credentials that serve `object`, the
// association id spelled as the route takes it.
std::string object_credentials_path(const object_ref& object) {
  std::string path = "/api/v2/credentials/associations/";
  path += id_prefix(object.type);
  path += ':';
  path += percent_encode(object.id);
  path += '/';
  return path;
}

// The path of the list of the objects credential `id` serves.
std::string credential_objects_path(const credential_id& id) {
  std::string path = "/api/v2/credentials/";
  path += id.str();
  path += "/associations/";
  return path;
}

// The API's RetrieveCredentialAssociationResponse: the credential's
// metadata with the association's facts.
boost::json::object credential_item(const credential_association& a) {
  boost::json::object out = to_json(a.metadata);
  out["isDefault"] = a.is_default;
  out["objectId"] = a.object.id;
  out["objectType"] = to_string(a.object.type);
  return out;
}

// The API's CredentialsAssociationsData.
boost::json::object object_item(const association& a,
                                std::string_view base_url) {
  boost::json::object out;
  out["isDefault"] = a.is_default;
  out["link"] = object_link(base_url, a.object);
  out["objectId"] = a.object.id;
  out["objectType"] = to_string(a.object.type);
  return out;
}

}  // namespace

response list_object_credentials(const call& c) {
  result<association_list_params> params = parse_association_list(c.query);
  if (!params) {
    return error_reply(params.error());
  }

  result<credential_association_page> page =
      c.store.list_credentials_for(c.req.user, *c.object, params->query);
  if (!page) {
    return error_reply(page.error());
  }

  boost::json::array data;
  data.reserve(page->items.size());
  for (const credential_association& a : page->items) {
    data.push_back(credential_item(a));
  }
  const std::string path = object_credentials_path(*c.object);
  const auto link = [&](std::size_t offset) {
    return association_list_link(c.req.base_url, path, *params, offset);
  };
  return reply(200, page_body(std::move(data), params->query.offset,
                              params->query.limit, page->total_count, link));
}

response list_credential_objects(const call& c) {
  result<object_list_params> params = parse_object_list(c.query);
  if (!params) {
    return error_reply(params.error());
  }

  result<association_page> page =
      c.store.list_objects(c.req.user, *c.credential, params->query);
  if (!page) {
    return vault_error_reply(page.error(), {});
  }

  boost::json::array data;
  data.reserve(page->items.size());
  for (const association& a : page->items) {
    data.push_back(object_item(a, c.req.base_url));
  }
  const std::string path = credential_objects_path(*c.credential);
  const auto link = [&](std::size_t offset) {
    return object_list_link(c.req.base_url, path, *params, offset);
  };
  return reply(200, page_body(std::move(data), params->query.offset,
                              params->query.limit, page->total_count, link));
}

response update_associations(const call& c) {
  result<association_changes> changes = decode_changes(c.req.body);
  if (!changes) {
    return error_reply(changes.error());
  }

  // The vault applies either list in one transaction, so a conflict on
  // any item leaves every association as it was.
  const bool adding = !changes->to_add.empty();
  result<void> done =
      adding
          ? c.store.add_associations(c.req.user, *c.credential, changes->to_add)
          : c.store.remove_associations(c.req.user, *c.credential,
                                        changes->to_remove);
  if (!done) {
    return vault_error_reply(done.error(),
                             adding ? already_associated : not_associated);
  }
  return reply(204, nullptr);
}

response set_association(const call& c) {
  result<bool> is_default = decode_is_default(c.req.body);
  if (!is_default) {
    return error_reply(is_default.error());
  }

  result<set_outcome> set = c.store.set_association(c.req.user, *c.credential,
                                                    *c.object, *is_default);
  if (!set) {
    return vault_error_reply(set.error(), {});
  }
  return reply(set->created ? 201 : 200, credential_item(set->association));
}

}  // namespace credvault::api
