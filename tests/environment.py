"""Test-run environment, loaded as a pytest plugin (-p) before Django is set up.

The suite runs with production-like settings: DEBUG off, a throwaway secret key.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("STATIC_MANIFEST", "0")
# The test client and the browser tests' live server speak plain HTTP.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
