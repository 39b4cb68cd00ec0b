"""The values vault calls return: plain, immutable records."""

import dataclasses
import typing

from ._credvault import Secret

T = typing.TypeVar("T")


@dataclasses.dataclass(frozen=True)
class Metadata:
    """What lists and lookups return about a credential: no secrets.

    Attributes:
        credential_id: 24 lowercase hexadecimal characters.
        name: unique among the user's credentials.
        description: a str, or None when there is none.
        credential_type: the type's wire name, such as ``"basic"``.
        creation_date: ISO 8601 in UTC with microseconds, such as
            ``"2026-12-03T15:45:08.123456Z"``.
    """

    credential_id: str
    name: str
    description: typing.Optional[str]
    credential_type: str
    creation_date: str


@dataclasses.dataclass(frozen=True)
class Credential:
    """A credential with its secrets, from reveal() or resolve_default().

    Attributes:
        metadata: the credential's Metadata.
        type: the type's wire name, such as ``"basic"``.
        fields: the type's fields as a create body names them
            (``"user"``, ``"clientSecret"``, ``"gcpKey"``), absent optional
            fields left out. A secret field's value is a Secret, so that
            printing the credential, or the dict, shows a mask; call its
            reveal() to get the text.
    """

    metadata: Metadata
    type: str
    fields: dict


class ObjectRef(typing.NamedTuple):
    """An object that credentials serve.

    Attributes:
        object_type: ``"dataconnection"`` or
            ``"batch_prediction_job_definition"``.
        object_id: the object's id, 1 to 255 bytes, no control characters.
    """

    object_type: str
    object_id: str

    @property
    def association_id(self):
        """Return the object's association id, ``"type:id"``."""
        return f"{self.object_type}:{self.object_id}"


@dataclasses.dataclass(frozen=True)
class Association:
    """One object a credential serves, as list_objects() returns it.

    Attributes:
        object: the ObjectRef.
        is_default: whether the credential is the user's default for it.
        created: when the association was made, as creation dates are.
    """

    object: ObjectRef
    is_default: bool
    created: str


@dataclasses.dataclass(frozen=True)
class CredentialAssociation:
    """One credential that serves an object.

    Attributes:
        metadata: the credential's Metadata.
        object: the ObjectRef it serves.
        is_default: whether it is the user's default for the object.
    """

    metadata: Metadata
    object: ObjectRef
    is_default: bool


@dataclasses.dataclass(frozen=True)
class SetOutcome:
    """What set_association() did.

    Attributes:
        association: the CredentialAssociation as it now is.
        created: True for a new association, False for a changed one.
    """

    association: CredentialAssociation
    created: bool


@dataclasses.dataclass(frozen=True)
class Page(typing.Generic[T]):
    """One page of a list.

    Attributes:
        items: the page's items, a list.
        total_count: how many items match across all pages.
    """

    items: typing.List[T]
    total_count: int


@dataclasses.dataclass(frozen=True)
class Response:
    """The REST dispatcher's answer to one request.

    Attributes:
        status: the HTTP status, such as 200 or 404.
        body: the JSON body parsed into dicts, lists and scalars; None for
            a 204. It never holds a secret.
        allow: for a 405, the methods the path takes, as the HTTP Allow
            header spells them (``"GET, POST"``); ``""`` otherwise.
    """

    status: int
    body: typing.Any
    allow: str = ""


__all__ = [
    "Association",
    "Credential",
    "CredentialAssociation",
    "Metadata",
    "ObjectRef",
    "Page",
    "Response",
    "Secret",
    "SetOutcome",
]
