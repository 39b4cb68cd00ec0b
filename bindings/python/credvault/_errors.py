"""The exceptions a vault call raises, one class per kind of failure."""

import functools

from . import _credvault


class CredvaultError(Exception):
    """A vault call failed.

    Attributes:
        code: the stable name of what went wrong, such as ``"not_found"``
            or ``"invalid_input"``.
        message: what went wrong, for people. It never holds a secret.
        errors: for invalid input, a dict that maps where each problem is
            to the rule it broke; empty for every other failure. A key is
            a JSON pointer into a body (``"/password"``, ``""`` for the
            body itself), a path parameter (``"/credentialId"``,
            ``"/associationId"``) or the name of a keyword argument
            (``"limit"``, ``"types"``).
    """

    def __init__(self, code, message, errors=None):
        """Make an error with `code`, `message` and optional `errors`."""
        super().__init__(message)
        self.code = code
        self.message = message
        self.errors = dict(errors or {})

    def __str__(self):
        """Return the message, followed by each offending field."""
        if not self.errors:
            return self.message
        details = "; ".join(
            f"{pointer or '(body)'}: {rule}"
            for pointer, rule in self.errors.items())
        return f"{self.message} ({details})"

    def __reduce__(self):
        """Pickle with all three attributes, not only the message."""
        return (type(self), (self.code, self.message, self.errors))


class NotFound(CredvaultError, LookupError):
    """No such credential for this user, or no vault in the directory."""


class Conflict(CredvaultError):
    """A name already taken, a credential still in use, and the like."""


class InvalidInput(CredvaultError, ValueError):
    """A body or an argument broke a rule; `errors` says which."""


class WrongKey(CredvaultError):
    """The key does not unlock this vault; nothing changed."""


class Corrupt(CredvaultError):
    """Stored data failed authentication or decoding."""


class UnsupportedVersion(CredvaultError):
    """The vault was written by a newer credvault."""


class StorageError(CredvaultError):
    """The storage engine or the file system failed."""


_CLASSES = {
    "not_found": NotFound,
    "conflict": Conflict,
    "invalid_input": InvalidInput,
    "wrong_key": WrongKey,
    "corrupt": Corrupt,
    "unsupported_version": UnsupportedVersion,
    "storage": StorageError,
}


def from_native(native):
    """Return the public exception for the extension's `Error` `native`."""
    code, message, fields = native.args
    cls = _CLASSES.get(code, CredvaultError)
    return cls(code, message, dict(fields))


def translate_errors(function):
    """Wrap `function` so that the extension's errors leave it as ours."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except _credvault.Error as native:
            raise from_native(native) from None

    return wrapper
