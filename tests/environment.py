"""Test-run environment, loaded as a pytest plugin (-p) before Django is set up.

The suite runs with production-like settings: DEBUG off, a throwaway secret key.
"""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("STATIC_MANIFEST", "0")

# The page cache in a directory of this run's own, emptied before each test (tests/conftest.py).
# `make test` runs the PostgreSQL leg against a throwaway Redis instead (CACHE_URL=redis://…).
if "CACHE_URL" not in os.environ:
    _cache_dir = tempfile.mkdtemp(prefix="ruspolitikk-test-cache-")
    atexit.register(shutil.rmtree, _cache_dir, ignore_errors=True)
    os.environ["CACHE_URL"] = "file://" + _cache_dir
os.environ.setdefault("DATABASE_DEADLINE", "10")  # a loaded CI machine is slow, not down
# The test client and the browser tests' live server speak plain HTTP.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
