#!/usr/bin/env python3
"""Tests of the credvault command-line tool, run against the built binary.

Usage: test_tool.py TOOL VERSION [GROUP]

TOOL is the credvault executable, VERSION the version it must report, and
GROUP one of init, api, batch, people, associations, terminal, cli
(default: all).
Every test works in a fresh temporary directory and never reads the
caller's CREDVAULT_* variables.
"""

import json
import os
import pty
import select
import stat
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

TOOL = ""
VERSION = ""

CREDENTIALS = "/api/v2/credentials/"
PASSWORD = "Zq9-hunter2-secret"
TIMEOUT = 120


def clean_environment(**extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("CREDVAULT_")}
    env.update(extra)
    return env


class ToolCase(unittest.TestCase):
    """A fresh directory with a vault path and a key file path in it."""

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="credvault-tool-")
        self.dir = Path(self._tmp.name)
        self.vault = self.dir / "vault"
        self.key = self.dir / "vault.key"

    def tearDown(self):
        self._tmp.cleanup()

    def run_tool(self, *args, stdin=None, env=None, key=None, user="tester",
                 globals_=True):
        """Runs the tool; stdin is text, or None for /dev/null."""
        command = [TOOL]
        if globals_:
            command += ["--vault", str(self.vault),
                        "--key-file", str(key or self.key)]
            if user is not None:
                command += ["--user", user]
        command += [str(a) for a in args]
        return subprocess.run(
            command, input=stdin,
            stdin=subprocess.DEVNULL if stdin is None else None,
            capture_output=True, text=True, timeout=TIMEOUT,
            env=env if env is not None else clean_environment())

    def init_vault(self):
        done = self.run_tool("init")
        self.assertEqual(done.returncode, 0, done.stderr)

    def post(self, body, user="tester"):
        done = self.run_tool("api", "POST", CREDENTIALS,
                             "--data", json.dumps(body), user=user)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        return json.loads(done.stdout)["credentialId"]

    def create_basic(self, name, password=PASSWORD, *extra):
        done = self.run_tool("create", "basic", "--name", name,
                             "--user-name", "app", *extra,
                             stdin=password + "\n")
        self.assertEqual(done.returncode, 0, done.stderr)
        return parse_fields(done.stdout)["id"]


def basic_body(name, password=PASSWORD):
    return {"name": name, "user": "app", "password": password}


def parse_fields(text):
    """The "key: value" lines that show, create and update print."""
    fields = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


class InitTests(ToolCase):

    def test_init_without_key_file_creates_one_with_mode_0600(self):
        done = self.run_tool("init")

        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(stat.S_IMODE(self.key.stat().st_mode), 0o600)
        self.assertEqual(self.key.stat().st_size, 32)
        self.assertTrue(self.vault.is_dir())
        self.assertIn("created key file", done.stdout)
        self.assertIn("created vault", done.stdout)

    def test_init_twice_fails_clearly_and_keeps_the_vault(self):
        self.init_vault()
        self.create_basic("kept")
        key_before = self.key.read_bytes()

        done = self.run_tool("init")

        self.assertEqual(done.returncode, 1)
        self.assertRegex(done.stderr, r"^credvault: cannot create vault .*"
                                      r"a vault is already there\n$")
        self.assertEqual(self.key.read_bytes(), key_before)
        self.assertIn("kept", self.run_tool("list").stdout)

    def test_init_with_existing_key_file_uses_it(self):
        self.init_vault()
        key_before = self.key.read_bytes()
        self.vault = self.dir / "second"

        done = self.run_tool("init")

        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertNotIn("key file", done.stdout)
        self.assertEqual(self.key.read_bytes(), key_before)
        self.assertEqual(self.run_tool("list").returncode, 0)

    def test_failed_init_leaves_no_new_key_file_behind(self):
        (self.dir / "plain-file").write_text("not a directory")
        self.vault = self.dir / "plain-file" / "vault"

        done = self.run_tool("init")

        self.assertEqual(done.returncode, 1)
        self.assertIn("cannot create vault", done.stderr)
        self.assertFalse(self.key.exists())

    def test_open_with_wrong_key_names_the_problem(self):
        self.init_vault()
        other_key = self.dir / "other.key"
        saved, self.vault = self.vault, self.dir / "other"
        self.assertEqual(self.run_tool("init", key=other_key).returncode, 0)
        self.vault = saved

        done = self.run_tool("list", key=other_key)

        self.assertEqual(done.returncode, 1)
        self.assertRegex(done.stderr,
                         r"^credvault: cannot open vault .*: wrong key")
        self.assertEqual(done.stdout, "")

    def test_open_where_no_vault_is_says_so(self):
        self.init_vault()
        self.vault = self.dir / "nothing-here"

        done = self.run_tool("list")

        self.assertEqual(done.returncode, 1)
        self.assertIn("cannot open vault", done.stderr)
        self.assertIn("no vault there", done.stderr)

    def test_passphrase_from_environment_makes_and_unlocks_a_vault(self):
        env = clean_environment(CREDVAULT_PASSPHRASE="correct horse",
                                CREDVAULT_VAULT=str(self.vault),
                                CREDVAULT_USER="tester")

        made = self.run_tool("init", env=env, globals_=False)
        posted = self.run_tool("api", "POST", CREDENTIALS, "--data",
                               json.dumps(basic_body("p")), env=env,
                               globals_=False)
        listed = self.run_tool("list", env=env, globals_=False)
        env["CREDVAULT_PASSPHRASE"] = "wrong horse"
        refused = self.run_tool("list", env=env, globals_=False)

        self.assertEqual(made.returncode, 0, made.stderr)
        self.assertFalse(self.key.exists())
        self.assertEqual(posted.returncode, 0, posted.stderr)
        self.assertIn("1 of 1", listed.stdout)
        self.assertEqual(refused.returncode, 1)
        self.assertIn("wrong key", refused.stderr)

    def test_environment_names_vault_key_file_and_user(self):
        env = clean_environment(CREDVAULT_VAULT=str(self.vault),
                                CREDVAULT_KEY_FILE=str(self.key),
                                CREDVAULT_USER="erin")

        made = self.run_tool("init", env=env, globals_=False)
        self.post(basic_body("hers"), user="erin")
        listed = self.run_tool("list", env=env, globals_=False)

        self.assertEqual(made.returncode, 0, made.stderr)
        self.assertIn("hers", listed.stdout)

    def test_key_file_and_passphrase_together_are_refused(self):
        env = clean_environment(CREDVAULT_PASSPHRASE="correct horse")

        done = self.run_tool("init", env=env)

        self.assertEqual(done.returncode, 2)
        self.assertIn("use only one", done.stderr)
        self.assertFalse(self.vault.exists())
        self.assertFalse(self.key.exists())


class ApiTests(ToolCase):

    def setUp(self):
        super().setUp()
        self.init_vault()

    def test_post_get_patch_delete_print_status_lines_and_exit_codes(self):
        posted = self.run_tool("api", "POST", CREDENTIALS, "-i", "--data",
                               json.dumps(basic_body("db")))
        item = CREDENTIALS + json.loads(posted.stdout.splitlines()[1])[
            "credentialId"] + "/"
        got = self.run_tool("api", "GET", item, "-i")
        patched = self.run_tool("api", "PATCH", item, "-i", "--data",
                                '{"description": "rotated"}')
        deleted = self.run_tool("api", "DELETE", item, "-i")
        gone = self.run_tool("api", "GET", item, "-i")

        self.assertEqual(posted.returncode, 0, posted.stderr)
        self.assertEqual(posted.stdout.splitlines()[0], "HTTP 201 Created")
        self.assertEqual(got.returncode, 0)
        self.assertEqual(got.stdout.splitlines()[0], "HTTP 200 OK")
        self.assertEqual(json.loads(got.stdout.splitlines()[1])["name"], "db")
        self.assertEqual(patched.returncode, 0)
        self.assertEqual(
            json.loads(patched.stdout.splitlines()[1])["description"],
            "rotated")
        self.assertEqual((deleted.returncode, deleted.stdout),
                         (0, "HTTP 204 No Content\n"))
        self.assertEqual(gone.returncode, 1)
        self.assertEqual(gone.stdout.splitlines()[0], "HTTP 404 Not Found")

    def test_response_is_one_line_of_compact_json(self):
        self.post(basic_body("one"))

        done = self.run_tool("api", "GET", CREDENTIALS + "?limit=5")

        self.assertEqual(done.returncode, 0)
        self.assertEqual(done.stdout.count("\n"), 1)
        self.assertNotIn(": ", done.stdout)
        self.assertEqual(json.loads(done.stdout)["totalCount"], 1)

    def test_invalid_body_exits_1_with_the_api_error(self):
        done = self.run_tool("api", "POST", CREDENTIALS, "-i", "--data",
                             '{"user": "app", "password": "p"}')

        self.assertEqual(done.returncode, 1)
        self.assertEqual(done.stdout.splitlines()[0],
                         "HTTP 422 Unprocessable Content")
        self.assertIn("/name", json.loads(done.stdout.splitlines()[1])[
            "errors"])

    def test_data_from_file_and_from_stdin(self):
        body_file = self.dir / "body.json"
        body_file.write_text(json.dumps(basic_body("from-file")))

        from_file = self.run_tool("api", "POST", CREDENTIALS, "--data",
                                  "@" + str(body_file))
        from_stdin = self.run_tool("api", "POST", CREDENTIALS, "--data", "@-",
                                   stdin=json.dumps(basic_body("from-stdin")))
        listed = self.run_tool("list")

        self.assertEqual(from_file.returncode, 0, from_file.stdout)
        self.assertEqual(from_stdin.returncode, 0, from_stdin.stdout)
        self.assertIn("from-file", listed.stdout)
        self.assertIn("from-stdin", listed.stdout)

    def test_data_from_missing_file_fails_without_a_request(self):
        done = self.run_tool("api", "POST", CREDENTIALS, "--data",
                             "@" + str(self.dir / "missing.json"))

        self.assertEqual(done.returncode, 1)
        self.assertIn("cannot read", done.stderr)
        self.assertEqual(done.stdout, "")

    def test_responses_never_carry_the_password(self):
        item = CREDENTIALS + self.post(basic_body("db")) + "/"

        outputs = [self.run_tool("api", "GET", path, "-i")
                   for path in (CREDENTIALS, item)]

        for done in outputs:
            self.assertEqual(done.returncode, 0)
            self.assertNotIn(PASSWORD, done.stdout + done.stderr)

    def test_api_without_method_and_path_is_a_usage_error(self):
        done = self.run_tool("api", "GET")

        self.assertEqual(done.returncode, 2)
        self.assertIn("needs METHOD and PATH", done.stderr)


class BatchTests(ToolCase):

    def setUp(self):
        super().setUp()
        self.init_vault()

    def batch(self, lines, **kwargs):
        done = self.run_tool("api", "--batch", stdin="".join(
            line + "\n" for line in lines), **kwargs)
        answers = [json.loads(line) for line in done.stdout.splitlines()]
        return done, answers

    def test_batch_answers_each_line_in_order_and_skips_blank_lines(self):
        post = {"method": "POST", "path": CREDENTIALS,
                "body": basic_body("db")}
        lines = [json.dumps(post), "", "   ", "this is not json",
                 json.dumps({"method": "GET", "path": CREDENTIALS})]

        done, answers = self.batch(lines)

        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual([a["status"] for a in answers], [201, 400, 200])
        self.assertIn("", answers[1]["body"]["errors"])
        self.assertEqual(answers[2]["body"]["totalCount"], 1)

    def test_delete_answers_204_with_a_null_body(self):
        item = CREDENTIALS + self.post(basic_body("db")) + "/"

        done, answers = self.batch([
            json.dumps({"method": "DELETE", "path": item}),
            json.dumps({"method": "GET", "path": item})])

        self.assertEqual(done.returncode, 0)
        self.assertEqual(answers[0], {"status": 204, "body": None})
        self.assertEqual(answers[1]["status"], 404)
        self.assertEqual(done.stdout.splitlines()[0],
                         '{"status":204,"body":null}')

    def test_bad_lines_get_400_naming_each_problem_and_the_batch_goes_on(self):
        lines = [
            "[1, 2]",
            json.dumps({"path": CREDENTIALS}),
            json.dumps({"method": "GET", "path": 7}),
            json.dumps({"method": "GET", "path": CREDENTIALS, "extra": 1}),
            json.dumps({"method": "GET", "path": CREDENTIALS, "user": ""}),
            json.dumps({"method": "POST", "path": CREDENTIALS,
                        "body": "text"}),
            json.dumps({"method": "GET", "path": CREDENTIALS}),
        ]

        done, answers = self.batch(lines)

        self.assertEqual(done.returncode, 0)
        self.assertEqual([a["status"] for a in answers], [400] * 6 + [200])
        expected = ["", "/method", "/path", "/extra", "/user", "/body"]
        for answer, pointer in zip(answers, expected):
            self.assertIn("message", answer["body"])
            self.assertEqual(list(answer["body"]["errors"]), [pointer])

    def test_user_in_a_line_overrides_the_session_user(self):
        lines = [
            json.dumps({"method": "POST", "path": CREDENTIALS,
                        "user": "alice", "body": basic_body("hers")}),
            json.dumps({"method": "GET", "path": CREDENTIALS}),
            json.dumps({"method": "GET", "path": CREDENTIALS,
                        "user": "alice"}),
        ]

        done, answers = self.batch(lines, user="bob")

        self.assertEqual(done.returncode, 0)
        self.assertEqual(answers[0]["status"], 201)
        self.assertEqual(answers[1]["body"]["totalCount"], 0)
        self.assertEqual(answers[2]["body"]["totalCount"], 1)

    def test_line_over_the_limit_gets_400_and_the_batch_goes_on(self):
        huge = json.dumps({"method": "POST", "path": CREDENTIALS,
                           "body": {"name": "x" * (2 << 20)}})

        done, answers = self.batch(
            [huge, json.dumps({"method": "GET", "path": CREDENTIALS})])

        self.assertEqual(done.returncode, 0)
        self.assertEqual([a["status"] for a in answers], [400, 200])
        self.assertIn("longer than", answers[0]["body"]["errors"][""])

    def test_batch_with_wrong_key_exits_nonzero_with_a_message(self):
        self.key.unlink()
        self.key.write_bytes(os.urandom(32))
        self.key.chmod(0o600)

        done, answers = self.batch(
            [json.dumps({"method": "GET", "path": CREDENTIALS})])

        self.assertNotEqual(done.returncode, 0)
        self.assertIn("wrong key", done.stderr)
        self.assertEqual(answers, [])

    def test_each_answer_is_flushed_before_the_next_line_arrives(self):
        process = subprocess.Popen(
            [TOOL, "--vault", str(self.vault), "--key-file", str(self.key),
             "--user", "tester", "api", "--batch"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=clean_environment())
        try:
            statuses = []
            for _ in range(2):
                process.stdin.write(json.dumps(
                    {"method": "GET", "path": CREDENTIALS}).encode() + b"\n")
                process.stdin.flush()
                ready, _, _ = select.select([process.stdout], [], [], TIMEOUT)
                self.assertTrue(ready, "no answer while stdin stays open")
                answer = json.loads(process.stdout.readline())
                statuses.append(answer["status"])
            process.stdin.close()
            code = process.wait(TIMEOUT)
        finally:
            process.kill()
            process.wait()
            process.stdout.close()
            process.stderr.close()

        self.assertEqual(statuses, [200, 200])
        self.assertEqual(code, 0)


class PeopleTests(ToolCase):

    def setUp(self):
        super().setUp()
        self.init_vault()

    def test_create_basic_reads_password_from_stdin_and_never_shows_it(self):
        made = self.run_tool("create", "basic", "--name", "db-prod",
                             "--user-name", "app", "--description", "Prod",
                             stdin=PASSWORD + "\n")
        listed = self.run_tool("list")
        shown = self.run_tool("show", parse_fields(made.stdout)["id"])

        self.assertEqual(made.returncode, 0, made.stderr)
        self.assertEqual(parse_fields(made.stdout)["name"], "db-prod")
        self.assertEqual(listed.returncode, 0)
        self.assertRegex(listed.stdout.splitlines()[0],
                         r"^ID +NAME +TYPE +CREATED +DESCRIPTION$")
        self.assertRegex(listed.stdout.splitlines()[1],
                         r"^[0-9a-f]{24}  db-prod +basic +\S+Z +Prod$")
        self.assertEqual(listed.stdout.splitlines()[-1], "1 of 1")
        self.assertEqual(shown.returncode, 0)
        self.assertEqual(parse_fields(shown.stdout)["type"], "basic")
        self.assertEqual(parse_fields(shown.stdout)["description"], "Prod")
        for done in (made, listed, shown):
            self.assertNotIn(PASSWORD, done.stdout + done.stderr)

    def test_show_aligns_the_values(self):
        item = self.create_basic("db", PASSWORD, "--description", "d")

        shown = self.run_tool("show", item)

        columns = {len(line) - len(line.split(":", 1)[1].lstrip())
                   for line in shown.stdout.splitlines()}
        self.assertEqual(len(columns), 1, shown.stdout)
        self.assertEqual(shown.stdout.splitlines()[0], "id:          " + item)

    def test_create_refuses_a_secret_field_in_argv(self):
        done = self.run_tool("create", "basic", "--name", "db",
                             "--user-name", "app",
                             "--field", "password=" + PASSWORD)

        self.assertEqual(done.returncode, 2)
        self.assertIn("--allow-secrets-in-argv", done.stderr)
        self.assertNotIn(PASSWORD, done.stderr)
        self.assertIn("0 of 0", self.run_tool("list").stdout)

    def test_create_takes_a_secret_from_argv_when_allowed(self):
        done = self.run_tool("create", "basic", "--name", "db",
                             "--user-name", "app", "--allow-secrets-in-argv",
                             "--field", "password=" + PASSWORD)

        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertNotIn(PASSWORD, done.stdout)

    def test_create_refuses_inline_data_holding_a_secret(self):
        body = json.dumps(dict(basic_body("db"), credentialType="basic"))

        inline = self.run_tool("create", "--data", body)
        from_stdin = self.run_tool("create", "--data", "@-", stdin=body)

        self.assertEqual(inline.returncode, 2)
        self.assertIn("@-", inline.stderr)
        self.assertEqual(from_stdin.returncode, 0, from_stdin.stderr)

    def test_create_reads_secret_fields_in_field_order(self):
        only_one = self.run_tool("create", "oauth", "--name", "o",
                                 stdin="refresh-value\n")
        both = self.run_tool("create", "oauth", "--name", "o",
                             stdin="refresh-value\ntoken-value\n")

        self.assertEqual(only_one.returncode, 1)
        self.assertEqual(only_one.stderr,
                         "error: input ended before the value of token\n")
        self.assertEqual(both.returncode, 0, both.stderr)
        self.assertEqual(parse_fields(both.stdout)["type"], "oauth")

    def test_create_with_field_flags_of_each_kind(self):
        done = self.run_tool(
            "create", "azure_oauth", "--name", "graph",
            "--field", "clientId=c1",
            "--field", 'oauthScopes:=["https://graph.microsoft.com/.default"]',
            stdin="client-secret\n")

        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(parse_fields(done.stdout)["type"], "azure_oauth")

    def test_create_without_a_name_prints_each_field_error(self):
        done = self.run_tool("create", "basic", "--user-name", "app",
                             stdin=PASSWORD + "\n")

        self.assertEqual(done.returncode, 1)
        self.assertEqual(done.stderr,
                         "error: 1 field is invalid\n  /name: is required\n")

    def test_create_with_a_name_in_use_fails(self):
        self.create_basic("db")

        done = self.run_tool("create", "basic", "--name", "db",
                             "--user-name", "app", stdin=PASSWORD + "\n")

        self.assertEqual(done.returncode, 1)
        self.assertTrue(done.stderr.startswith("error: "), done.stderr)
        self.assertIn("1 of 1", self.run_tool("list").stdout)

    def test_create_with_an_unknown_type_is_a_usage_error(self):
        done = self.run_tool("create", "bogus", "--name", "x")

        self.assertEqual(done.returncode, 2)
        self.assertIn("unknown credential type 'bogus'", done.stderr)

    def test_list_filters_by_type_orders_and_pages(self):
        self.create_basic("first")
        self.create_basic("second")
        token = self.run_tool("create", "api_token", "--name", "tok",
                              stdin="token-value\n")
        self.assertEqual(token.returncode, 0, token.stderr)

        by_type = self.run_tool("list", "--type", "api_token")
        two_types = self.run_tool("list", "--type", "api_token",
                                  "--type", "basic")
        newest = self.run_tool("list", "--limit", "1")
        oldest = self.run_tool("list", "--limit", "1", "--oldest-first")
        second_page = self.run_tool("list", "--limit", "2", "--offset", "2")

        self.assertEqual(len(by_type.stdout.splitlines()), 3)
        self.assertIn("tok", by_type.stdout)
        self.assertEqual(by_type.stdout.splitlines()[-1], "1 of 1")
        self.assertEqual(two_types.stdout.splitlines()[-1], "3 of 3")
        self.assertIn("tok", newest.stdout.splitlines()[1])
        self.assertEqual(newest.stdout.splitlines()[-1], "1 of 3")
        self.assertIn("first", oldest.stdout.splitlines()[1])
        self.assertEqual(second_page.stdout.splitlines()[-1],
                         "1 of 3 (from offset 2)")

    def test_list_with_bad_options_is_a_usage_error(self):
        for args in (["--type", "bogus"], ["--limit", "ten"],
                     ["--offset", "-1"]):
            done = self.run_tool("list", *args)

            self.assertEqual(done.returncode, 2, args)
            self.assertIn("see credvault list --help", done.stderr)

    def test_update_renames_and_keeps_the_description(self):
        item = self.create_basic("db", PASSWORD, "--description", "Prod")

        done = self.run_tool("update", item, "--name", "db-eu")
        shown = parse_fields(self.run_tool("show", item).stdout)

        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual((shown["name"], shown["description"]),
                         ("db-eu", "Prod"))

    def test_update_reads_a_named_secret_from_stdin(self):
        item = self.create_basic("db")

        done = self.run_tool("update", item, "--field", "password",
                             stdin="new-" + PASSWORD + "\n")

        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertNotIn(PASSWORD, done.stdout + done.stderr)

    def test_update_refuses_a_secret_in_argv_and_changes_nothing(self):
        item = self.create_basic("db")

        done = self.run_tool("update", item, "--name", "renamed",
                             "--field", "password=" + PASSWORD)

        self.assertEqual(done.returncode, 2)
        self.assertEqual(
            parse_fields(self.run_tool("show", item).stdout)["name"], "db")

    def test_update_from_data_reports_field_errors(self):
        item = self.create_basic("db")

        done = self.run_tool("update", item, "--data", '{"clientId": "c"}')

        self.assertEqual(done.returncode, 1)
        self.assertRegex(done.stderr, r"^error: .*\n  /clientId: ")

    def test_delete_asks_unless_yes_and_then_deletes(self):
        item = self.create_basic("db")

        unasked = self.run_tool("delete", item)
        still_there = self.run_tool("show", item)
        deleted = self.run_tool("delete", item, "--yes")
        gone = self.run_tool("show", item)

        self.assertEqual(unasked.returncode, 2)
        self.assertIn("--yes", unasked.stderr)
        self.assertEqual(still_there.returncode, 0)
        self.assertEqual(deleted.returncode, 0, deleted.stderr)
        self.assertIn(item, deleted.stdout)
        self.assertEqual(gone.returncode, 1)
        self.assertTrue(gone.stderr.startswith("error: "), gone.stderr)

    def test_malformed_id_is_a_usage_error(self):
        done = self.run_tool("show", "not-an-id")

        self.assertEqual(done.returncode, 2)
        self.assertIn("is not a credential id", done.stderr)


class AssociationTests(ToolCase):

    OBJECT = "dataconnection:5f1e0a2b3c4d5e6f7a8b9c0d"

    def setUp(self):
        super().setUp()
        self.init_vault()

    def associate(self, item, association, *extra, user="tester"):
        done = self.run_tool("associate", item, association, *extra,
                             user=user)
        self.assertEqual(done.returncode, 0, done.stderr)
        return parse_fields(done.stdout)

    def resolve_fields(self, body, association):
        """Stores `body` through the API, makes it the default for
        `association` and returns the lines that resolve --reveal prints
        after the metadata and the object."""
        self.associate(self.post(body), association, "--default")
        done = self.run_tool("resolve", association, "--reveal")
        self.assertEqual(done.returncode, 0, done.stderr)
        lines = done.stdout.splitlines()
        start = next(i for i, line in enumerate(lines)
                     if line.startswith("object:")) + 1
        return [(key, value.strip()) for key, _, value in
                (line.partition(":") for line in lines[start:])]

    def test_associate_with_default_prints_the_association(self):
        item = self.create_basic("db")

        done = self.run_tool("associate", item, self.OBJECT, "--default")
        again = self.run_tool("associate", item, self.OBJECT)

        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(parse_fields(done.stdout), {
            "association": "new", "credential": item, "name": "db",
            "object": self.OBJECT, "default": "yes"})
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(parse_fields(again.stdout)["association"], "updated")
        self.assertEqual(parse_fields(again.stdout)["default"], "no")

    def test_resolve_prints_metadata_and_no_secret(self):
        item = self.create_basic("db", PASSWORD, "--description", "Prod")
        self.associate(item, self.OBJECT, "--default")

        done = self.run_tool("resolve", self.OBJECT)

        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(
            [line.split(":", 1)[0] for line in done.stdout.splitlines()],
            ["id", "name", "type", "created", "description", "object"])
        fields = parse_fields(done.stdout)
        self.assertEqual((fields["id"], fields["name"], fields["type"]),
                         (item, "db", "basic"))
        self.assertEqual(fields["object"], self.OBJECT)
        self.assertNotIn(PASSWORD, done.stdout + done.stderr)

    def test_resolve_reveal_prints_the_secret_after_the_metadata(self):
        item = self.create_basic("db")
        self.associate(item, self.OBJECT, "--default")

        done = self.run_tool("resolve", self.OBJECT, "--reveal")

        self.assertEqual(done.returncode, 0, done.stderr)
        lines = done.stdout.splitlines()
        self.assertEqual(lines[0], "id:       " + item)
        self.assertEqual(lines[-3:], ["object:   " + self.OBJECT,
                                      "user:     app",
                                      "password: " + PASSWORD])

    def test_reveal_escapes_text_and_prints_lists_and_objects_as_json(self):
        scopes = self.resolve_fields(
            {"name": "a", "credentialType": "azure_oauth", "clientId": "c1",
             "clientSecret": "se\x1bcret", "oauthScopes": ["s1", "s2"]},
            "dataconnection:a")
        partial = self.resolve_fields(
            {"name": "s", "credentialType": "s3", "awsAccessKeyId": "AK",
             "awsSecretAccessKey": "SK"},
            "batch_prediction_job_definition:s")
        gcp = self.resolve_fields(
            {"name": "g", "credentialType": "gcp",
             "gcpKey": {"type": "service_account", "clientEmail": "e@x",
                        "privateKey": "-----BEGIN-----\nk\n"}},
            "dataconnection:g")

        self.assertEqual(scopes, [("clientId", "c1"),
                                  ("clientSecret", "se\\x1bcret"),
                                  ("oauthScopes", '["s1","s2"]')])
        self.assertEqual(partial, [("awsAccessKeyId", "AK"),
                                   ("awsSecretAccessKey", "SK")])
        self.assertEqual([key for key, _ in gcp], ["gcpKey"])
        self.assertEqual(json.loads(gcp[0][1]), {
            "type": "service_account", "clientEmail": "e@x",
            "privateKey": "-----BEGIN-----\nk\n"})

    # Every field that a create body of each type may hold, in the type's
    # order; a type whose shared configuration excludes its inline fields
    # appears twice, once each way.
    EVERY_FIELD = [
        ("adls_gen2_oauth", ["clientId", "clientSecret", "oauthScopes"]),
        ("adls_gen2_oauth", ["configId"]),
        ("api_token", ["apiToken"]),
        ("azure", ["azureConnectionString"]),
        ("azure_oauth", ["clientId", "clientSecret", "oauthScopes"]),
        ("azure_service_principal",
         ["azureTenantId", "clientId", "clientSecret"]),
        ("azure_service_principal", ["configId"]),
        ("basic", ["user", "password", "snowflakeAccountName"]),
        ("bearer", ["token"]),
        ("box_jwt", ["clientId", "clientSecret", "enterpriseId",
                     "passphrase", "privateKeyStr", "publicKeyId"]),
        ("box_jwt", ["configId"]),
        ("client_id_and_secret", ["clientId", "clientSecret"]),
        ("client_id_and_secret", ["configId"]),
        ("databricks_access_token_account", ["databricksAccessToken"]),
        ("databricks_service_principal_account",
         ["clientId", "clientSecret"]),
        ("databricks_service_principal_account", ["configId"]),
        ("external_oauth_provider", ["authenticationId"]),
        ("gcp", ["configId"]),
        ("gcp", ["googleConfigId"]),
        ("oauth", ["refreshToken", "token"]),
        ("rsa", ["passphrase", "privateKeyStr"]),
        ("s3", ["awsAccessKeyId", "awsSecretAccessKey", "awsSessionToken"]),
        ("s3", ["configId"]),
        ("sap_oauth", ["authUrl", "clientId", "clientSecret", "sapAiApiUrl"]),
        ("snowflake_key_pair_user_account",
         ["passphrase", "privateKeyStr", "user"]),
        ("snowflake_key_pair_user_account", ["configId"]),
        ("snowflake_oauth_user_account",
         ["clientId", "clientSecret", "oauthIssuerType", "oauthIssuerUrl",
          "oauthScopes", "snowflakeAccountName"]),
        ("snowflake_oauth_user_account", ["oauthConfigId"]),
        ("tableau_access_token", ["token", "tokenName"]),
    ]

    @staticmethod
    def value_of(field):
        """A valid value for `field` that names it, and how it prints."""
        if field == "oauthScopes":
            return [field + "-v"], '["' + field + '-v"]'
        if field == "oauthIssuerType":
            return "okta", "okta"
        if field in ("authUrl", "sapAiApiUrl", "oauthIssuerUrl"):
            url = "https://example.com/" + field
            return url, url
        return field + "-v", field + "-v"

    def test_reveal_labels_every_field_of_every_type_with_its_value(self):
        bodies = [dict({"name": "n%d" % n, "credentialType": kind},
                       **{f: self.value_of(f)[0] for f in fields})
                  for n, (kind, fields) in enumerate(self.EVERY_FIELD)]

        printed = [self.resolve_fields(body, "dataconnection:%d" % n)
                   for n, body in enumerate(bodies)]

        for (kind, fields), got in zip(self.EVERY_FIELD, printed):
            self.assertEqual(got, [(f, self.value_of(f)[1]) for f in fields],
                             kind)

    def test_moving_the_default_changes_what_resolve_prints(self):
        first = self.create_basic("first", "first-" + PASSWORD)
        second = self.create_basic("second", "second-" + PASSWORD)
        self.associate(first, self.OBJECT, "--default")
        before = self.run_tool("resolve", self.OBJECT, "--reveal")

        self.associate(second, self.OBJECT, "--default")
        after = self.run_tool("resolve", self.OBJECT, "--reveal")
        first_objects = self.run_tool("associations", first)

        self.assertEqual(parse_fields(before.stdout)["id"], first)
        self.assertEqual(parse_fields(before.stdout)["password"],
                         "first-" + PASSWORD)
        self.assertEqual(after.returncode, 0, after.stderr)
        self.assertEqual(parse_fields(after.stdout)["id"], second)
        self.assertEqual(parse_fields(after.stdout)["password"],
                         "second-" + PASSWORD)
        self.assertRegex(first_objects.stdout.splitlines()[1],
                         "^" + self.OBJECT + r"  no +\S+Z$")

    def test_resolve_without_a_default_exits_1_with_the_message(self):
        item = self.create_basic("db")
        self.associate(item, self.OBJECT)

        associated = self.run_tool("resolve", self.OBJECT, "--reveal")
        unknown = self.run_tool("resolve", "dataconnection:elsewhere")

        self.assertEqual((associated.returncode, associated.stdout), (1, ""))
        self.assertEqual(associated.stderr,
                         "no default credential for " + self.OBJECT + "\n")
        self.assertEqual((unknown.returncode, unknown.stdout), (1, ""))
        self.assertEqual(unknown.stderr, "no default credential for "
                                         "dataconnection:elsewhere\n")

    def test_malformed_association_id_exits_2_and_changes_nothing(self):
        item = self.create_basic("db")

        bad_type = self.run_tool("resolve", "connection:5f1e")
        no_object = self.run_tool("resolve", "dataconnection:")
        bad_associate = self.run_tool("associate", item, "5f1e", "--default")
        objects = self.run_tool("associations", item)

        self.assertEqual(bad_type.returncode, 2)
        self.assertEqual(bad_type.stderr.splitlines()[0],
                         "credvault resolve: 'connection:5f1e' is not an "
                         "association id: it must be dataconnection:ID or "
                         "batch_prediction_job_definition:ID")
        self.assertEqual(no_object.returncode, 2)
        self.assertIn("its object id must be", no_object.stderr)
        self.assertEqual(bad_associate.returncode, 2)
        self.assertIn("'5f1e' is not an association id", bad_associate.stderr)
        self.assertEqual(objects.stdout, "0 of 0\n")

    def test_another_user_resolves_nothing_and_cannot_associate(self):
        item = self.create_basic("db")
        self.associate(item, self.OBJECT, "--default")

        resolved = self.run_tool("resolve", self.OBJECT, "--reveal",
                                 user="bob")
        associated = self.run_tool("associate", item, self.OBJECT,
                                   "--default", user="bob")
        still_mine = self.run_tool("resolve", self.OBJECT)

        self.assertEqual((resolved.returncode, resolved.stdout), (1, ""))
        self.assertEqual(resolved.stderr,
                         "no default credential for " + self.OBJECT + "\n")
        self.assertEqual(associated.returncode, 1)
        self.assertTrue(associated.stderr.startswith("error: "),
                        associated.stderr)
        self.assertEqual(parse_fields(still_mine.stdout)["id"], item)

    def test_delete_of_a_credential_in_use_fails_with_the_conflict(self):
        item = self.create_basic("db")
        self.associate(item, self.OBJECT)

        deleted = self.run_tool("delete", item, "--yes")
        shown = self.run_tool("show", item)

        self.assertEqual((deleted.returncode, deleted.stdout), (1, ""))
        self.assertEqual(deleted.stderr,
                         "error: the credential is in use by one or more "
                         "data connections or batch prediction jobs\n")
        self.assertEqual(shown.returncode, 0)

    def test_associations_lists_objects_newest_first(self):
        item = self.create_basic("db")
        self.associate(item, "dataconnection:older", "--default")
        self.associate(item, "batch_prediction_job_definition:newer")

        done = self.run_tool("associations", item)
        paged = self.run_tool("associations", item, "--limit", "1",
                              "--offset", "1")

        self.assertEqual(done.returncode, 0, done.stderr)
        lines = done.stdout.splitlines()
        self.assertRegex(lines[0], r"^OBJECT +DEFAULT  ASSOCIATED$")
        self.assertRegex(lines[1], r"^batch_prediction_job_definition:newer"
                                   r"  no  +\d{4}-\d\d-\d\dT[\d:]{8}Z$")
        self.assertRegex(lines[2], r"^dataconnection:older +yes +\S+Z$")
        self.assertEqual(lines[3], "2 of 2")
        self.assertRegex(paged.stdout.splitlines()[1],
                         r"^dataconnection:older  yes +\S+Z$")
        self.assertEqual(paged.stdout.splitlines()[2:],
                         ["1 of 2 (from offset 1)"])

    def test_associations_of_an_unknown_credential_fails(self):
        done = self.run_tool("associations", "0" * 24)

        self.assertEqual((done.returncode, done.stdout), (1, ""))
        self.assertTrue(done.stderr.startswith("error: "), done.stderr)


class TerminalTests(ToolCase):
    """Runs the tool on a pseudo-terminal, as a person would."""

    def setUp(self):
        super().setUp()
        self.init_vault()

    def converse(self, args, script):
        """Runs the tool on a pty, answering each prompt of `script` (a list
        of (prompt, answer) pairs) once it appears; returns the exit code
        and everything the terminal showed."""
        master, slave = pty.openpty()
        process = subprocess.Popen(
            [TOOL, "--vault", str(self.vault), "--key-file", str(self.key),
             "--user", "tester", *args],
            stdin=slave, stdout=slave, stderr=slave,
            env=clean_environment(), start_new_session=True)
        os.close(slave)
        shown = b""
        try:
            for prompt, answer in script:
                shown = self.read_until(master, shown, prompt.encode())
                os.write(master, answer.encode() + b"\n")
            shown = self.read_until(master, shown, None)
            code = process.wait(TIMEOUT)
        finally:
            process.kill()
            process.wait()
            os.close(master)
        return code, shown.decode(errors="replace")

    def read_until(self, fd, shown, wanted):
        deadline = time.monotonic() + TIMEOUT
        while wanted is None or wanted not in shown:
            ready, _, _ = select.select([fd], [], [], 1)
            if ready:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:  # the tool closed the terminal
                    chunk = b""
                if not chunk:
                    break
                shown += chunk
            self.assertLess(time.monotonic(), deadline, shown)
        if wanted is not None:
            self.assertIn(wanted, shown)
        return shown

    def test_password_prompt_hides_what_is_typed_and_asks_twice(self):
        code, shown = self.converse(
            ["create", "basic", "--name", "db", "--user-name", "app"],
            [("password: ", PASSWORD), ("password (again): ", PASSWORD)])

        self.assertEqual(code, 0, shown)
        self.assertIn("name:", shown)
        self.assertNotIn(PASSWORD, shown)

    def test_two_different_entries_are_refused(self):
        code, shown = self.converse(
            ["create", "basic", "--name", "db", "--user-name", "app"],
            [("password: ", PASSWORD), ("password (again): ", "other")])

        self.assertEqual(code, 1, shown)
        self.assertIn("the two entries of password differ", shown)
        self.assertIn("0 of 0", self.run_tool("list").stdout)

    def test_delete_asks_for_confirmation(self):
        item = self.create_basic("db")

        declined, _ = self.converse(["delete", item], [("[y/N] ", "n")])
        kept = self.run_tool("show", item).returncode
        accepted, shown = self.converse(["delete", item], [("[y/N] ", "y")])

        self.assertEqual(declined, 1)
        self.assertEqual(kept, 0)
        self.assertEqual(accepted, 0, shown)
        self.assertEqual(self.run_tool("show", item).returncode, 1)


class CliTests(ToolCase):

    COMMANDS = ["init", "create", "list", "show", "update", "delete",
                "associate", "associations", "resolve", "api", "help"]

    def test_version_prints_the_project_version(self):
        done = self.run_tool("--version", globals_=False)

        self.assertEqual((done.returncode, done.stdout),
                         (0, "credvault " + VERSION + "\n"))

    def test_help_lists_every_command_with_an_example(self):
        done = self.run_tool("--help", globals_=False)

        self.assertEqual(done.returncode, 0)
        for command in self.COMMANDS:
            self.assertRegex(done.stdout, r"\n  " + command + " ")
        self.assertIn("Example", done.stdout)

    def test_every_command_has_the_same_help_both_ways(self):
        for command in self.COMMANDS:
            asked = self.run_tool("help", command, globals_=False)
            flagged = self.run_tool(command, "--help", globals_=False)

            self.assertEqual(asked.returncode, 0, command)
            self.assertTrue(asked.stdout.startswith("Usage: credvault"),
                            command)
            self.assertEqual(asked.stdout, flagged.stdout, command)
            if command != "help":
                self.assertIn("Example", asked.stdout, command)

    def test_help_lines_fit_a_terminal(self):
        for command in [""] + self.COMMANDS:
            done = self.run_tool("help", *([command] if command else []),
                                 globals_=False)

            for line in done.stdout.splitlines():
                self.assertLessEqual(len(line), 80, line)

    def test_unknown_option_exits_2_with_a_one_line_error(self):
        top = self.run_tool("--frobnicate", globals_=False)
        in_command = self.run_tool("list", "--frobnicate")

        self.assertEqual(top.returncode, 2)
        self.assertEqual(top.stderr, "credvault: unknown option "
                                     "'--frobnicate'\nsee credvault --help\n")
        self.assertEqual(in_command.returncode, 2)
        self.assertEqual(in_command.stderr.splitlines()[0],
                         "credvault list: unknown option '--frobnicate'")

    def test_unknown_command_and_no_command_exit_2(self):
        unknown = self.run_tool("frobnicate", globals_=False)
        nothing = self.run_tool(globals_=False)

        self.assertEqual(unknown.returncode, 2)
        self.assertIn("unknown command 'frobnicate'", unknown.stderr)
        self.assertEqual(nothing.returncode, 2)
        self.assertIn("see credvault --help", nothing.stderr)

    def test_missing_option_value_and_missing_vault_exit_2(self):
        no_value = self.run_tool("list", "--limit", globals_=False)
        no_vault = self.run_tool("list", globals_=False)

        self.assertEqual(no_value.returncode, 2)
        self.assertIn("option --limit needs a value", no_value.stderr)
        self.assertEqual(no_vault.returncode, 2)
        self.assertIn("no vault", no_vault.stderr)

    def test_global_options_may_follow_the_command(self):
        self.init_vault()

        done = self.run_tool("list", "--vault", self.vault, "--key-file",
                             self.key, "--user", "tester", globals_=False)

        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout, "0 of 0\n")


class VerifyTests(ToolCase):

    def setUp(self):
        super().setUp()
        self.init_vault()

    def test_verify_of_a_good_vault_prints_the_counts_and_exits_0(self):
        self.create_basic("db-prod")
        self.create_basic("db-test")

        done = self.run_tool("verify")

        self.assertEqual(done.returncode, 0, done.stderr)
        fields = parse_fields(done.stdout)
        self.assertEqual(fields["credentials"], "2")
        self.assertEqual(fields["users"], "1")
        self.assertEqual(fields["associations"], "0")

    def test_verify_with_arguments_is_a_usage_error(self):
        done = self.run_tool("verify", "extra")

        self.assertEqual(done.returncode, 2)


GROUPS = {
    "init": InitTests,
    "api": ApiTests,
    "batch": BatchTests,
    "people": PeopleTests,
    "associations": AssociationTests,
    "terminal": TerminalTests,
    "cli": CliTests,
    "verify": VerifyTests,
}


def main():
    global TOOL, VERSION
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    TOOL, VERSION = sys.argv[1], sys.argv[2]
    groups = sys.argv[3:] or list(GROUPS)
    loader = unittest.TestLoader()
    suite = unittest.TestSuite(
        loader.loadTestsFromTestCase(GROUPS[g]) for g in groups)
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
