"""Production settings: clean for `check --deploy`, and no start without a key or host names.

Each case runs ``manage.py`` in a subprocess with an environment built from nothing, so neither
the test run's own variables (tests/environment.py) nor the caller's shell can leak in.
"""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ruspolitikk.settings import parse_proxy_ssl_header

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "ruspolitikk.no,www.ruspolitikk.no",
    "DATABASE_URL": "sqlite:///:memory:",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {"PATH": os.environ["PATH"], **{k: v for k, v in env.items() if v is not None}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_is_clean_with_a_production_environment():
    completed = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert completed.returncode == 0, completed.stderr
    assert "System check identified no issues" in completed.stdout


def test_deploy_check_is_clean_behind_a_tls_proxy():
    completed = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
        CSRF_TRUSTED_ORIGINS="https://ruspolitikk.no,https://www.ruspolitikk.no",
    )

    assert completed.returncode == 0, completed.stderr


def test_deploy_check_warns_when_https_is_switched_off():
    """The clean check above is not vacuous: switching HTTPS off is reported."""
    completed = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
    )

    assert completed.returncode != 0
    for check_id in ("security.W008", "security.W012", "security.W016"):
        assert check_id in completed.stderr


def test_refuses_to_start_without_a_secret_key():
    completed = manage("check", **{**PRODUCTION, "SECRET_KEY": None})

    assert completed.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in completed.stderr


@pytest.mark.parametrize("hosts", [None, "", " , "])
def test_refuses_to_start_with_no_allowed_hosts(hosts):
    completed = manage("check", **{**PRODUCTION, "ALLOWED_HOSTS": hosts})

    assert completed.returncode != 0
    assert "ImproperlyConfigured: ALLOWED_HOSTS is empty" in completed.stderr


def test_debug_keeps_the_local_defaults():
    completed = manage("check", DEBUG="1", DATABASE_URL="sqlite:///:memory:")

    assert completed.returncode == 0, completed.stderr


def test_a_hsts_duration_that_is_not_a_number_is_refused_by_name():
    completed = manage("check", **PRODUCTION, SECURE_HSTS_SECONDS="ett år")

    assert completed.returncode != 0
    assert "SECURE_HSTS_SECONDS must be a whole number, not 'ett år'" in completed.stderr


def test_proxy_ssl_header_is_a_django_header_name_and_a_value():
    assert parse_proxy_ssl_header("HTTP_X_FORWARDED_PROTO,https") == ("HTTP_X_FORWARDED_PROTO", "https")
    assert parse_proxy_ssl_header(" HTTP_X_FORWARDED_PROTO , https ") == ("HTTP_X_FORWARDED_PROTO", "https")
    assert parse_proxy_ssl_header("") is None


@pytest.mark.parametrize(
    "value", ["X-Forwarded-Proto,https", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_PROTO,"]
)
def test_a_malformed_proxy_ssl_header_is_refused(value):
    with pytest.raises(ImproperlyConfigured, match="HTTP_X_FORWARDED_PROTO,https"):
        parse_proxy_ssl_header(value)
