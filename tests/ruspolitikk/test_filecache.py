"""The page cache's default store: Django's file-based cache, minus zlib, still a cache."""

import pytest

from ruspolitikk.filecache import FileBasedCache


@pytest.fixture
def cache(tmp_path):
    return FileBasedCache(str(tmp_path), {})


def test_what_is_set_is_got_back_uncompressed(cache, tmp_path):
    page = (200, [("Content-Type", "text/html")], "<p>sprøyterom</p>".encode() * 500)
    cache.set("page", page)
    assert cache.get("page") == page
    (stored,) = [p for p in tmp_path.iterdir() if p.suffix == ".djcache"]
    assert "<p>sprøyterom</p>".encode() in stored.read_bytes()  # not compressed


def test_missing_and_expired_entries_are_misses(cache):
    assert cache.get("nothing", "default") == "default"
    cache.set("short", "x", timeout=-1)
    assert cache.get("short") is None


def test_add_and_touch(cache):
    assert cache.add("once", "first")
    assert not cache.add("once", "second")
    assert cache.touch("once", timeout=100)
    assert cache.get("once") == "first"
    assert not cache.touch("absent")
