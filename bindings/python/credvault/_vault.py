"""The vault: every user's credentials, encrypted, in one directory."""

import json
import os

from . import _credvault
from ._errors import InvalidInput, translate_errors
from ._types import (
    Association,
    Credential,
    CredentialAssociation,
    Metadata,
    ObjectRef,
    Page,
    Response,
    Secret,
    SetOutcome,
)


def _text(name, value):
    """Return `value`, which must be a str."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    return value


def _count(name, value, minimum):
    """Return `value`, which must be an int of at least `minimum`."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value < minimum:
        raise InvalidInput("invalid_input", "1 argument is invalid",
                           {name: f"must be at least {minimum}"})
    return value


def _names(name, values):
    """Return `values` (None, one str or an iterable of str) as a list."""
    if values is None:
        return []
    if isinstance(values, str):
        return [values]
    return [_text(name, value) for value in values]


def _association_id(value):
    """Return the association id that `value` (str or ObjectRef) names."""
    if isinstance(value, ObjectRef):
        return value.association_id
    return _text("association_id", value)


def _object_pair(value):
    """Return (object_type, object_id) for an ObjectRef, pair or id."""
    if isinstance(value, str):
        object_type, _, object_id = value.partition(":")
        return (object_type, object_id)
    try:
        object_type, object_id = value
    except (TypeError, ValueError):
        raise TypeError("an object must be an ObjectRef, an (object_type, "
                        "object_id) pair or an association id") from None
    return (_text("object_type", object_type), _text("object_id", object_id))


def _key_source(key_file, passphrase, key):
    """Return the extension's KeySource for the one key given."""
    given = [name for name, value in (("key_file", key_file),
                                      ("passphrase", passphrase),
                                      ("key", key)) if value is not None]
    if len(given) != 1:
        raise TypeError("give exactly one of key_file, passphrase and key; "
                        f"got {', '.join(given) or 'none'}")
    if key_file is not None:
        return _credvault.KeySource.key_file(os.fspath(key_file))
    if passphrase is not None:
        if isinstance(passphrase, str):
            passphrase = Secret(passphrase)
        elif not isinstance(passphrase, Secret):
            raise TypeError("passphrase must be a str or a Secret, not "
                            f"{type(passphrase).__name__}")
        return _credvault.KeySource.passphrase(passphrase)
    if not isinstance(key, (bytes, bytearray, memoryview)):
        raise TypeError(f"key must be bytes, not {type(key).__name__}")
    return _credvault.KeySource.raw_key(bytes(key))


def _metadata(row):
    """Return the Metadata for the extension's metadata tuple `row`."""
    return Metadata(*row)


def _credential(row):
    """Return the Credential for the extension's credential tuple `row`."""
    metadata, credential_type, fields = row
    return Credential(_metadata(metadata), credential_type, fields)


def _credential_association(row):
    """Return the CredentialAssociation for the extension's tuple `row`."""
    metadata, object_type, object_id, is_default = row
    return CredentialAssociation(_metadata(metadata),
                                 ObjectRef(object_type, object_id),
                                 is_default)


@translate_errors
def create_key_file(path):
    """Create a key file at `path`: 32 fresh random bytes, mode 0600.

    Raises Conflict when the file exists, StorageError when it cannot be
    written.
    """
    _credvault.create_key_file(os.fspath(path))


class Vault:
    """An open vault, to share between threads.

    Open one with Vault.open(); close it with close() or a with block.
    Every call acts for one session user, a non-empty str the host has
    authenticated: another user's credentials do not exist for it
    (NotFound). Any number of threads may call a vault at once; the GIL is
    released while the vault works, so they run in parallel.

    Secrets come back only from reveal() and resolve_default(), as Secret
    objects that print as a mask.
    """

    def __init__(self, native):
        """Wrap the extension's vault `native`; use Vault.open() instead."""
        self._native = native

    @classmethod
    @translate_errors
    def open(cls, path, *, key_file=None, passphrase=None, key=None,
             create=False, scrypt_log2_n=15):
        """Open the vault in directory `path`, unlocked by one key.

        Give exactly one of `key_file` (the path of a file of 32 random
        bytes, mode 0600), `passphrase` (a str or Secret, stretched with
        scrypt) and `key` (32 bytes); anything else is a TypeError. With
        `create`, a new vault is made when there is none. `scrypt_log2_n`
        is scrypt's cost for a new passphrase vault (N = 2**scrypt_log2_n).

        Raises WrongKey when the key does not unlock the vault (nothing
        changes), NotFound when there is none and `create` is false,
        InvalidInput for a key of the wrong size or an unusable key file,
        Corrupt and UnsupportedVersion for a directory holding something
        else.
        """
        source = _key_source(key_file, passphrase, key)
        native = _credvault.Vault.open(os.fspath(path), source, bool(create),
                                       _count("scrypt_log2_n", scrypt_log2_n,
                                              1))
        return cls(native)

    def close(self):
        """Close the vault; later calls raise ValueError.

        Calls in progress in other threads finish first. Closing twice is
        not an error.
        """
        self._native.close()

    @property
    def closed(self):
        """Whether close() has been called."""
        return self._native.closed

    def __enter__(self):
        """Return the vault itself, to be closed when the block ends."""
        return self

    def __exit__(self, *exc_info):
        """Close the vault."""
        self.close()

    def __repr__(self):
        """Return a description that says whether the vault is open."""
        return f"<credvault.Vault {'closed' if self.closed else 'open'}>"

    @translate_errors
    def create(self, user, body):
        """Store a new credential for `user` and return its Metadata.

        `body` is the API's create body: a dict (whose values may be
        Secret objects) or its JSON text as str or bytes, such as
        ``{"name": "db", "credentialType": "basic", "user": "etl",
        "password": "..."}``.

        Raises InvalidInput naming each offending field, Conflict when the
        user already has a credential of that name.
        """
        return _metadata(self._native.create(_text("user", user), body))

    @translate_errors
    def create_many(self, user, bodies, progress=None, *, batch_size=10000):
        """Store many credentials for `user`; return their Metadata in order.

        A batch of `batch_size` credentials is written per transaction,
        much faster than one create() each. `progress`, when given, is
        called as progress(done, total) after each batch. An exception it
        raises is raised once the call returns, the credentials stored.

        Raises InvalidInput for a bad body, its pointers prefixed with the
        body's index (``"/3/password"``), and Conflict, before anything is
        written, when a name repeats or is taken.
        """
        rows = self._native.create_many(
            _text("user", user), list(bodies),
            _count("batch_size", batch_size, 1), progress)
        return [_metadata(row) for row in rows]

    @translate_errors
    def list(self, user, *, offset=0, limit=100, types=None,
             newest_first=True):
        """Return a Page of `user`'s credentials' Metadata.

        `types` keeps only the given credential types (a str or a list of
        them); credentials are ordered by creation date, newest first
        unless `newest_first` is false. Page.total_count counts the matches
        on all pages.

        Raises InvalidInput for an unknown type or a limit below 1.
        """
        items, total = self._native.list(
            _text("user", user), _count("offset", offset, 0),
            _count("limit", limit, 1), _names("types", types),
            bool(newest_first))
        return Page([_metadata(row) for row in items], total)

    def iter_credentials(self, user, *, types=None, page_size=100,
                         newest_first=True):
        """Return an iterator over all of `user`'s credentials' Metadata.

        It lists a page of `page_size` at a time, as list() does. A
        credential created or deleted while iterating may shift the pages:
        one may then be seen twice or not at all.
        """
        _text("user", user)
        types = _names("types", types)
        _count("page_size", page_size, 1)
        return self._iterate(user, types, page_size, newest_first)

    def _iterate(self, user, types, page_size, newest_first):
        """Yield the items of each page in turn, for iter_credentials()."""
        offset = 0
        while True:
            page = self.list(user, offset=offset, limit=page_size,
                             types=types, newest_first=newest_first)
            yield from page.items
            offset += len(page.items)
            if not page.items or offset >= page.total_count:
                return

    @translate_errors
    def get(self, user, credential_id):
        """Return one credential's Metadata; no secret is decrypted.

        Raises NotFound, and InvalidInput for a malformed id.
        """
        return _metadata(self._native.get(
            _text("user", user), _text("credential_id", credential_id)))

    @translate_errors
    def reveal(self, user, credential_id):
        """Return one Credential with its secrets, for the host's own use.

        Raises NotFound, and InvalidInput for a malformed id.
        """
        return _credential(self._native.reveal(
            _text("user", user), _text("credential_id", credential_id)))

    @translate_errors
    def update(self, user, credential_id, body):
        """Apply an update body (the API's PATCH) and return new Metadata.

        `body` is a dict or JSON text, as for create(); only the fields it
        holds change, following the API's rules (docs/model.md).

        Raises NotFound, InvalidInput for a body that does not fit the
        credential's type, Conflict for a name the user already uses.
        """
        return _metadata(self._native.update(
            _text("user", user), _text("credential_id", credential_id), body))

    @translate_errors
    def delete(self, user, credential_id):
        """Delete one credential.

        Raises NotFound, and Conflict while any association uses it.
        """
        self._native.remove(_text("user", user),
                            _text("credential_id", credential_id))

    @translate_errors
    def add_associations(self, user, credential_id, objects):
        """Associate a credential with each of `objects`, all or nothing.

        An object is an ObjectRef, an (object_type, object_id) pair or an
        association id such as ``"dataconnection:5f1e..."``.

        Raises NotFound for the credential, Conflict when any association
        exists already (nothing is added), InvalidInput for an empty list
        or a bad object.
        """
        self._native.add_associations(
            _text("user", user), _text("credential_id", credential_id),
            [_object_pair(item) for item in objects])

    @translate_errors
    def remove_associations(self, user, credential_id, object_ids):
        """Remove a credential's associations with `object_ids` (str).

        All or nothing; an object is matched by its id, whatever its type.
        A removed default stops being one.

        Raises NotFound for the credential, Conflict when any of them is
        not associated (nothing is removed), InvalidInput for an empty
        list.
        """
        self._native.remove_associations(
            _text("user", user), _text("credential_id", credential_id),
            _names("object_ids", object_ids))

    @translate_errors
    def set_association(self, user, credential_id, association_id,
                        is_default=False):
        """Create or update one association; return a SetOutcome.

        `association_id` is ``"type:id"`` or an ObjectRef. With
        `is_default`, the credential becomes the user's default for the
        object, and the previous default stops being one; without it, the
        association is not (or no longer) the default.

        Raises NotFound for the credential, InvalidInput for a bad
        association id.
        """
        row = self._native.set_association(
            _text("user", user), _text("credential_id", credential_id),
            _association_id(association_id), bool(is_default))
        *association, created = row
        return SetOutcome(_credential_association(association), created)

    @translate_errors
    def list_objects(self, user, credential_id, *, offset=0, limit=100,
                     types=None, newest_first=True):
        """Return a Page of the Associations of one credential's objects.

        `types` keeps only the given object types; objects are ordered by
        when they were associated, newest first unless `newest_first` is
        false.

        Raises NotFound for the credential.
        """
        items, total = self._native.list_objects(
            _text("user", user), _text("credential_id", credential_id),
            _count("offset", offset, 0), _count("limit", limit, 1),
            _names("types", types), bool(newest_first))
        return Page([Association(ObjectRef(object_type, object_id),
                                 is_default, created)
                     for object_type, object_id, is_default, created
                     in items], total)

    @translate_errors
    def list_credentials_for(self, user, association_id, *, offset=0,
                             limit=100, order="associated"):
        """Return a Page of CredentialAssociations serving one object.

        `order` is ``"associated"`` (the order the associations were
        made), ``"default_first"`` or ``"default_last"``. An object with
        no credentials gives an empty page, not an error.
        """
        items, total = self._native.list_credentials_for(
            _text("user", user), _association_id(association_id),
            _count("offset", offset, 0), _count("limit", limit, 1),
            _text("order", order))
        return Page([_credential_association(row) for row in items], total)

    @translate_errors
    def resolve_default(self, user, object_type, object_id):
        """Return the user's default Credential for an object, or None.

        The hot path: one read transaction, no JSON. `object_type` is
        ``"dataconnection"`` or ``"batch_prediction_job_definition"``.
        """
        row = self._native.resolve_default(
            _text("user", user), _text("object_type", object_type),
            _text("object_id", object_id))
        return None if row is None else _credential(row)

    @translate_errors
    def handle(self, method, path, body=None, *, user, base_url=""):
        """Answer one request of the Credentials API; return a Response.

        `path` is the path with its query, still percent-encoded, such as
        ``"/api/v2/credentials/?limit=5"``. `body` is None, JSON text (str
        or bytes) or data to send as JSON (a dict or a list). `base_url`
        goes before the path in paging links. Errors are answered with
        their status, as docs/api.md lists them, never raised.
        """
        if body is None:
            body = ""
        elif isinstance(body, (dict, list)):
            body = json.dumps(body)
        status, parsed, allow = self._native.handle(
            _text("method", method), _text("path", path), body,
            _text("user", user), _text("base_url", base_url))
        return Response(status, parsed, allow)
