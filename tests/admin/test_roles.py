"""Roles: a Redaktør edits and publishes; a Bidragsyter edits drafts and cannot publish;
anonymous visitors get the login page for every admin URL; users are for superusers only."""

import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse

from positions.models import Revision, Stance, Statement
from positions.revisions import publish_revision
from positions.services import CONTRIBUTOR, EDITOR, PublishPermissionDenied, publish_stances
from tests.admin.helpers import stance_form
from tests.factories import make_organisation, make_stance, make_statement, make_topic


@pytest.fixture
def draft_stance(db):
    organisation = make_organisation(slug="v", name="Venstre")
    statement = make_statement(organisation=organisation, text="Vi vil ha sprøyterom.", status="draft")
    return make_stance(
        organisation=organisation, topic=make_topic(slug="sproyterom"), evidence=[statement], status="draft"
    )


def act(client, model: str, action: str, objects):
    return client.post(
        reverse(f"admin:positions_{model}_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in objects]},
    )


def test_create_editor_roles_command_is_repeatable(db):
    out = io.StringIO()
    call_command("create_editor_roles", stdout=out)
    call_command("create_editor_roles", stdout=out)
    assert "Redaktør:" in out.getvalue()

    editor = set(Group.objects.get(name=EDITOR).permissions.values_list("codename", flat=True))
    contributor = set(Group.objects.get(name=CONTRIBUTOR).permissions.values_list("codename", flat=True))
    assert {"publish_stance", "publish_statement", "change_stance", "delete_source"} <= editor
    assert {"add_source", "change_statement", "change_stance", "view_party"} <= contributor
    assert not contributor & {"publish_stance", "publish_statement", "change_party", "delete_source"}
    assert not any("user" in codename or "group" in codename for codename in editor | contributor)


def test_editor_publishes_selected_stances_recording_who_and_when(editor_client, editor, draft_stance):
    response = act(editor_client, "stance", "publish_selected", [draft_stance])

    assert response.status_code == 302
    draft_stance.refresh_from_db()
    assert draft_stance.status == "published"
    assert draft_stance.published_by == editor
    assert draft_stance.published_at is not None
    # Its quotes are published with it, so the public cell can show them.
    evidence = draft_stance.evidence.get()
    assert (evidence.status, evidence.published_by) == ("published", editor)


def test_editor_publishes_selected_statements(editor_client, editor):
    statement = make_statement(status="draft")

    act(editor_client, "statement", "publish_selected", [statement])

    statement.refresh_from_db()
    assert (statement.status, statement.published_by) == ("published", editor)
    shown = [
        str(m) for m in editor_client.get(reverse("admin:positions_statement_changelist")).context["messages"]
    ]
    assert shown == ["1 uttalelse publisert."]


def test_editor_turns_published_stances_back_into_drafts(editor_client, draft_stance):
    act(editor_client, "stance", "publish_selected", [draft_stance])
    editor_client.get(reverse("admin:positions_stance_changelist"))  # consume the message

    act(editor_client, "stance", "unpublish_selected", [draft_stance])

    draft_stance.refresh_from_db()
    assert draft_stance.status == "draft"
    shown = [
        str(m) for m in editor_client.get(reverse("admin:positions_stance_changelist")).context["messages"]
    ]
    assert shown == ["1 standpunkt er nå utkast."]


def test_publishing_a_stance_that_breaks_the_evidence_rule_is_refused(editor_client, draft_stance):
    draft_stance.evidence.clear()

    response = act(editor_client, "stance", "publish_selected", [draft_stance])

    assert response.status_code == 302
    draft_stance.refresh_from_db()
    assert draft_stance.status == "draft"


def test_unpublishing_a_statement_cited_by_a_published_stance_is_refused(editor_client, draft_stance):
    act(editor_client, "stance", "publish_selected", [draft_stance])
    statement = draft_stance.evidence.get()

    response = act(editor_client, "statement", "unpublish_selected", [statement])

    statement.refresh_from_db()
    assert statement.status == "published"
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("Avpubliser dem først" in m for m in messages)


def test_contributor_does_not_see_the_publish_actions(contributor_client, draft_stance):
    for model in ["stance", "statement"]:
        response = contributor_client.get(reverse(f"admin:positions_{model}_changelist"))
        assert response.status_code == 200
        assert "publish_selected" not in response.text


def test_server_refuses_a_contributor_posting_the_publish_action(contributor_client, draft_stance):
    act(contributor_client, "stance", "publish_selected", [draft_stance])
    act(contributor_client, "statement", "publish_selected", draft_stance.evidence.all())

    assert not Stance.objects.published().exists()
    assert not Statement.objects.published().exists()


def test_publish_service_refuses_a_contributor(contributor, draft_stance):
    with pytest.raises(PublishPermissionDenied):
        publish_stances(stances=[draft_stance], user=contributor)


def test_contributor_edits_a_draft_but_status_stays_draft(contributor_client, draft_stance):
    url = reverse("admin:positions_stance_change", args=[draft_stance.pk])

    response = contributor_client.post(
        url, stance_form(draft_stance, summary="Ny tekst.", status="published")
    )

    assert response.status_code == 302
    draft_stance.refresh_from_db()
    assert (draft_stance.summary, draft_stance.status) == ("Ny tekst.", "draft")


def test_contributor_proposes_a_change_to_a_published_stance_but_cannot_publish_or_delete_it(
    contributor_client, editor, draft_stance
):
    publish_stances(stances=[draft_stance], user=editor)
    change = reverse("admin:positions_stance_change", args=[draft_stance.pk])
    delete = reverse("admin:positions_stance_delete", args=[draft_stance.pk])

    post = contributor_client.post(change, stance_form(draft_stance, summary="Endret i smug."))
    deleted = contributor_client.post(delete, {"post": "yes"})

    revision = Revision.objects.get()
    assert post.status_code == 302 and post.url == reverse(
        "admin:positions_revision_change", args=[revision.pk]
    )
    assert (revision.state, revision.proposed_by.username) == ("pending", "bidragsyter")
    assert deleted.status_code == 403
    draft_stance.refresh_from_db()
    assert draft_stance.summary != "Endret i smug."

    review = contributor_client.get(post.url)
    assert review.status_code == 200 and 'name="_publish"' not in review.text
    refused = contributor_client.post(post.url, {"_publish": "1"})
    assert refused.status_code == 403
    with pytest.raises(PublishPermissionDenied):
        publish_revision(revision=revision, user=User.objects.get(username="bidragsyter"))
    revision.refresh_from_db()
    draft_stance.refresh_from_db()
    assert revision.state == "pending" and draft_stance.summary != "Endret i smug."


def test_contributor_reverting_a_published_stance_from_history_only_proposes(
    contributor_client, editor, draft_stance
):
    publish_stances(stances=[draft_stance], user=editor)
    first = draft_stance.history.earliest()
    url = reverse("admin:positions_stance_simple_history", args=[draft_stance.pk, first.history_id])

    response = contributor_client.post(url, stance_form(draft_stance, summary="Gammel tekst."))

    assert response.status_code == 302
    draft_stance.refresh_from_db()
    assert draft_stance.summary != "Gammel tekst."
    assert Revision.objects.get().data["summary"] == "Gammel tekst."


def test_users_and_groups_are_for_superusers_only(client, editor, contributor, superuser):
    for user, expected in [(editor, 403), (contributor, 403), (superuser, 200)]:
        client.force_login(user)
        for name in ["admin:auth_user_changelist", "admin:auth_group_changelist", "admin:auth_user_add"]:
            assert client.get(reverse(name)).status_code == expected, (user, name)


ROLE_MATRIX = [
    # (url name, needs object, editor, contributor)
    ("admin:positions_source_import", False, 200, 200),
    ("admin:positions_source_changelist", False, 200, 200),
    ("admin:positions_statement_changelist", False, 200, 200),
    ("admin:positions_stance_changelist", False, 200, 200),
    ("admin:positions_stance_add", False, 200, 200),
    ("admin:positions_topic_changelist", False, 200, 200),
    ("admin:positions_topic_add", False, 200, 403),
    ("admin:parties_party_changelist", False, 200, 200),
    ("admin:parties_party_add", False, 200, 403),
    ("admin:parties_organisation_add", False, 200, 403),
    ("admin:positions_stance_change", True, 200, 200),
    ("admin:positions_stance_history", True, 200, 200),
    ("admin:positions_stance_preview", True, 200, 200),
    ("admin:positions_stance_delete", True, 200, 200),
    ("admin:positions_revision_changelist", False, 200, 200),
    ("admin:positions_revision_add", False, 403, 403),
]


@pytest.mark.parametrize(("name", "needs_object", "as_editor", "as_contributor"), ROLE_MATRIX)
def test_each_role_against_each_admin_page(
    client, editor, contributor, draft_stance, name, needs_object, as_editor, as_contributor
):
    url = reverse(name, args=[draft_stance.pk] if needs_object else [])
    for user, expected in [(editor, as_editor), (contributor, as_contributor)]:
        client.force_login(user)
        assert client.get(url).status_code == expected, (user.username, url)


def test_staff_user_without_a_role_sees_nothing(client, db, draft_stance):
    client.force_login(User.objects.create_user("ny", password="x", is_staff=True))

    assert client.get(reverse("admin:positions_stance_changelist")).status_code == 403
    assert client.get(reverse("admin:positions_source_import")).status_code == 403


def admin_urls(stance) -> list[str]:
    """Every admin URL we add or use, with a real object where one is needed."""
    statement = stance.evidence.get()
    source = statement.source
    history_id = stance.history.earliest().history_id
    urls = [reverse("admin:index"), reverse("admin:positions_source_import"), reverse("admin:autocomplete")]
    objects = {
        "positions_stance": stance,
        "positions_statement": statement,
        "positions_source": source,
        "positions_topic": stance.topic,
        "parties_organisation": stance.organisation,
        "parties_party": stance.organisation.party,
    }
    for prefix, obj in objects.items():
        urls += [reverse(f"admin:{prefix}_changelist"), reverse(f"admin:{prefix}_add")]
        urls += [reverse(f"admin:{prefix}_{view}", args=[obj.pk]) for view in ["change", "delete", "history"]]
    urls += [
        reverse("admin:positions_stance_preview", args=[stance.pk]),
        reverse("admin:positions_stance_simple_history", args=[stance.pk, history_id]),
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_group_changelist"),
    ]
    return urls


def test_anonymous_visitors_are_sent_to_login_from_every_admin_url(client, draft_stance):
    for url in admin_urls(draft_stance):
        for method in [client.get, client.post]:
            response = method(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("admin:login")), url
    assert Stance.objects.get().status == "draft"


def test_deleting_quotes_of_a_published_stance_is_refused(editor_client, editor, draft_stance):
    publish_stances(stances=[draft_stance], user=editor)
    statement = draft_stance.evidence.get()

    for url in [
        reverse("admin:positions_statement_delete", args=[statement.pk]),
        reverse("admin:positions_source_delete", args=[statement.source_id]),
    ]:
        page = editor_client.get(url)
        assert "Publisert standpunkt som siterer dette" in page.text, url
        editor_client.post(url, {"post": "yes"})
    act_response = editor_client.post(
        reverse("admin:positions_statement_changelist"),
        {"action": "delete_selected", "post": "yes", ACTION_CHECKBOX_NAME: [statement.pk]},
    )

    assert act_response.status_code == 200
    assert Statement.objects.filter(pk=statement.pk).exists()


def test_deleting_a_draft_statement_is_allowed(editor_client):
    statement = make_statement(status="draft")

    editor_client.post(reverse("admin:positions_statement_delete", args=[statement.pk]), {"post": "yes"})

    assert not Statement.objects.filter(pk=statement.pk).exists()
