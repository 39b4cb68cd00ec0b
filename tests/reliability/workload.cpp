#include "reliability/workload.hpp"

#include <iterator>
#include <sstream>

#include "credvault/codec.hpp"

namespace credvault::test {
namespace {

// Above this many credentials the workload stops creating, so that the
// vault stays small however long a test runs.
constexpr std::size_t max_credentials = 24;

std::string token(std::mt19937_64& rng, const std::string& prefix) {
  std::ostringstream out;
  out << prefix << std::hex << rng();
  return out.str();
}

template <class Container>
auto pick(const Container& c, std::mt19937_64& rng) {
  auto it = c.begin();
  std::advance(it, static_cast<std::ptrdiff_t>(rng() % c.size()));
  return it;
}

credential_input basic(const std::string& name,
                       const std::string& secret_text) {
  return credential_input{name, std::nullopt,
                          basic_credential{"svc", secret(secret_text), {}}};
}

write_op make_create(std::mt19937_64& rng, const std::string& prefix,
                     std::size_t count) {
  write_op op;
  op.k = write_op::kind::create;
  for (std::size_t i = 0; i < count; ++i) {
    op.added.emplace_back(token(rng, prefix + "n"), token(rng, prefix + "s"));
  }
  return op;
}

const char* kind_name(write_op::kind k) {
  switch (k) {
    case write_op::kind::create:
      return "create";
    case write_op::kind::update:
      return "update";
    case write_op::kind::remove:
      return "remove";
    case write_op::kind::associate:
      return "associate";
    case write_op::kind::dissociate:
      return "dissociate";
    case write_op::kind::set_default:
      return "default";
  }
  return "?";
}

std::string or_dash(const std::string& s) {
  return s.empty() ? "-" : s;
}

std::string from_dash(const std::string& s) {
  return s == "-" ? "" : s;
}

}  // namespace

write_op choose(const model& m, std::mt19937_64& rng,
                const std::string& prefix) {
  const auto& creds = m.credentials;
  if (creds.size() < 3) {
    return make_create(rng, prefix, 1 + rng() % 2);
  }
  const std::uint64_t r = rng() % 100;
  if (r < 20 && creds.size() < max_credentials) {
    return make_create(rng, prefix, r < 12 ? 1 : 2 + rng() % 2);
  }

  write_op op;
  auto cred = pick(creds, rng);
  op.id = cred->first;
  if (r < 40) {
    op.k = write_op::kind::update;
    op.secret = token(rng, prefix + "s");
    if (rng() % 2 == 0) {
      op.name = token(rng, prefix + "n");
    }
    return op;
  }
  if (r < 52) {
    // Only a credential that serves no object may be deleted.
    for (const auto& [id, c] : creds) {
      if (c.objects.empty() && rng() % 2 == 0) {
        op.k = write_op::kind::remove;
        op.id = id;
        return op;
      }
    }
  }
  op.object = *pick(object_pool(), rng);
  if (r < 70 && cred->second.objects.count(op.object) == 0) {
    op.k = write_op::kind::associate;
  } else if (r < 85 && !cred->second.objects.empty()) {
    op.k = write_op::kind::dissociate;
    op.object = *pick(cred->second.objects, rng);
  } else {
    op.k = write_op::kind::set_default;
  }
  return op;
}

std::optional<std::string> perform(vault& v, const std::string& user,
                                   write_op& op) {
  auto failed = [](const error& e) {
    return std::optional<std::string>(e.describe());
  };
  const auto id = credential_id::parse(op.id);
  if (op.k != write_op::kind::create && !id) {
    return "a malformed id in the workload";
  }

  switch (op.k) {
    case write_op::kind::create: {
      std::vector<credential_input> inputs;
      for (const auto& [name, s] : op.added) {
        inputs.push_back(basic(name, s));
      }
      auto made = v.create_many(user, std::move(inputs));
      if (!made) {
        return failed(made.error());
      }
      op.ids.clear();
      for (const credential_metadata& m : *made) {
        op.ids.emplace_back(m.credential_id.str());
      }
      return std::nullopt;
    }
    case write_op::kind::update: {
      std::string body = R"({"password": ")" + op.secret + "\"";
      if (!op.name.empty()) {
        body += R"(, "name": ")" + op.name + "\"";
      }
      body += "}";
      auto r = v.update(user, *id, body);
      return r ? std::nullopt : failed(r.error());
    }
    case write_op::kind::remove: {
      auto r = v.remove(user, *id);
      return r ? std::nullopt : failed(r.error());
    }
    case write_op::kind::associate: {
      auto r = v.add_associations(
          user, *id, {object_ref{object_type::dataconnection, op.object}});
      return r ? std::nullopt : failed(r.error());
    }
    case write_op::kind::dissociate: {
      auto r = v.remove_associations(user, *id, {op.object});
      return r ? std::nullopt : failed(r.error());
    }
    case write_op::kind::set_default: {
      auto r = v.set_association(
          user, *id, object_ref{object_type::dataconnection, op.object}, true);
      return r ? std::nullopt : failed(r.error());
    }
  }
  return "an unknown operation";
}

void apply(model& m, const write_op& op) {
  switch (op.k) {
    case write_op::kind::create:
      for (std::size_t i = 0; i < op.added.size() && i < op.ids.size(); ++i) {
        m.credentials[op.ids[i]] =
            model::credential{op.added[i].first, op.added[i].second, {}};
      }
      return;
    case write_op::kind::update: {
      model::credential& c = m.credentials[op.id];
      c.secret = op.secret;
      if (!op.name.empty()) {
        c.name = op.name;
      }
      return;
    }
    case write_op::kind::remove:
      m.credentials.erase(op.id);
      return;
    case write_op::kind::associate:
      m.credentials[op.id].objects.insert(op.object);
      return;
    case write_op::kind::dissociate:
      m.credentials[op.id].objects.erase(op.object);
      if (auto d = m.defaults.find(op.object);
          d != m.defaults.end() && d->second == op.id) {
        m.defaults.erase(d);
      }
      return;
    case write_op::kind::set_default:
      m.credentials[op.id].objects.insert(op.object);
      m.defaults[op.object] = op.id;
      return;
  }
}

std::string encode(const write_op& op) {
  std::ostringstream out;
  out << kind_name(op.k) << ' ' << or_dash(op.id) << ' ' << or_dash(op.name)
      << ' ' << or_dash(op.secret) << ' ' << or_dash(op.object) << ' '
      << op.added.size();
  for (const auto& [name, s] : op.added) {
    out << ' ' << name << ' ' << s;
  }
  out << ' ' << op.ids.size();
  for (const std::string& id : op.ids) {
    out << ' ' << id;
  }
  return out.str();
}

std::optional<write_op> decode_op(const std::string& line) {
  std::istringstream in(line);
  std::string kind;
  write_op op;
  std::size_t added = 0;
  in >> kind >> op.id >> op.name >> op.secret >> op.object >> added;
  if (!in || added > 100) {
    return std::nullopt;
  }
  op.id = from_dash(op.id);
  op.name = from_dash(op.name);
  op.secret = from_dash(op.secret);
  op.object = from_dash(op.object);
  op.added.resize(added);
  for (auto& [name, s] : op.added) {
    in >> name >> s;
  }
  std::size_t ids = 0;
  in >> ids;
  if (!in || ids > 100) {
    return std::nullopt;
  }
  op.ids.resize(ids);
  for (std::string& id : op.ids) {
    in >> id;
  }
  if (!in) {
    return std::nullopt;
  }

  for (auto k : {write_op::kind::create, write_op::kind::update,
                 write_op::kind::remove, write_op::kind::associate,
                 write_op::kind::dissociate, write_op::kind::set_default}) {
    if (kind == kind_name(k)) {
      op.k = k;
      return op;
    }
  }
  return std::nullopt;
}

std::optional<model> observe(vault& v, const std::string& user,
                             std::string& failure) {
  list_query q;
  q.limit = 1000;
  auto page = v.list(user, q);
  if (!page) {
    failure = "list: " + page.error().describe();
    return std::nullopt;
  }

  model m;
  for (const credential_metadata& meta : page->items) {
    auto revealed = v.reveal(user, meta.credential_id);
    if (!revealed) {
      failure = "reveal: " + revealed.error().describe();
      return std::nullopt;
    }
    model::credential& c = m.credentials[std::string(meta.credential_id.str())];
    c.name = meta.name;
    c.secret = std::string(
        std::get<basic_credential>(revealed->value).password.reveal());
    auto objects = v.list_objects(user, meta.credential_id, {});
    if (!objects) {
      failure = "list_objects: " + objects.error().describe();
      return std::nullopt;
    }
    for (const association& a : objects->items) {
      c.objects.insert(a.object.id);
    }
  }

  for (const std::string& object : object_pool()) {
    auto d = v.resolve_default(user,
                               object_ref{object_type::dataconnection, object});
    if (!d) {
      failure = "resolve_default: " + d.error().describe();
      return std::nullopt;
    }
    if (*d) {
      m.defaults[object] = std::string((*d)->metadata.credential_id.str());
    }
  }
  return m;
}

std::string difference(const model& want, const model& got) {
  std::ostringstream out;
  for (const auto& [id, c] : want.credentials) {
    auto it = got.credentials.find(id);
    if (it == got.credentials.end()) {
      out << "missing " << id << "; ";
    } else if (!(it->second == c)) {
      out << "differs " << id << " (want name " << c.name << " secret "
          << c.secret << " objects " << c.objects.size() << ", got name "
          << it->second.name << " secret " << it->second.secret << " objects "
          << it->second.objects.size() << "); ";
    }
  }
  for (const auto& [id, c] : got.credentials) {
    if (want.credentials.count(id) == 0) {
      out << "unexpected " << id << "; ";
    }
  }
  if (want.defaults != got.defaults) {
    out << "defaults differ (" << want.defaults.size() << " wanted, "
        << got.defaults.size() << " found)";
  }
  return out.str();
}

}  // namespace credvault::test
