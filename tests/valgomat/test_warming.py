"""A publish reads the standings again in the request that published, after its response: the
next voter finds them in the shared cache and reads no stance."""

from contextlib import contextmanager

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group, User
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.urls import reverse

from parties.models import Organisation
from positions.services import EDITOR, create_editor_roles
from ruspolitikk.bench.render import valgomat_result_path
from tests.conftest import load_real_data
from tests.factories import make_stance, make_statement, make_topic
from valgomat.standings import cache_key

# Real commits: a publish's new version (and the warming it sets off) happens at commit.
pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def queries():
    """The SQL run inside the block (every statement, whatever the query log keeps)."""
    seen = []

    def record(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield seen


def stance_shown(results: list[dict], organisation: str, topic: str) -> dict:
    row = next(r for r in results if r["organisation"] == organisation)
    return next(q for q in row["questions"] if q["topic"] == topic)


def test_an_editor_s_publish_warms_the_standings_for_the_next_voter(client, settings):
    settings.PAGE_CACHE = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_real_data()
    rodt = Organisation.objects.get(slug="r")
    topic = make_topic(slug="nytt-tema")
    quote = make_statement(organisation=rodt, text="Vi vil noe nytt.", status="draft")
    draft = make_stance(organisation=rodt, topic=topic, value="for", evidence=[quote], status="draft")
    voter = Client()
    data = valgomat_result_path(all_levels=True).replace("/resultat/", "/resultat.json")
    with queries() as cold:
        before = voter.get(data).json()["results"]
    assert stance_shown(before, "r", topic.slug)["stance"] == "none"

    create_editor_roles()
    editor = User.objects.create_user("redaktor", password="korrekt-hest-batteri-42", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR))
    client.force_login(editor)
    response = client.post(
        reverse("admin:positions_stance_changelist"),
        {"action": "publish_selected", ACTION_CHECKBOX_NAME: [draft.pk]},
    )
    assert response.status_code == 302

    with queries() as warm:
        after = voter.get(data.replace("helt-enig", "delvis-enig")).json()["results"]
    assert len(warm) == len(cold) - 2  # neither the organisations nor their stances
    assert stance_shown(after, "r", topic.slug)["stance"] == "for"
    default = valgomat_result_path().replace("/resultat/", "/resultat.json")  # the national parties
    with queries() as national:
        assert stance_shown(voter.get(default).json()["results"], "r", topic.slug)["stance"] == "for"
    assert len(national) == len(warm)


def test_a_request_that_publishes_nothing_warms_nothing(client, settings):
    settings.PAGE_CACHE = False
    load_real_data()
    make_topic(slug="nytt-tema")  # a commit outside any request: left to the first voter
    client.get("/om/")
    assert caches["default"].get(cache_key(None)) is None
