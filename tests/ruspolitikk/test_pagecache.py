"""Public pages any cache can keep: no cookie, validators tied to the data's version, 304s, one
entry per question, and a publish in the admin that the very next request sees."""

import os

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from positions.models import Stance
from positions.services import EDITOR, create_editor_roles
from ruspolitikk import pagecache
from tests.site.test_walk import public_urls

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

HTMX = {"HTTP_HX_REQUEST": "true"}


def cache_control(response) -> dict[str, str]:
    parts = [part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()]
    return dict(part.partition("=")[::2] for part in parts)


# --- cookie-free and cacheable ------------------------------------------------------------------


def test_no_public_page_sets_a_cookie_or_varies_by_one(client):
    urls = public_urls() + [
        "/eksport.csv",
        "/eksport.xlsx",
        "/eksport.json",
        "/datapakke.json",
        "/sok/?q=lar",
        "/en/",
        "/en/om/",
    ]
    offenders = {}
    for url in urls:
        for headers in ({}, HTMX):
            response = client.get(url, **headers)
            vary = response.get("Vary", "")
            if response.cookies or "Cookie" in vary or "Accept-Language" in vary:
                offenders[url] = (list(response.cookies), vary)
    assert offenders == {}


def test_public_pages_are_public_with_validators(client, settings):
    response = client.get("/tema/lar/")
    control = cache_control(response)
    assert "public" in control
    assert int(control["max-age"]) == settings.PAGE_CACHE_MAX_AGE > 0
    assert int(control["stale-while-revalidate"]) > 0
    assert response["ETag"].startswith('W/"')
    assert response["Last-Modified"].endswith("GMT")


def test_the_admin_stays_private_and_unstored(client):
    control = cache_control(client.get("/admin/login/"))
    assert {"private", "no-store"} <= set(control)


def test_a_matching_etag_gets_304_without_a_body(client, django_assert_num_queries):
    first = client.get("/")
    with django_assert_num_queries(0):
        again = client.get("/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert client.get("/", HTTP_IF_NONE_MATCH='W/"something-else"').status_code == 200


def test_if_modified_since_gets_304(client):
    first = client.get("/om/")
    assert client.get("/om/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_a_cached_page_is_served_without_the_database(client, django_assert_num_queries):
    first = client.get("/", {"niva": "county"})
    with django_assert_num_queries(0):
        again = client.get("/", {"niva": "county"})
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_page_cache_off_renders_every_time_but_keeps_validators(client, settings):
    settings.PAGE_CACHE = False
    first = client.get("/tema/lar/")
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/tema/lar/")
    assert len(queries) > 0
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert client.get("/tema/lar/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_errors_are_not_cached_or_given_validators(client):
    response = client.get("/", {"standpunkt": "foo"})
    assert response.status_code == 400
    assert "ETag" not in response
    assert "public" not in response.get("Cache-Control", "")
    assert client.get("/parti/finnes-ikke/").status_code == 404


# --- one entry per question; fragments apart ----------------------------------------------------


def test_fragment_and_page_never_share_an_entry(client):
    page = client.get("/")
    fragment = client.get("/", **HTMX)
    page_again = client.get("/")
    assert page["ETag"] != fragment["ETag"]
    assert b"<html" in page.content and b"<html" not in fragment.content
    assert page_again.content == page.content
    assert b"<html" not in client.get("/", **HTMX).content
    assert "HX-Request" in page["Vary"]


def test_an_htmx_history_restore_gets_the_full_page(client):
    response = client.get("/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert b"<html" in response.content


def test_languages_never_share_an_entry(client):
    bokmal, english = client.get("/om/"), client.get("/en/om/")
    assert bokmal["ETag"] != english["ETag"]
    assert b'lang="nb"' in bokmal.content and b'<html lang="en"' in english.content


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("/?tema=lar&tema=har", "/?tema=har&tema=lar&tema=har"),
        ("/?parti=ap&parti=frp", "/?parti=FRP&parti=ap&parti="),
        ("/", "/?niva=national&standpunkt="),
        ("/?standpunkt=lar:for&standpunkt=har:against", "/?standpunkt=har:against&standpunkt=LAR:FOR"),
        ("/?standpunkt=lar:for", "/?standpunkt=lar:for&niva=youth&niva=county&niva=national&niva=municipal"),
        ("/tema/lar/?niva=county&niva=national", "/tema/lar/?niva=national&niva=county"),
        ("/sok/?q=behandling&tema=lar&tema=har", "/sok/?tema=har&q=+behandling+&tema=lar"),
        ("/om/", "/om/?utm_source=tv"),
    ],
)
def test_equal_questions_share_one_entry(client, one, other, django_assert_num_queries):
    first = client.get(one)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get(other)
    assert second["ETag"] == first["ETag"]
    assert second.content == first.content


def test_compare_keeps_the_order_asked_for(client):
    one = client.get("/sammenlign/", {"parti": ["ap", "frp"]})
    other = client.get("/sammenlign/", {"parti": ["frp", "ap"]})
    assert one["ETag"] != other["ETag"]


# --- invalidation -------------------------------------------------------------------------------


def test_any_write_to_public_data_is_a_new_version(client):
    etag = client.get("/").get("ETag")
    stance = Stance.objects.published().get(organisation__slug="frp", topic__slug="har")
    stance.summary += " "
    stance.save()
    assert client.get("/")["ETag"] != etag


def test_a_lost_version_only_costs_misses(client):
    first = client.get("/")
    pagecache.caches["versions"].clear()
    second = client.get("/")
    assert second["ETag"] != first["ETag"]
    assert second.content == first.content


@pytest.fixture
def editor_client(django_user_model):
    create_editor_roles()
    editor = django_user_model.objects.create_user("redaktor", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR))
    client = Client()
    client.force_login(editor)
    return client


def test_unpublishing_in_the_admin_changes_the_very_next_public_response(
    editor_client, django_capture_on_commit_callbacks
):
    public = Client()
    before = public.get("/parti/frp/tema/har/")
    assert before.status_code == 200 and "mot" in before.content.decode()
    stance = Stance.objects.published().get(organisation__slug="frp", topic__slug="har")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:positions_stance_changelist"),
            {"action": "unpublish_selected", ACTION_CHECKBOX_NAME: [stance.pk]},
        )
    assert response.status_code == 302
    after = public.get("/parti/frp/tema/har/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert "ikke uttalt" in after.content.decode()


def test_the_cache_is_the_one_cache_url_names():
    """The PostgreSQL leg of `make test` runs against Redis: prove it is really used there."""
    url = os.environ["CACHE_URL"]
    backend = type(pagecache.caches["default"]).__name__
    assert backend == ("FileBasedCache" if url.startswith("file://") else "RedisCache")
    pagecache.caches["default"].set("probe", b"x")
    assert pagecache.caches["default"].get("probe") == b"x"
