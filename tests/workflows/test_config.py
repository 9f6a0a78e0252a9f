"""Config files: discovery upward, all four file kinds, strict errors, provenance."""

from __future__ import annotations

import pytest

from scanner.errors import ConfigError
from scanner.workflows.config import COMMAND_LINE, effective, load_config, render


@pytest.fixture
def project(tmp_path):
    (tmp_path / "listings" / "2025").mkdir(parents=True)
    (tmp_path / "marks.csv").write_text("mark,owner\nNike,Nike\n", encoding="utf-8")
    return tmp_path


def test_setup_cfg_found_from_a_subdirectory(project):
    (project / "setup.cfg").write_text(
        "[metadata]\nname = x\n\n[listguard]\nmarks = marks.csv\nown-brand =\n    Acme\n    Acme Pro\n"
        "fail-on = Warning\nselect = TM1, DS201\nformat = sarif\njobs = 4\ndb = data/lg.db\n",
        encoding="utf-8",
    )
    config = load_config(project / "listings" / "2025")
    assert config.path == project / "setup.cfg"
    assert config.values == {
        "marks": (str(project / "marks.csv"),), "own-brand": ("Acme", "Acme Pro"), "fail-on": "warning",
        "select": ("TM1", "DS201"), "format": "sarif", "jobs": 4, "db": str(project / "data" / "lg.db"),
    }


@pytest.mark.parametrize(
    "name, text",
    [
        (".listguard.cfg", "[listguard]\nformat = github\n"),
        ("tox.ini", "[tox]\nenvlist = py311\n[listguard]\nformat = github\n"),
        ("pyproject.toml", "[project]\nname = 'x'\n[tool.listguard]\nformat = 'github'\nown-brand = ['Acme']\n"),
    ],
)
def test_each_file_kind(project, name, text):
    (project / name).write_text(text, encoding="utf-8")
    config = load_config(project / "listings")
    assert config.path == project / name and config.values["format"] == "github"


def test_nearest_directory_wins_and_files_without_a_section_are_skipped(project):
    (project / ".listguard.cfg").write_text("[listguard]\nformat = csv\n", encoding="utf-8")
    (project / "listings" / "setup.cfg").write_text("[metadata]\nname = y\n", encoding="utf-8")
    (project / "listings" / "pyproject.toml").write_text("[tool.listguard]\nformat = 'html'\n", encoding="utf-8")
    assert load_config(project / "listings" / "2025").values == {"format": "html"}
    (project / "listings" / "pyproject.toml").unlink()
    assert load_config(project / "listings" / "2025").values == {"format": "csv"}


@pytest.mark.parametrize(
    "body, message",
    [
        ("fail_on = error", "unknown key 'fail_on'; did you mean 'fail-on'? (allowed keys: marks, own-brand,"),
        ("colour = yes", "unknown key 'colour' (allowed keys:"),
        ("fail-on = fatal", "fail-on = 'fatal': expected one of error, warning, info, never"),
        ("format = xml", "format = 'xml': expected one of text, json, jsonl, sarif, github, csv, html"),
        ("jobs = many", "jobs = 'many': expected a whole number of at least 1"),
        ("jobs = 0", "expected a whole number of at least 1"),
        ("select = TM999", "select: unknown rule code 'TM999'; use codes or prefixes of DS201, TM100,"),
    ],
)
def test_errors_name_file_key_and_allowed_values(project, body, message):
    (project / "tox.ini").write_text(f"[listguard]\n{body}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(project)
    assert str(err.value).startswith(f"invalid config: {project / 'tox.ini'} [listguard]: ")
    assert message in str(err.value)


def test_toml_type_errors(project):
    (project / "pyproject.toml").write_text("[tool.listguard]\njobs = true\nselect = [1]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"jobs = True: expected a whole number"):
        load_config(project)
    (project / "pyproject.toml").write_text("[tool.listguard\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot parse"):
        load_config(project)


def test_precedence_and_provenance(project):
    (project / ".listguard.cfg").write_text("[listguard]\nformat = csv\ndb = a.db\njobs = 2\n", encoding="utf-8")
    config = load_config(project)
    settings = effective(config, cli={"jobs": 8, "format": None}, environ={"LISTGUARD_DB": "/env/lg.db"})
    origin = f"{project / '.listguard.cfg'} [listguard]"
    assert (settings["jobs"].value, settings["jobs"].origin) == (8, COMMAND_LINE)
    assert (settings["db"].value, settings["db"].origin) == ("/env/lg.db", "environment LISTGUARD_DB")
    assert (settings["format"].value, settings["format"].origin) == ("csv", origin)
    assert (settings["fail-on"].value, settings["fail-on"].origin) == ("error", "default")
    text = render(settings, config)
    assert text.splitlines()[0] == f"# config file: {origin}"
    assert f"format         = csv                      # {origin}" in text.splitlines()


def test_explicit_path(project):
    with pytest.raises(ConfigError, match="no such file"):
        load_config(path=project / "missing.cfg")
    (project / "other.cfg").write_text("[x]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"no \[listguard\] section"):
        load_config(path=project / "other.cfg")
