"""Domain errors: a stable machine code plus a Vietnamese message for the user.

Every refusal the sandbox shows a person goes through one of these, so the web layer can
turn it into a 4xx with a clear Vietnamese message and never a stack trace.
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused something. ``code`` is stable (for API clients), ``message`` is Vietnamese."""

    code: str = "domain_error"
    http_status: int = 422

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.field = field

    def __str__(self) -> str:
        return self.message


class InvalidInput(DomainError):
    """The input is malformed or out of range (HTTP 400/422)."""

    code = "invalid_input"
    http_status = 422


class BadRequest(DomainError):
    """The request itself is unreadable (malformed JSON, wrong content type) (HTTP 400)."""

    code = "bad_request"
    http_status = 400


class NotFound(DomainError):
    """The thing asked for does not exist in this workspace (HTTP 404)."""

    code = "not_found"
    http_status = 404


class Forbidden(DomainError):
    """The actor's role may not do this (HTTP 403)."""

    code = "forbidden"
    http_status = 403


class TransitionRefused(DomainError):
    """A lifecycle guard refused the action; the message says why (HTTP 409)."""

    code = "transition_refused"
    http_status = 409


class Conflict(DomainError):
    """Someone else changed the record first (stale version) (HTTP 409)."""

    code = "conflict"
    http_status = 409
