#!/usr/bin/env python3
"""Writes the seed corpora of the text fuzz targets from the API reference.

usage: make_corpus.py SPEC.md CORPUS_DIR

The reference's code blocks are JSON schemas: of the request bodies, of
the responses and of their parts. Each block goes in as it is (a JSON
document the decoders must reject cleanly), and each also yields an
instance built from the schema (one per branch of a oneOf), which is what
a client would send. The instances become create bodies, update bodies,
dispatcher requests for every operation, with the query parameters the
reference lists, and batch lines. The record corpus is written by
make_record_seeds.cpp from the create bodies. The output is committed;
run this again only when the reference changes.
"""
import json
import pathlib
import re
import sys

OBJECT_ID = "5f1e0a2b3c4d5e6f7a8b9c0d"
CREDENTIAL_ID = "0123456789abcdef01234567"

# Types the reference lists in its enum but gives no create body for; the
# bodies follow the reading notes beside the reference.
EXTRA_CREATE = [
    {"credentialType": "bearer", "name": "bearer-1", "token": "t0k"},
    {"credentialType": "rsa", "name": "rsa-1", "privateKeyStr": "-----BEGIN",
     "passphrase": "pp"},
    {"credentialType": "tableau_access_token", "name": "tableau-1",
     "tokenName": "tn", "token": "tv"},
]


def instance(schema, name="x"):
    """A value that the schema describes, with every property filled in."""
    if "oneOf" in schema:
        return instance(schema["oneOf"][0], name)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {k: instance(v, k) for k, v in
                schema.get("properties", {}).items()}
    if kind == "array":
        return [instance(schema.get("items", {"type": "string"}), name)]
    if kind == "boolean":
        return True
    if kind == "integer":
        return 1
    if kind == "number":
        return 1.5
    if schema.get("format") == "uri":
        return "https://example.com/" + name
    if schema.get("format") == "date-time":
        return "2026-12-03T15:45:08.123456Z"
    return name + "-value"


def required_only(schema):
    """A value with only the required properties of an object schema."""
    full = instance(schema)
    keep = set(schema.get("required", []))
    return {k: v for k, v in full.items() if k in keep}


def create_bodies(create_schema):
    bodies = []
    for i, branch in enumerate(create_schema["oneOf"]):
        body = instance(branch)
        body["name"] = "cred-%d" % i
        # One shared-configuration id or the inline secrets, not both.
        for alt in ("configId", "googleConfigId"):
            if alt in body and len(body) > 4:
                del body[alt]
        if body.get("credentialType") == "gcp":
            body.pop("configId", None)
            body.pop("googleConfigId", None)
        bodies.append(body)
        short = required_only(branch)
        short["name"] = "short-%d" % i
        bodies.append(short)
    return bodies + EXTRA_CREATE


def update_bodies(create_body):
    """Update bodies for a credential created from `create_body`."""
    fields = {k: v for k, v in create_body.items()
              if k not in ("credentialType", "name", "description")}
    out = [{"name": "renamed"}, {"name": "renamed", "description": "d"},
           {"description": None, "name": "n2"}]
    for k, v in fields.items():
        out.append({k: v})
    if fields:
        out.append(fields)
    return out


def query_params(spec):
    """Query parameter names and values per operation path."""
    params = {}
    for section in re.split(r"\n## ", spec):
        m = re.search(r"Operation path: `(\w+) ([^`]+)`", section)
        if not m:
            continue
        names = re.findall(r"^\| (\w+) \| query \|", section, re.M)
        enums = dict(re.findall(r"^\| (\w+) \| \[([^\]]*)\] \|", section,
                                re.M))
        query = []
        for n in names:
            if n in enums:
                for v in enums[n].split(","):
                    query.append("%s=%s" % (n, v.strip()))
            elif n in ("offset", "limit"):
                query.append("%s=%s" % (n, "2" if n == "limit" else "0"))
            else:
                query.append("%s=basic" % n)
        params[(m.group(1), m.group(2))] = "&".join(query)
    return params


def write(directory, name, text):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_text(text)


def main():
    spec_path, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    spec = spec_path.read_text()
    blocks = re.findall(r"```\n(.*?)```", spec, re.S)
    schemas = [json.loads(b) for b in blocks]
    create_schema = next(s for s in schemas if "oneOf" in s)
    assoc_update = next(s for s in schemas
                        if "credentialsToAdd" in s.get("properties", {}))
    set_default = next(s for s in schemas
                       if list(s.get("properties", {})) == ["isDefault"])

    creates = create_bodies(create_schema)
    for i, b in enumerate(blocks):
        write(out / "fuzz_create", "spec-block-%02d.json" % i, b)
        write(out / "fuzz_update", "spec-block-%02d.txt" % i,
              json.dumps(creates[0]) + "\n" + b)
    for i, body in enumerate(creates):
        text = json.dumps(body)
        write(out / "fuzz_create", "create-%02d.json" % i, text)
        for j, update in enumerate(update_bodies(body)):
            write(out / "fuzz_update", "update-%02d-%02d.txt" % (i, j),
                  text + "\n" + json.dumps(update))

    queries = query_params(spec)
    assoc = "dataconnection:" + OBJECT_ID
    requests = [
        ("GET", "/api/v2/credentials/", queries.get(
            ("GET", "/api/v2/credentials/"), ""), None),
        ("GET", "/api/v2/credentials/{id}/", "", None),
        ("DELETE", "/api/v2/credentials/{id}/", "", None),
        ("PATCH", "/api/v2/credentials/{id}/", "", {"name": "renamed"}),
        ("GET", "/api/v2/credentials/{id}/associations/", queries.get(
            ("GET", "/api/v2/credentials/{credentialId}/associations/"), ""),
         None),
        ("PATCH", "/api/v2/credentials/{id}/associations/", "",
         instance(assoc_update)),
        ("PATCH", "/api/v2/credentials/{id}/associations/", "",
         {"credentialsToAdd": [{"objectType": "dataconnection",
                                "objectId": OBJECT_ID}]}),
        ("PUT", "/api/v2/credentials/{id}/associations/" + assoc + "/", "",
         instance(set_default)),
        ("GET", "/api/v2/credentials/associations/" + assoc + "/",
         queries.get(("GET", "/api/v2/credentials/associations/"
                             "{associationId}/"), ""), None),
        ("POST", "/api/v2/credentials", "", None),
    ] + [("POST", "/api/v2/credentials/", "", body) for body in creates]

    for i, (method, path, query, body) in enumerate(requests):
        text = "\n".join([method, path, query,
                          "" if body is None else json.dumps(body)])
        write(out / "fuzz_dispatcher", "request-%02d.txt" % i, text)
        line = {"method": method,
                "path": path.replace("{id}", CREDENTIAL_ID) +
                ("?" + query if query else ""),
                "user": "alice"}
        if body is not None:
            line["body"] = body
        write(out / "fuzz_batch", "line-%02d.json" % i, json.dumps(line))


if __name__ == "__main__":
    main()
