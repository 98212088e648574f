"""A malformed session cookie is no session: never a query with it, never a 500 (PostgreSQL
cannot take the NUL byte that ``sessionid="\\000aaaa"`` carries)."""

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from ruspolitikk.sessions import SessionStore

pytestmark = pytest.mark.django_db

MALFORMED = ["\x00aaaa", "\x00" + "a" * 31, "a" * 31 + "\x00", "A" * 32, "é" * 32, "a" * 41, "' OR 1=1--aaaa"]


@pytest.mark.parametrize("key", MALFORMED)
def test_a_malformed_key_is_no_session_and_costs_no_query(key, django_assert_num_queries):
    store = SessionStore(key)
    assert store.session_key is None
    with django_assert_num_queries(0):
        assert store.get("_auth_user_id") is None


@pytest.mark.parametrize("key", MALFORMED)
@pytest.mark.parametrize("url", ["/admin/login/", "/admin/", "/admin/positions/statement/", "/"])
def test_every_page_answers_a_malformed_session_cookie(key, url):
    client = Client(raise_request_exception=False)
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    response = client.get(url)
    assert response.status_code in (200, 302)  # the admin sends the anonymous visitor to its login


def test_the_quoted_octal_cookie_from_the_report_is_answered():
    # curl -H 'Cookie: sessionid="\000aaaa"' …/admin/login/ (and a longer key, past Django's own check)
    client = Client(raise_request_exception=False)
    for header in ['sessionid="\\000aaaa"', 'sessionid="\\000aaaaaaaaaaaa"']:
        assert client.get("/admin/login/", HTTP_COOKIE=header).status_code == 200


def test_a_real_session_still_logs_an_editor_in(client):
    editor = User.objects.create_user("redaktor", is_staff=True)
    client.force_login(editor)
    assert len(client.cookies[settings.SESSION_COOKIE_NAME].value) == 32
    assert client.get("/admin/").status_code == 200
