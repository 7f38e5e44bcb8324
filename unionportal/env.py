"""Strict parsing of settings from the environment.

A value that is present but malformed stops start-up with a message naming the variable; silently
falling back to a default would hide a misconfigured deployment.
"""

import os
from urllib.parse import parse_qsl, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name, default=None, *, required=False):
    value = os.environ.get(name)
    if value is None:
        if required:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return default
    return value


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false, yes/no, on/off).")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from exc


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def parse_database_url(url, *, conn_max_age=0):
    """Turn postgres://user:pass@host:port/name?opt=v into a DATABASES entry (PostgreSQL only).

    ``conn_max_age`` is how long (seconds) a process keeps its connection between requests; the URL's own
    ``?conn_max_age=`` wins. A kept connection is checked before reuse (``CONN_HEALTH_CHECKS``), so a restarted
    server or pooler costs one reconnect, not an error. Behind pgbouncer in transaction mode add
    ``?pooler=transaction``: server-side cursors are then turned off, as pgbouncer requires.
    """
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with postgres:// or postgresql://, not {parsed.scheme!r}."
        )
    name = unquote(parsed.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured("DATABASE_URL names no database.")
    options = dict(parse_qsl(parsed.query))
    pooler = options.pop("pooler", "")
    if pooler not in {"", "session", "transaction"}:
        raise ImproperlyConfigured(f"DATABASE_URL ?pooler={pooler!r}; expected session or transaction.")
    try:
        max_age = int(options.pop("conn_max_age", conn_max_age))
    except ValueError:
        raise ImproperlyConfigured("DATABASE_URL ?conn_max_age= must be a whole number of seconds.") from None
    config = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": unquote(parsed.hostname or ""),
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": max_age,
        "CONN_HEALTH_CHECKS": max_age != 0,
        "DISABLE_SERVER_SIDE_CURSORS": pooler == "transaction",
        "OPTIONS": options,
    }
    return config
