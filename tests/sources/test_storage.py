"""Inputs by path or URL (scanner/sources/storage.py): options, globs, and what needs fsspec."""

from __future__ import annotations

import pytest

from scanner.errors import InputError, UsageError
from scanner.sources import read_listings
from scanner.sources.storage import Storage, is_url, local_path, parse_options


@pytest.mark.parametrize("pairs, kwargs, why", [
    (["endpoint_url=http://127.0.0.1:9000"], {"endpoint_url": "http://127.0.0.1:9000"}, "a string stays a string"),
    (["anon=true", "max_attempts=3"], {"anon": True, "max_attempts": 3}, "JSON values are values"),
    (["client_kwargs.region_name=eu-west-1"], {"client_kwargs": {"region_name": "eu-west-1"}}, "a dotted key nests"),
    (['config_kwargs={"retries": {"mode": "adaptive"}}'], {"config_kwargs": {"retries": {"mode": "adaptive"}}},
     "a JSON object"),
])
def test_storage_options(pairs, kwargs, why):
    storage = Storage(parse_options(pairs))
    assert storage.kwargs() == kwargs, why
    hash(storage)  # frozen and hashable: it travels with every task


def test_a_pair_without_equals_is_a_usage_error():
    with pytest.raises(UsageError, match="expected KEY=VALUE"):
        parse_options(["endpoint_url"])


@pytest.mark.parametrize("path, remote, why", [
    ("s3://bucket/a.csv", True, "object storage"),
    ("https://example.com/feed.csv", True, "read-only HTTP"),
    ("file:///tmp/a.csv", False, "file:// is a local path, opened without fsspec"),
    ("exports/a.csv", False, "a plain path"),
    ("C:export.csv", False, "no scheme"),
])
def test_what_is_remote(path, remote, why):
    assert is_url(path) is remote, why


def test_file_urls_and_local_globs_read_like_paths(tmp_path):
    for name in ("b.jsonl", "a.jsonl"):
        (tmp_path / name).write_text('{"id": "1", "title": "Rolex replica"}\n', encoding="utf-8")
    assert Storage().expand([str(tmp_path / "*.jsonl")]) == [str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")]
    url = f"file://{tmp_path / 'a.jsonl'}"
    assert local_path(url) == str(tmp_path / "a.jsonl")
    [listing] = read_listings(url)
    assert listing.source == f"{url}:1"
    with pytest.raises(InputError, match="no file matches"):
        Storage().expand([str(tmp_path / "*.csv")])
