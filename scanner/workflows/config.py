"""Configuration files: discovery, strict validation, and where every value came from.

Looked for from the working directory upward; in each directory the first of these that has
a listguard section wins, and the search stops there:

    .listguard.cfg   [listguard]
    setup.cfg        [listguard]
    tox.ini          [listguard]
    pyproject.toml   [tool.listguard]

Keys are spelled exactly like the long CLI flags. Precedence: command line, then environment
(``LISTGUARD_DB`` for ``db``), then the config file, then the built-in default. An unknown key
or a bad value is a ``ConfigError`` (exit 2) whose message names the file, the key and what
is allowed. Relative paths in a file are relative to that file's directory.
"""

from __future__ import annotations

import configparser
import difflib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from scanner.errors import ConfigError

CANDIDATES = (
    (".listguard.cfg", "listguard"),
    ("setup.cfg", "listguard"),
    ("tox.ini", "listguard"),
    ("pyproject.toml", "tool.listguard"),
)
SEVERITY_CHOICES = ("error", "warning", "info", "never")
DEFAULT = "default"
COMMAND_LINE = "command line"


@dataclass(frozen=True)
class Key:
    name: str
    kind: str  # "paths" | "path" | "strings" | "codes" | "choice" | "int" | "text"
    default: Any
    help: str
    choices: Callable[[], tuple[str, ...]] | None = None


def _format_choices() -> tuple[str, ...]:
    from scanner.formatters import FORMATTERS

    return tuple(FORMATTERS)


def _rule_codes() -> tuple[str, ...]:
    from scanner.core.rules.catalog import rule_catalog

    return tuple(r.code for r in rule_catalog())


KEYS: dict[str, Key] = {k.name: k for k in (
    Key("marks", "paths", (), "extra trademark list files (CSV/TSV/JSON/JSONL)"),
    Key("own-brand", "strings", (), "the seller's own or authorized brands"),
    Key("fail-on", "choice", "error", "lowest severity that fails the run",
        lambda: SEVERITY_CHOICES),
    Key("select", "codes", (), "only these rule codes or prefixes (default: all)", _rule_codes),
    Key("ignore", "codes", (), "skip these rule codes or prefixes", _rule_codes),
    Key("format", "choice", "text", "output format", _format_choices),
    Key("db", "path", None, "SQLite file for the registry and the scan history"),
    Key("jobs", "int", os.cpu_count() or 1, "worker processes (default: all cores)"),
    Key("ignore-file", "path", ".listguard-ignore", "suppression file"),
    Key("dask", "text", None, "Dask scheduler address (tcp://host:8786) or local[:N]: scan on a cluster"),
    Key("storage-option", "strings", (), "KEY=VALUE options for object-storage URLs (fsspec), one per line"),
)}
ENVIRONMENT = {"db": "LISTGUARD_DB"}


@dataclass(frozen=True)
class Setting:
    value: Any
    origin: str  # "default", "command line", "environment LISTGUARD_DB", "path [section]"


@dataclass
class FileConfig:
    path: Path | None = None
    section: str = ""
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return f"{self.path} [{self.section}]" if self.path else DEFAULT


def find_config(start: str | os.PathLike[str] | None = None) -> tuple[Path, str, Mapping[str, Any]] | None:
    """The nearest (path, section, raw values) from ``start`` (default: cwd) upward."""
    here = Path(start or os.getcwd()).resolve()
    for directory in (here, *here.parents):
        for name, section in CANDIDATES:
            path = directory / name
            if path.is_file():
                raw = _read_section(path, section)
                if raw is not None:
                    return path, section, raw
    return None


def _read_section(path: Path, section: str) -> Mapping[str, Any] | None:
    try:
        if path.suffix == ".toml":
            with path.open("rb") as handle:
                data: Any = tomllib.load(handle)
            for part in section.split("."):
                data = data.get(part) if isinstance(data, dict) else None
            if data is not None and not isinstance(data, dict):
                raise ConfigError(f"invalid config: {path}: [{section}] must be a table")
            return data
        parser = configparser.ConfigParser(interpolation=None, delimiters=("=", ":"))
        # keep keys' case: configparser documents replacing optionxform; typeshed types it a method
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        parser.read(path, encoding="utf-8")
        return dict(parser[section]) if parser.has_section(section) else None
    except (tomllib.TOMLDecodeError, configparser.Error, UnicodeDecodeError) as err:
        raise ConfigError(f"invalid config: {path}: cannot parse: {err}") from None


def _as_list(raw: Any, fail: Callable[[str], ConfigError]) -> list[str]:
    if isinstance(raw, str):
        items = raw.replace("\n", ",").split(",")
    elif isinstance(raw, list) and all(isinstance(i, str) for i in raw):
        items = raw
    else:
        raise fail("a list of strings (or a comma-separated string)")
    return [item.strip() for item in items if item.strip()]


def validate(name: str, raw: Any, where: str, base: Path | None = None) -> Any:
    """Check and convert one value; ``where`` names the file (or "command line") in errors."""
    if name not in KEYS:
        near = difflib.get_close_matches(name.replace("_", "-"), KEYS, n=1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        raise ConfigError(f"invalid config: {where}: unknown key {name!r}{hint} "
                          f"(allowed keys: {', '.join(KEYS)})")
    key = KEYS[name]

    def fail(allowed: str) -> ConfigError:
        return ConfigError(f"invalid config: {where}: {name} = {raw!r}: expected {allowed}")

    if key.kind == "int":
        try:
            value = int(raw) if not isinstance(raw, bool) else None
        except (TypeError, ValueError):
            value = None
        if value is None or value < 1:
            raise fail("a whole number of at least 1")
        return value
    if key.kind == "text":
        if not isinstance(raw, str) or not raw.strip():
            raise fail("a non-empty string")
        return raw.strip()
    if key.kind == "choice":
        allowed = key.choices() if key.choices else ()
        text = raw.strip().lower() if isinstance(raw, str) else raw
        if text not in allowed:
            raise fail(f"one of {', '.join(allowed)}")
        return text
    if key.kind == "path":
        if not isinstance(raw, str) or not raw.strip():
            raise fail("a file path")
        return _resolve(raw.strip(), base)
    items = _as_list(raw, fail)
    if key.kind == "paths":
        return tuple(_resolve(item, base) for item in items)
    if key.kind == "codes":
        codes = key.choices() if key.choices else ()
        for item in items:
            if not any(code.startswith(item.upper()) for code in codes):
                raise ConfigError(f"invalid config: {where}: {name}: unknown rule code {item!r}; "
                                  f"use codes or prefixes of {', '.join(codes)}")
        return tuple(item.upper() for item in items)
    return tuple(items)


def _resolve(text: str, base: Path | None) -> str:
    path = Path(text).expanduser()
    return str(path if path.is_absolute() or base is None else base / path)


def load_config(start: str | os.PathLike[str] | None = None,
                path: str | os.PathLike[str] | None = None) -> FileConfig:
    """Find (or read ``path``) and validate the config file; empty FileConfig if none."""
    if path is not None:
        target = Path(path)
        if not target.is_file():
            raise ConfigError(f"invalid config: {target}: no such file")
        section = "tool.listguard" if target.suffix == ".toml" else "listguard"
        raw = _read_section(target, section)
        if raw is None:
            raise ConfigError(f"invalid config: {target}: no [{section}] section")
        found: tuple[Path, str, Mapping[str, Any]] | None = (target.resolve(), section, raw)
    else:
        found = find_config(start)
    if found is None:
        return FileConfig()
    target, section, raw = found
    where = f"{target} [{section}]"
    values = {name: validate(name, value, where, target.parent) for name, value in raw.items()}
    return FileConfig(target, section, values)


def effective(file_config: FileConfig, cli: Mapping[str, Any] | None = None,
              environ: Mapping[str, str] | None = None) -> dict[str, Setting]:
    """Every key's value and origin: command line > environment > file > default.
    ``cli`` holds only the options the user actually gave (None values are ignored)."""
    environ = os.environ if environ is None else environ
    cli = cli or {}
    settings = {}
    for name, key in KEYS.items():
        if cli.get(name) not in (None, ()):
            settings[name] = Setting(cli[name], COMMAND_LINE)
        elif name in ENVIRONMENT and environ.get(ENVIRONMENT[name]):
            variable = ENVIRONMENT[name]
            settings[name] = Setting(environ[variable], f"environment {variable}")
        elif name in file_config.values:
            settings[name] = Setting(file_config.values[name], file_config.origin)
        else:
            settings[name] = Setting(key.default, DEFAULT)
    return settings


DEFAULT_DB_ORIGIN = "default file, read-only; history not recorded"


def with_default_db(settings: dict[str, Setting]) -> dict[str, Setting]:
    """``settings`` with ``db`` showing the default file when no database is named and it
    exists: the database commands that read the registry use (docs/registry.md)."""
    if settings["db"].value is None:
        default = existing_default_db()
        if default:
            settings = {**settings, "db": Setting(default, DEFAULT_DB_ORIGIN)}
    return settings


def render(settings: Mapping[str, Setting], file_config: FileConfig) -> str:
    """The text of ``listguard config``: one ``key = value  # origin`` line per key."""
    lines = [f"# config file: {file_config.origin if file_config.path else 'none found'}"]
    width = max(len(name) for name in settings)
    for name, setting in settings.items():
        value = setting.value
        shown = ", ".join(value) if isinstance(value, tuple) else ("" if value is None else str(value))
        lines.append(f"{name:<{width}} = {shown:<24} # {setting.origin}")
    return "\n".join(lines) + "\n"


def named_db(db: str | None) -> str | None:
    """The database the user named: ``--db`` (or ``LISTGUARD_DB``, which the command line
    fills in), else the config file's ``db``; None when none is named. A bad config file is
    an error here as everywhere (ConfigError, exit 2), never a silent fallback."""
    if db:
        return db
    configured = load_config().values.get("db")
    return str(configured) if configured else None


def resolve_db(db: str | None) -> str:
    """The database a command that changes the registry writes: the named one, else the
    default file (created if needed). See docs/registry.md, "Which database a command uses"."""
    from trademarks.store import default_db_path

    return named_db(db) or str(default_db_path())


def existing_default_db() -> str | None:
    """The default database file if it exists (commands that read fall back to it, read-only)."""
    from trademarks.store import default_db_path

    path = default_db_path()
    return str(path) if path.is_file() else None


def reading_db(db: str | None) -> str | None:
    """The database a command that only reads the registry uses: the named one, else the
    default file if it exists (opened read-only, never created, never written), else None."""
    return named_db(db) or existing_default_db()

