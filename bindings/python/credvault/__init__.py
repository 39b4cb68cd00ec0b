"""credvault: an embeddable, encrypted credential vault.

Open a vault, store credentials in it for a user and get them back::

    import credvault

    credvault.create_key_file("vault.key")
    with credvault.Vault.open("vault.d", key_file="vault.key",
                              create=True) as vault:
        meta = vault.create("alice", {"name": "warehouse",
                                      "credentialType": "basic",
                                      "user": "etl", "password": "hunter2"})
        credential = vault.reveal("alice", meta.credential_id)
        password = credential.fields["password"].reveal()

docs/python.md describes the whole API.
"""

from ._credvault import Secret, __version__
from ._errors import (
    Conflict,
    Corrupt,
    CredvaultError,
    InvalidInput,
    NotFound,
    StorageError,
    UnsupportedVersion,
    WrongKey,
)
from ._types import (
    Association,
    Credential,
    CredentialAssociation,
    Metadata,
    ObjectRef,
    Page,
    Response,
    SetOutcome,
)
from ._vault import Vault, create_key_file

__all__ = [
    "Association",
    "Conflict",
    "Corrupt",
    "Credential",
    "CredentialAssociation",
    "CredvaultError",
    "InvalidInput",
    "Metadata",
    "NotFound",
    "ObjectRef",
    "Page",
    "Response",
    "Secret",
    "SetOutcome",
    "StorageError",
    "UnsupportedVersion",
    "Vault",
    "WrongKey",
    "__version__",
    "create_key_file",
]
