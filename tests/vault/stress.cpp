// Many threads on one vault at once. Each thread acts for its own user
// (create, update, associate, set defaults, resolve, list, delete) and keeps
// a model of what its user's credentials, associations and defaults must
// be; every answer is checked against the model while the others write, and
// the whole state once more at the end. All threads also create and delete
// credentials of one shared user, whose count is checked after they join.
//
// Boost.Test's assertions may be used from the main thread only, so the
// workers collect what they find wrong and the main thread reports it. Run
// under the `tsan` preset, this is also the race test of the vault.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "credvault/vault.hpp"

#include "vault_fixture.hpp"

namespace credvault::test {
namespace {

constexpr int thread_count = 8;
constexpr int rounds = 45;
constexpr int object_count = 3;
constexpr std::string_view shared_user = "shared";

// What one thread's user must have in the vault.
struct user_model {
  std::map<std::string, std::string> passwords;  // credential id -> password
  std::map<std::string, std::set<std::string>> objects;  // id -> object ids
  std::map<std::string, std::string> defaults;  // object id -> credential id
};

credential_input basic_input(const std::string& name,
                             const std::string& password) {
  basic_credential c;
  c.user = "u";
  c.password = secret(password);
  return {.name = name, .description = std::nullopt, .value = std::move(c)};
}

object_ref object_at(int i) {
  return {object_type::dataconnection, "object-" + std::to_string(i)};
}

std::optional<credential_id> id_of(const std::string& text) {
  return credential_id::parse(text);
}

// One worker: its user, its model and what it found wrong. Neither copied
// nor moved once its thread runs.
class worker {
 public:
  worker(vault& v, int index)
      : vault_(v), index_(index), user_("user-" + std::to_string(index)) {}

  void run() {
    for (int round = 0; round < rounds; ++round) {
      create(round);
      update(round);
      associate(round);
      resolve(round % object_count);
      check_count();
      share(round);
      if (round % 3 == 2) {
        remove_oldest();
      }
    }
    check_everything();
  }

  const std::vector<std::string>& problems() const { return problems_; }
  int shared_kept() const { return shared_kept_; }

 private:
  void fail(const std::string& what) {
    problems_.push_back(user_ + ": " + what);
  }

  void create(int round) {
    const std::string password = "p" + std::to_string(round);
    auto made = vault_.create(
        user_, basic_input("c-" + std::to_string(round), password));
    if (!made) {
      return fail("create: " + made.error().describe());
    }
    order_.emplace_back(made->credential_id.str());
    model_.passwords[order_.back()] = password;
  }

  void update(int round) {
    const std::string id =
        order_[static_cast<std::size_t>(round) % order_.size()];
    const std::string password = "q" + std::to_string(round);
    auto updated = vault_.update(user_, *id_of(id),
                                 R"({"password": ")" + password + R"("})");
    if (!updated) {
      return fail("update: " + updated.error().describe());
    }
    model_.passwords[id] = password;
  }

  // Associates the newest credential with an object; every other round it
  // becomes the object's default.
  void associate(int round) {
    const std::string id = order_.back();
    const object_ref object = object_at(round % object_count);
    const bool is_default = round % 2 == 0;

    auto set = vault_.set_association(user_, *id_of(id), object, is_default);
    if (!set) {
      return fail("set_association: " + set.error().describe());
    }
    model_.objects[id].insert(object.id);
    if (is_default) {
      model_.defaults[object.id] = id;
    } else if (model_.defaults[object.id] == id) {
      model_.defaults.erase(object.id);
    }
  }

  void resolve(int object) {
    const object_ref o = object_at(object);
    auto resolved = vault_.resolve_default(user_, o);
    if (!resolved) {
      return fail("resolve_default: " + resolved.error().describe());
    }

    const auto expected = model_.defaults.find(o.id);
    if (expected == model_.defaults.end() || expected->second.empty()) {
      if (resolved->has_value()) {
        fail("resolve_default found a default where there is none");
      }
      return;
    }
    if (!resolved->has_value() ||
        (*resolved)->metadata.credential_id.str() != expected->second) {
      return fail("resolve_default did not find the default");
    }
    const auto& basic = std::get<basic_credential>((*resolved)->value);
    if (basic.password.reveal() != model_.passwords[expected->second]) {
      fail("resolve_default returned a stale password");
    }
  }

  void check_count() {
    auto page = vault_.list(user_, {.limit = 1000});
    if (!page) {
      return fail("list: " + page.error().describe());
    }
    if (page->total_count != model_.passwords.size() ||
        page->items.size() != model_.passwords.size()) {
      fail("list counted " + std::to_string(page->total_count) + ", expected " +
           std::to_string(model_.passwords.size()));
    }
  }

  // Creates a credential of the shared user, and deletes every other one
  // again.
  void share(int round) {
    const std::string name =
        "t" + std::to_string(index_) + "-" + std::to_string(round);
    auto made = vault_.create(shared_user, basic_input(name, "s"));
    if (!made) {
      return fail("shared create: " + made.error().describe());
    }
    if (round % 2 == 1) {
      auto removed = vault_.remove(shared_user, made->credential_id);
      if (!removed) {
        return fail("shared remove: " + removed.error().describe());
      }
      return;
    }
    ++shared_kept_;
  }

  // Removes the oldest credential's associations, then the credential.
  void remove_oldest() {
    const std::string id = order_.front();
    const std::set<std::string>& objects = model_.objects[id];
    if (!objects.empty()) {
      auto dropped = vault_.remove_associations(
          user_, *id_of(id), {objects.begin(), objects.end()});
      if (!dropped) {
        return fail("remove_associations: " + dropped.error().describe());
      }
    }

    auto removed = vault_.remove(user_, *id_of(id));
    if (!removed) {
      return fail("remove: " + removed.error().describe());
    }
    std::erase_if(model_.defaults,
                  [&](const auto& d) { return d.second == id; });
    model_.objects.erase(id);
    model_.passwords.erase(id);
    order_.erase(order_.begin());
  }

  void check_everything() {
    for (const auto& [id, password] : model_.passwords) {
      auto revealed = vault_.reveal(user_, *id_of(id));
      if (!revealed) {
        fail("reveal: " + revealed.error().describe());
        continue;
      }
      const auto& basic = std::get<basic_credential>(revealed->value);
      if (basic.password.reveal() != password) {
        fail("reveal returned a stale password");
      }
    }
    for (int i = 0; i < object_count; ++i) {
      check_object(i);
    }
    check_count();
  }

  // The credentials listed for an object are those the model associates
  // with it, and only the model's default is marked as one.
  void check_object(int i) {
    const object_ref o = object_at(i);
    auto page = vault_.list_credentials_for(user_, o, {.limit = 1000});
    if (!page) {
      return fail("list_credentials_for: " + page.error().describe());
    }

    std::set<std::string> listed;
    for (const credential_association& a : page->items) {
      const std::string id(a.metadata.credential_id.str());
      listed.insert(id);
      const auto d = model_.defaults.find(o.id);
      const bool should_be_default =
          d != model_.defaults.end() && d->second == id;
      if (a.is_default != should_be_default) {
        fail("an association's default flag is wrong for " + o.id);
      }
    }
    std::set<std::string> expected;
    for (const auto& [id, objects] : model_.objects) {
      if (objects.count(o.id) != 0) {
        expected.insert(id);
      }
    }
    if (listed != expected) {
      fail("the credentials of " + o.id + " differ from the model");
    }
  }

  vault& vault_;
  int index_;
  std::string user_;
  user_model model_;
  std::vector<std::string> order_;  // live credential ids, oldest first
  std::vector<std::string> problems_;
  int shared_kept_ = 0;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(vault_stress)

BOOST_AUTO_TEST_CASE(eight_threads_keep_every_user_consistent) {
  vault_fixture f;
  std::vector<std::unique_ptr<worker>> workers;
  for (int i = 0; i < thread_count; ++i) {
    workers.push_back(std::make_unique<worker>(*f.v, i));
  }

  std::vector<std::thread> threads;
  for (auto& w : workers) {
    threads.emplace_back([&w] { w->run(); });
  }
  for (std::thread& t : threads) {
    t.join();
  }

  int shared_kept = 0;
  for (const auto& w : workers) {
    for (const std::string& problem : w->problems()) {
      BOOST_ERROR(problem);
    }
    shared_kept += w->shared_kept();
  }
  auto shared = f.v->list(shared_user, {.limit = 1000});
  CREDVAULT_REQUIRE_OK(shared);
  BOOST_TEST(shared->total_count == static_cast<std::size_t>(shared_kept));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace credvault::test
