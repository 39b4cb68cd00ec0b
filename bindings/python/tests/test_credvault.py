"""Tests of the credvault Python package over a vault in a temporary dir."""

import contextlib
import copy
import io
import os
import pickle
import sys
import tempfile
import threading
import time
import unittest

import credvault

KEY = bytes(range(32))
PASSWORD = "hunter2-correct-horse"
PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----MIIEvQIBADANBg"


def basic_body(name, password=PASSWORD):
    """Return a create body for a basic credential called `name`."""
    return {"name": name, "credentialType": "basic", "user": "etl",
            "password": password}


class VaultTestCase(unittest.TestCase):
    """A fresh vault, unlocked by KEY, in a directory of its own."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, "vault")
        self.vault = credvault.Vault.open(self.path, key=KEY, create=True)

    def tearDown(self):
        self.vault.close()
        self.tmp.cleanup()


class OpenTest(unittest.TestCase):
    """Opening, unlocking and closing a vault."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, "vault")

    def tearDown(self):
        self.tmp.cleanup()

    def test_open_with_raw_key_keeps_credentials_across_opens(self):
        with credvault.Vault.open(self.path, key=KEY, create=True) as v:
            created = v.create("alice", basic_body("db"))

        with credvault.Vault.open(self.path, key=KEY) as v:
            found = v.get("alice", created.credential_id)

        self.assertEqual(found, created)

    def test_open_with_passphrase_unlocks_only_with_that_passphrase(self):
        with credvault.Vault.open(self.path, passphrase="open sesame",
                                  create=True, scrypt_log2_n=10) as v:
            created = v.create("alice", basic_body("db"))

        with credvault.Vault.open(
                self.path, passphrase=credvault.Secret("open sesame")) as v:
            found = v.get("alice", created.credential_id)
        with self.assertRaises(credvault.WrongKey) as caught:
            credvault.Vault.open(self.path, passphrase="open sesam")

        self.assertEqual(found, created)
        self.assertEqual(caught.exception.code, "wrong_key")
        self.assertNotIn("open sesam", str(caught.exception))

    def test_open_with_key_file_unlocks_the_vault(self):
        key_file = os.path.join(self.tmp.name, "vault.key")
        credvault.create_key_file(key_file)

        with credvault.Vault.open(self.path, key_file=key_file,
                                  create=True) as v:
            created = v.create("alice", basic_body("db"))
        with credvault.Vault.open(self.path, key_file=key_file) as v:
            found = v.get("alice", created.credential_id)

        self.assertEqual(found, created)
        self.assertEqual(os.stat(key_file).st_mode & 0o777, 0o600)

    def test_create_key_file_over_an_existing_file_raises_conflict(self):
        key_file = os.path.join(self.tmp.name, "vault.key")
        credvault.create_key_file(key_file)
        with open(key_file, "rb") as f:
            before = f.read()

        with self.assertRaises(credvault.Conflict):
            credvault.create_key_file(key_file)

        with open(key_file, "rb") as f:
            self.assertEqual(f.read(), before)

    def test_open_with_wrong_key_raises_wrong_key(self):
        credvault.Vault.open(self.path, key=KEY, create=True).close()

        with self.assertRaises(credvault.WrongKey) as caught:
            credvault.Vault.open(self.path, key=bytes(32))

        self.assertEqual(caught.exception.code, "wrong_key")
        self.assertIsInstance(caught.exception, credvault.CredvaultError)

    def test_open_missing_vault_without_create_raises_not_found(self):
        with self.assertRaises(credvault.NotFound):
            credvault.Vault.open(self.path, key=KEY)

        self.assertFalse(os.path.exists(os.path.join(self.path, "data.mdb")))

    def test_open_without_exactly_one_key_raises_type_error(self):
        with self.assertRaises(TypeError):
            credvault.Vault.open(self.path, create=True)
        with self.assertRaises(TypeError):
            credvault.Vault.open(self.path, key=KEY, passphrase="x",
                                 create=True)
        with self.assertRaises(TypeError):
            credvault.Vault.open(self.path, key="not bytes", create=True)

    def test_open_with_short_key_raises_invalid_input(self):
        with self.assertRaises(credvault.InvalidInput) as caught:
            credvault.Vault.open(self.path, key=b"short", create=True)

        self.assertIsInstance(caught.exception, ValueError)
        self.assertFalse(os.path.exists(os.path.join(self.path, "data.mdb")))

    def test_with_block_closes_the_vault(self):
        with credvault.Vault.open(self.path, key=KEY, create=True) as v:
            self.assertFalse(v.closed)

        self.assertTrue(v.closed)
        with self.assertRaises(ValueError):
            v.list("alice")
        v.close()


class CredentialTest(VaultTestCase):
    """Creating, reading, listing, updating and deleting credentials."""

    def test_create_returns_metadata_that_get_returns_too(self):
        created = self.vault.create("alice", {**basic_body("db"),
                                              "description": "nightly"})

        found = self.vault.get("alice", created.credential_id)

        self.assertEqual(found, created)
        self.assertEqual(created.name, "db")
        self.assertEqual(created.description, "nightly")
        self.assertEqual(created.credential_type, "basic")
        self.assertRegex(created.credential_id, r"^[0-9a-f]{24}$")
        self.assertRegex(created.creation_date,
                         r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")

    def test_create_accepts_json_text_as_str_and_bytes(self):
        text = '{"name": "t", "credentialType": "api_token", "apiToken": "x"}'

        from_str = self.vault.create("alice", text)
        from_bytes = self.vault.create("alice", text.replace('"t"', '"u"')
                                       .encode())

        self.assertEqual(from_str.credential_type, "api_token")
        self.assertEqual(from_bytes.name, "u")

    def test_create_with_taken_name_raises_conflict(self):
        self.vault.create("alice", basic_body("db"))

        with self.assertRaises(credvault.Conflict) as caught:
            self.vault.create("alice", basic_body("db"))

        self.assertEqual(caught.exception.code, "conflict")
        self.assertEqual(self.vault.list("alice").total_count, 1)

    def test_create_invalid_body_raises_invalid_input_naming_fields(self):
        body = {"name": "db", "credentialType": "basic", "password": PASSWORD,
                "colour": "blue"}

        with self.assertRaises(credvault.InvalidInput) as caught:
            self.vault.create("alice", body)

        error = caught.exception
        self.assertEqual(error.code, "invalid_input")
        self.assertIn("/user", error.errors)
        self.assertIn("/colour", error.errors)
        self.assertNotIn(PASSWORD, str(error))
        self.assertEqual(self.vault.list("alice").total_count, 0)

    def test_create_body_of_wrong_kind_raises_type_error(self):
        with self.assertRaises(TypeError):
            self.vault.create("alice", ["not", "a", "dict"])
        with self.assertRaises(TypeError):
            self.vault.create("alice", {"name": object()})

    def test_calls_with_empty_user_raise_invalid_input(self):
        with self.assertRaises(credvault.InvalidInput):
            self.vault.create("", basic_body("db"))

    def test_get_of_another_users_credential_raises_not_found(self):
        created = self.vault.create("alice", basic_body("db"))

        with self.assertRaises(credvault.NotFound) as caught:
            self.vault.get("bob", created.credential_id)

        self.assertEqual(caught.exception.code, "not_found")
        self.assertIsInstance(caught.exception, LookupError)

    def test_get_with_malformed_id_raises_invalid_input(self):
        with self.assertRaises(credvault.InvalidInput) as caught:
            self.vault.get("alice", "not-an-id")

        self.assertEqual(list(caught.exception.errors), ["/credentialId"])

    def test_list_pages_newest_first_with_total_count(self):
        created = [self.vault.create("alice", basic_body(f"c{i}"))
                   for i in range(5)]

        first = self.vault.list("alice", limit=2)
        last = self.vault.list("alice", offset=4, limit=2)
        oldest_first = self.vault.list("alice", newest_first=False)

        self.assertEqual(first.items, [created[4], created[3]])
        self.assertEqual(first.total_count, 5)
        self.assertEqual(last.items, [created[0]])
        self.assertEqual(oldest_first.items, created)

    def test_list_with_types_keeps_only_those_types(self):
        self.vault.create("alice", basic_body("b"))
        token = self.vault.create(
            "alice", {"name": "t", "credentialType": "bearer", "token": "x"})

        page = self.vault.list("alice", types=["bearer"])
        one = self.vault.list("alice", types="bearer")

        self.assertEqual(page.items, [token])
        self.assertEqual(page.total_count, 1)
        self.assertEqual(one, page)

    def test_list_with_bad_arguments_raises_invalid_input(self):
        cases = {"types": {"types": ["no_such_type"]},
                 "limit": {"limit": 0},
                 "offset": {"offset": -1}}

        for key, kwargs in cases.items():
            with self.subTest(key), \
                    self.assertRaises(credvault.InvalidInput) as caught:
                self.vault.list("alice", **kwargs)
            self.assertIn(key, caught.exception.errors)

    def test_iter_credentials_yields_every_page_in_order(self):
        created = [self.vault.create("alice", basic_body(f"c{i}"))
                   for i in range(7)]
        self.vault.create("bob", basic_body("other"))

        seen = list(self.vault.iter_credentials("alice", page_size=3))

        self.assertEqual(seen, list(reversed(created)))

    def test_update_changes_sent_fields_only(self):
        created = self.vault.create("alice", basic_body("db"))

        renamed = self.vault.update("alice", created.credential_id,
                                    {"name": "warehouse"})
        self.vault.update("alice", created.credential_id,
                          '{"password": "new-password"}')

        revealed = self.vault.reveal("alice", created.credential_id)
        self.assertEqual(renamed.name, "warehouse")
        self.assertEqual(renamed.credential_id, created.credential_id)
        self.assertEqual(revealed.fields["user"], "etl")
        self.assertEqual(revealed.fields["password"].reveal(), "new-password")

    def test_update_with_field_of_another_type_raises_invalid_input(self):
        created = self.vault.create("alice", basic_body("db"))

        with self.assertRaises(credvault.InvalidInput) as caught:
            self.vault.update("alice", created.credential_id,
                              {"apiToken": "x"})

        self.assertIn("/apiToken", caught.exception.errors)

    def test_update_of_missing_credential_raises_not_found(self):
        with self.assertRaises(credvault.NotFound):
            self.vault.update("alice", "0" * 24, {"name": "x"})

    def test_delete_removes_the_credential(self):
        created = self.vault.create("alice", basic_body("db"))

        self.vault.delete("alice", created.credential_id)

        with self.assertRaises(credvault.NotFound):
            self.vault.get("alice", created.credential_id)
        with self.assertRaises(credvault.NotFound):
            self.vault.delete("alice", created.credential_id)


class BulkTest(VaultTestCase):
    """create_many: batches, progress and refusals."""

    def test_create_many_stores_all_and_reports_each_batch(self):
        bodies = [basic_body(f"c{i}") for i in range(5)]
        reports = []

        created = self.vault.create_many(
            "alice", bodies, lambda done, total: reports.append((done, total)),
            batch_size=2)

        self.assertEqual([m.name for m in created],
                         [f"c{i}" for i in range(5)])
        self.assertEqual(reports, [(2, 5), (4, 5), (5, 5)])
        self.assertEqual(self.vault.list("alice").total_count, 5)

    def test_create_many_with_repeated_name_writes_nothing(self):
        bodies = [basic_body("a"), basic_body("b"), basic_body("a")]

        with self.assertRaises(credvault.Conflict):
            self.vault.create_many("alice", bodies, batch_size=1)

        self.assertEqual(self.vault.list("alice").total_count, 0)

    def test_create_many_with_invalid_body_names_its_index(self):
        bodies = [basic_body("a"), {"name": "b", "credentialType": "basic"}]

        with self.assertRaises(credvault.InvalidInput) as caught:
            self.vault.create_many("alice", bodies)

        self.assertIn("/1/user", caught.exception.errors)
        self.assertEqual(self.vault.list("alice").total_count, 0)

    def test_create_many_raises_what_progress_raised_after_storing(self):
        def progress(done, total):
            raise RuntimeError("progress failed")

        with self.assertRaisesRegex(RuntimeError, "progress failed"):
            self.vault.create_many("alice", [basic_body("a"), basic_body("b")],
                                   progress, batch_size=1)

        self.assertEqual(self.vault.list("alice").total_count, 2)


class SecretTest(VaultTestCase):
    """Secrets print as a mask and come back only when asked for."""

    def test_secret_prints_as_mask_and_reveals_its_text(self):
        secret = credvault.Secret(PASSWORD)

        shown = [repr(secret), str(secret), f"{secret}", repr([secret])]

        for text in shown:
            self.assertNotIn(PASSWORD, text)
            self.assertIn("********", text)
        self.assertEqual(secret.reveal(), PASSWORD)

    def test_secrets_compare_by_value_and_copy_but_do_not_pickle(self):
        secret = credvault.Secret(PASSWORD)

        duplicate = copy.deepcopy(secret)

        self.assertEqual(duplicate, secret)
        self.assertNotEqual(credvault.Secret("other"), secret)
        self.assertNotEqual(secret, PASSWORD)
        with self.assertRaises(TypeError):
            pickle.dumps(secret)
        with self.assertRaises(TypeError):
            hash(secret)

    def test_reveal_returns_secret_fields_as_masked_secrets(self):
        created = self.vault.create("alice", basic_body("db"))

        credential = self.vault.reveal("alice", created.credential_id)

        password = credential.fields["password"]
        self.assertIsInstance(password, credvault.Secret)
        self.assertEqual(password.reveal(), PASSWORD)
        self.assertEqual(credential.fields["user"], "etl")
        self.assertEqual(credential.type, "basic")
        self.assertEqual(credential.metadata, created)

    def test_printing_a_credential_never_shows_its_secrets(self):
        body = {"name": "gcp", "credentialType": "gcp",
                "gcpKey": {"type": "service_account",
                           "privateKey": PRIVATE_KEY,
                           "privateKeyId": "key-id-1234567",
                           "clientEmail": "robot@example.com"}}
        created = self.vault.create("alice", body)
        credential = self.vault.reveal("alice", created.credential_id)
        printed = io.StringIO()

        with contextlib.redirect_stdout(printed):
            print(credential)
            print(credential.fields)
            print(credential.fields["gcpKey"])

        shown = printed.getvalue() + repr(credential) + str(credential)
        self.assertIn("robot@example.com", shown)
        self.assertNotIn(PRIVATE_KEY, shown)
        self.assertNotIn("key-id-1234567", shown)
        self.assertEqual(
            credential.fields["gcpKey"]["privateKey"].reveal(), PRIVATE_KEY)

    def test_create_accepts_secret_values_in_the_body(self):
        body = basic_body("db", password=credvault.Secret(PASSWORD))

        created = self.vault.create("alice", body)

        credential = self.vault.reveal("alice", created.credential_id)
        self.assertEqual(credential.fields["password"].reveal(), PASSWORD)

    def test_metadata_calls_return_no_secret(self):
        created = self.vault.create("alice", basic_body("db"))

        shown = [repr(created), repr(self.vault.get("alice",
                                                    created.credential_id)),
                 repr(self.vault.list("alice"))]

        for text in shown:
            self.assertNotIn(PASSWORD, text)


class AssociationTest(VaultTestCase):
    """Associations with objects, defaults and resolve_default."""

    def setUp(self):
        super().setUp()
        self.first = self.vault.create("alice", basic_body("first"))
        self.second = self.vault.create("alice", basic_body("second", "pw2"))

    def test_add_associations_lists_the_objects(self):
        objects = [credvault.ObjectRef("dataconnection", "dc1"),
                   ("dataconnection", "dc2"), "dataconnection:dc3"]

        self.vault.add_associations("alice", self.first.credential_id,
                                    objects)

        page = self.vault.list_objects("alice", self.first.credential_id,
                                       newest_first=False)
        self.assertEqual([a.object.object_id for a in page.items],
                         ["dc1", "dc2", "dc3"])
        self.assertEqual(page.total_count, 3)
        self.assertFalse(any(a.is_default for a in page.items))

    def test_add_existing_association_raises_conflict_and_adds_nothing(self):
        self.vault.add_associations("alice", self.first.credential_id,
                                    ["dataconnection:dc1"])

        with self.assertRaises(credvault.Conflict):
            self.vault.add_associations(
                "alice", self.first.credential_id,
                ["dataconnection:dc2", "dataconnection:dc1"])

        page = self.vault.list_objects("alice", self.first.credential_id)
        self.assertEqual(page.total_count, 1)

    def test_resolve_default_without_default_returns_none(self):
        self.vault.add_associations("alice", self.first.credential_id,
                                    ["dataconnection:dc1"])

        found = self.vault.resolve_default("alice", "dataconnection", "dc1")

        self.assertIsNone(found)

    def test_set_association_default_is_what_resolve_default_returns(self):
        made = self.vault.set_association(
            "alice", self.first.credential_id, "dataconnection:dc1",
            is_default=True)
        moved = self.vault.set_association(
            "alice", self.second.credential_id,
            credvault.ObjectRef("dataconnection", "dc1"), is_default=True)

        found = self.vault.resolve_default("alice", "dataconnection", "dc1")

        self.assertTrue(made.created)
        self.assertTrue(moved.association.is_default)
        self.assertEqual(moved.association.object,
                         ("dataconnection", "dc1"))
        self.assertEqual(found.metadata, self.second)
        self.assertEqual(found.fields["password"].reveal(), "pw2")
        self.assertIsNone(
            self.vault.resolve_default("bob", "dataconnection", "dc1"))

    def test_list_credentials_for_orders_the_default_first(self):
        self.vault.set_association("alice", self.first.credential_id,
                                   "dataconnection:dc1")
        self.vault.set_association("alice", self.second.credential_id,
                                   "dataconnection:dc1", is_default=True)

        associated = self.vault.list_credentials_for("alice",
                                                     "dataconnection:dc1")
        default_first = self.vault.list_credentials_for(
            "alice", "dataconnection:dc1", order="default_first")

        self.assertEqual([a.metadata for a in associated.items],
                         [self.first, self.second])
        self.assertEqual([a.metadata for a in default_first.items],
                         [self.second, self.first])
        self.assertTrue(default_first.items[0].is_default)

    def test_delete_of_associated_credential_raises_conflict(self):
        self.vault.add_associations("alice", self.first.credential_id,
                                    ["dataconnection:dc1"])

        with self.assertRaises(credvault.Conflict):
            self.vault.delete("alice", self.first.credential_id)

        self.vault.remove_associations("alice", self.first.credential_id,
                                       ["dc1"])
        self.vault.delete("alice", self.first.credential_id)

    def test_removing_the_default_association_leaves_no_default(self):
        self.vault.set_association("alice", self.first.credential_id,
                                   "dataconnection:dc1", is_default=True)

        self.vault.remove_associations("alice", self.first.credential_id,
                                       ["dc1"])

        self.assertIsNone(
            self.vault.resolve_default("alice", "dataconnection", "dc1"))

    def test_bad_association_arguments_raise_invalid_input(self):
        calls = {
            "/associationId": lambda: self.vault.set_association(
                "alice", self.first.credential_id, "nosuchtype:x"),
            "order": lambda: self.vault.list_credentials_for(
                "alice", "dataconnection:dc1", order="sideways"),
            "object_type": lambda: self.vault.resolve_default(
                "alice", "printer", "p1"),
        }

        for key, call in calls.items():
            with self.subTest(key), \
                    self.assertRaises(credvault.InvalidInput) as caught:
                call()
            self.assertIn(key, caught.exception.errors)


class HandleTest(VaultTestCase):
    """The REST dispatcher through handle()."""

    def test_post_then_get_answers_201_then_200(self):
        created = self.vault.handle("POST", "/api/v2/credentials/",
                                    basic_body("db"), user="alice")

        listed = self.vault.handle("GET", "/api/v2/credentials/?limit=5",
                                   user="alice")

        self.assertEqual(created.status, 201)
        self.assertEqual(created.body["name"], "db")
        self.assertNotIn("password", created.body)
        self.assertEqual(listed.status, 200)
        self.assertEqual(listed.body["totalCount"], 1)
        self.assertEqual(listed.body["data"][0]["credentialId"],
                         created.body["credentialId"])

    def test_invalid_body_answers_422_with_errors(self):
        response = self.vault.handle(
            "POST", "/api/v2/credentials/",
            '{"name": "db", "credentialType": "basic", "user": "etl"}',
            user="alice")

        self.assertEqual(response.status, 422)
        self.assertEqual(response.body["errors"], {"/password": "is required"})

    def test_missing_credential_answers_404(self):
        response = self.vault.handle(
            "GET", "/api/v2/credentials/" + "0" * 24 + "/", user="alice")

        self.assertEqual(response.status, 404)
        self.assertEqual(response.body["message"],
                         "Requested credentials not found.")

    def test_delete_answers_204_with_no_body(self):
        created = self.vault.create("alice", basic_body("db"))

        response = self.vault.handle(
            "DELETE", f"/api/v2/credentials/{created.credential_id}/",
            user="alice")

        self.assertEqual(response.status, 204)
        self.assertIsNone(response.body)
        self.assertEqual(self.vault.list("alice").total_count, 0)

    def test_wrong_method_answers_405_with_allow(self):
        response = self.vault.handle("PUT", "/api/v2/credentials/",
                                     user="alice")

        self.assertEqual(response.status, 405)
        self.assertEqual(response.allow, "GET, POST")

    def test_empty_user_answers_400(self):
        response = self.vault.handle("GET", "/api/v2/credentials/", user="")

        self.assertEqual(response.status, 400)


class ErrorTest(unittest.TestCase):
    """The exception classes themselves."""

    def test_errors_keep_code_message_and_fields_through_pickle(self):
        error = credvault.InvalidInput("invalid_input", "1 field is invalid",
                                       {"/password": "is required"})

        copied = pickle.loads(pickle.dumps(error))

        self.assertIsInstance(copied, credvault.InvalidInput)
        self.assertEqual(copied.code, "invalid_input")
        self.assertEqual(copied.message, "1 field is invalid")
        self.assertEqual(copied.errors, {"/password": "is required"})
        self.assertIn("/password: is required", str(copied))

    def test_every_error_class_is_a_credvault_error(self):
        classes = [credvault.NotFound, credvault.Conflict,
                   credvault.InvalidInput, credvault.WrongKey,
                   credvault.Corrupt, credvault.UnsupportedVersion,
                   credvault.StorageError]

        for cls in classes:
            with self.subTest(cls.__name__):
                self.assertTrue(issubclass(cls, credvault.CredvaultError))


class ThreadTest(VaultTestCase):
    """Calls from several Python threads, and the GIL during calls."""

    def setUp(self):
        super().setUp()
        self.count = 0
        self.stop = threading.Event()
        self.switch_interval = sys.getswitchinterval()

    def tearDown(self):
        self.stop.set()
        sys.setswitchinterval(self.switch_interval)
        super().tearDown()

    def start_counter(self):
        """Start a thread that counts for as long as it holds the GIL.

        With forced switches turned off, it can only count while the
        thread under test blocks or releases the GIL.
        """
        sys.setswitchinterval(1000)

        def count():
            while not self.stop.is_set():
                self.count += 1
                time.sleep(0.0001)

        threading.Thread(target=count, daemon=True).start()

    def test_threads_calling_one_vault_at_once_all_finish(self):
        results = {}

        def work(user):
            for i in range(20):
                created = self.vault.create(user, basic_body(f"c{i}"))
                self.vault.reveal(user, created.credential_id)
            results[user] = self.vault.list(user).total_count

        threads = [threading.Thread(target=work, args=(f"user{n}",))
                   for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)

        self.assertEqual(results, {f"user{n}": 20 for n in range(4)})

    def test_create_many_lets_other_threads_run_while_it_writes(self):
        bodies = [basic_body(f"c{i}") for i in range(240)]
        counts = []
        self.start_counter()

        self.vault.create_many("alice", bodies,
                               lambda done, total: counts.append(self.count),
                               batch_size=30)

        advanced = [b - a for a, b in zip(counts, counts[1:])]
        self.assertEqual(len(advanced), 7)
        self.assertGreater(sum(advanced), 0)

    def test_each_call_lets_other_threads_run_while_it_works(self):
        created = self.vault.create("alice", basic_body("db"))
        self.vault.set_association("alice", created.credential_id,
                                   "dataconnection:dc1", is_default=True)
        item = created.credential_id
        calls = {
            "get": lambda: self.vault.get("alice", item),
            "reveal": lambda: self.vault.reveal("alice", item),
            "list": lambda: self.vault.list("alice"),
            "resolve_default": lambda: self.vault.resolve_default(
                "alice", "dataconnection", "dc1"),
            "list_objects": lambda: self.vault.list_objects("alice", item),
            "handle": lambda: self.vault.handle(
                "GET", "/api/v2/credentials/", user="alice"),
        }
        self.start_counter()

        for name, call in calls.items():
            before = self.count
            for _ in range(2000):
                call()
                if self.count != before:
                    break
            with self.subTest(name):
                self.assertGreater(self.count, before)


if __name__ == "__main__":
    unittest.main()
