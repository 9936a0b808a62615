"""Typed readers for environment variables: a bad value stops start-up, naming the variable."""

import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no, on/off), got {raw!r}")


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"{name} must be a comma-separated list with at least one entry")
    return items


def env_url(name: str, default: str) -> str:
    """An http(s) address with no trailing slash (a site's base address)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    parts = urlsplit(raw.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ImproperlyConfigured(f"{name} must be an http(s):// address such as "
                                   f"https://seedtrace.example.org, got {raw!r}")
    return raw.strip().rstrip("/")


def database_from_url(name: str, default_sqlite: Path) -> dict:
    """DATABASE_URL → Django DATABASES entry: sqlite:///abs/path or postgres://user:pw@host:port/db."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        default_sqlite.parent.mkdir(parents=True, exist_ok=True)
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(default_sqlite)}
    url = urlsplit(raw)
    if url.scheme == "sqlite":
        path = unquote(url.path)
        if url.netloc or not path or path == "/":
            raise ImproperlyConfigured(f"{name}: a SQLite URL is sqlite:///abs/path.sqlite3, got {raw!r}")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path}
    if url.scheme in {"postgres", "postgresql", "pgsql"}:
        db = unquote(url.path.lstrip("/"))
        if not db:
            raise ImproperlyConfigured(f"{name}: the PostgreSQL URL names no database: {raw!r}")
        try:
            port = url.port
        except ValueError:
            raise ImproperlyConfigured(f"{name}: the port is not a number in {raw!r}") from None
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": db,
            "USER": unquote(url.username or ""),
            "PASSWORD": unquote(url.password or ""),
            "HOST": url.hostname or "",
            "PORT": str(port or ""),
            "OPTIONS": dict(parse_qsl(url.query)),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise ImproperlyConfigured(f"{name}: unsupported scheme {url.scheme!r} (use sqlite:// or postgres://)")


BROKER_SCHEMES = {"redis", "rediss", "amqp", "amqps", "pyamqp", "filesystem", "memory"}


def broker_url(name: str) -> str | None:
    """None means no broker: Celery runs tasks eagerly, in process."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    scheme = urlsplit(raw).scheme
    if scheme not in BROKER_SCHEMES:
        allowed = ", ".join(sorted(BROKER_SCHEMES))
        raise ImproperlyConfigured(f"{name}: unsupported broker scheme {scheme!r} (one of {allowed})")
    return raw


def secret_key(name: str, key_file: Path) -> str:
    """The variable's value, or a key generated once into `key_file` (readable by its owner alone), so that
    sessions survive restarts and a fresh machine needs no setup. Several web servers behind one address
    must share the key: set the variable on each."""
    raw = os.environ.get(name, "")
    if raw:
        if len(raw) < 32:
            raise ImproperlyConfigured(f"{name} must be at least 32 characters long")
        return raw
    if not key_file.exists():
        _create_key_file(key_file)
    return key_file.read_text().strip()


def _create_key_file(key_file: Path) -> None:
    """Written whole under a private name (mkstemp makes it 0600), then linked into place: a process starting
    at the same moment sees no file or the whole key, and the first link wins."""
    key_file.parent.mkdir(parents=True, exist_ok=True)
    descriptor, draft = tempfile.mkstemp(dir=key_file.parent, prefix=".secret_key.")
    try:
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_urlsafe(50))
        os.link(draft, key_file)
    except FileExistsError:
        pass
    finally:
        os.unlink(draft)
