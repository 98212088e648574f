from django.conf import settings


def test_suite_runs_with_debug_off():
    assert settings.DEBUG is False
