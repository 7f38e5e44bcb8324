"""POST data as a rendered form sends it: with its one-time form token (core.idempotency)."""

from core.idempotency import FIELD, new_token


def once(data=None, **more):
    """`data` (and `more`) with a fresh form token: one submit of a form that records money or sends messages."""
    return {**(data or {}), **more, FIELD: new_token()}
