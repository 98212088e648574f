"""Edits to published data go live only when a Redaktør publishes them (issue 9, section 5).

Through the admin with the test client: a published stance or statement edited in the admin is
kept as a pending revision; the public grid, cell page, export and page cache show the published
version until the revision is published; the preview shows the pending version as the public will
see it, to editors only, never cached.
"""

import pytest
from django.urls import reverse

from positions.forms import StanceAdminForm, StatementAdminForm
from positions.models import Revision, Stance
from tests.admin.helpers import stance_form, statement_form
from tests.factories import make_organisation, make_stance, make_statement, make_topic

OLD, NEW = "Venstre vil ha sprøyterom.", "Venstre vil ha sprøyterom i alle store byer."


@pytest.fixture
def stance(db):
    organisation = make_organisation(slug="v", name="Venstre")
    statement = make_statement(organisation=organisation, text="Vi vil ha sprøyterom.")
    return make_stance(
        organisation=organisation, topic=make_topic(slug="sproyterom"), evidence=[statement], summary=OLD
    )


def propose(client, stance, **changes) -> Revision:
    response = client.post(
        reverse("admin:positions_stance_change", args=[stance.pk]), stance_form(stance, **changes)
    )
    assert response.status_code == 302
    revision = Revision.objects.get(state="pending")
    assert response.url == reverse("admin:positions_revision_change", args=[revision.pk])
    return revision


def public_pages(client) -> dict[str, str]:
    return {
        "grid": client.get("/").text,
        "cell": client.get(reverse("positions:cell", args=["v", "sproyterom"])).text,
        "export": client.get("/eksport.csv").getvalue().decode(),
    }


def test_edit_of_a_published_stance_changes_nothing_public_until_published(client, editor, stance):
    etag = client.get("/").headers["ETag"]  # now cached: a proposal must not make a new version
    client.force_login(editor)

    revision = propose(client, stance, summary=NEW, value="partly")

    stance.refresh_from_db()
    assert (stance.summary, stance.value) == (OLD, "for")
    assert revision.changed_fields == ["value", "summary"]
    assert revision.proposed_by == editor
    client.logout()
    assert client.get("/").headers["ETag"] == etag
    for name, page in public_pages(client).items():
        assert OLD in page and NEW not in page, name

    client.force_login(editor)
    response = client.post(reverse("admin:positions_revision_change", args=[revision.pk]), {"_publish": "1"})

    assert response.status_code == 302
    revision.refresh_from_db()
    assert (revision.state, revision.decided_by) == ("published", editor)
    stance.refresh_from_db()
    assert (stance.summary, stance.value, stance.published_by) == (NEW, "partly", editor)
    client.logout()
    assert client.get("/").headers["ETag"] != etag
    for name, page in public_pages(client).items():
        assert NEW in page, name


def test_preview_shows_the_pending_version_to_editors_only_never_cached(client, editor, stance):
    client.force_login(editor)
    revision = propose(client, stance, summary=NEW)
    url = reverse("admin:positions_revision_change", args=[revision.pk])

    review = client.get(url)

    assert review.status_code == 200
    cache_control = review.headers["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    # The public cell's own partial, with the proposed summary and the quote.
    assert 'class="evidence"' in review.text and "Vi vil ha sprøyterom." in review.text
    assert f'<p class="summary">{NEW}</p>' in review.text
    # What changes, from what to what.
    assert f"<del>{OLD}</del>" in review.text and f"<ins>{NEW}</ins>" in review.text
    # The stance's own preview link leads to the proposal.
    preview = client.get(reverse("admin:positions_stance_preview", args=[stance.pk]))
    assert preview.status_code == 302 and preview.url == url

    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    assert NEW not in client.get(reverse("positions:cell", args=["v", "sproyterom"])).text


def test_change_form_continues_the_pending_proposal(editor_client, stance):
    propose(editor_client, stance, summary=NEW)

    form = editor_client.get(reverse("admin:positions_stance_change", args=[stance.pk]))

    assert form.context["adminform"].form.initial["summary"] == NEW
    assert "venter på gjennomgang" in form.text
    # A second proposal replaces the first; both stay on record.
    second = propose(editor_client, stance, summary="Enda en endring.")
    assert list(Revision.objects.values_list("state", flat=True).order_by("pk")) == ["superseded", "pending"]
    assert second.data["summary"] == "Enda en endring."


def test_an_unchanged_save_proposes_nothing(editor_client, stance):
    response = editor_client.post(
        reverse("admin:positions_stance_change", args=[stance.pk]), stance_form(stance)
    )

    assert response.status_code == 302
    assert not Revision.objects.exists()


def test_history_records_the_proposal_and_the_publication(client, editor, contributor, stance):
    client.force_login(contributor)
    revision = propose(client, stance, summary=NEW)
    client.force_login(editor)
    client.post(reverse("admin:positions_revision_change", args=[revision.pk]), {"_publish": "1"})

    page = client.get(reverse("admin:positions_stance_history", args=[stance.pk]))

    assert page.status_code == 200
    proposals = page.text.split('id="revision_list"', 1)[1].split("</table>", 1)[0]
    assert "bidragsyter" in proposals and "redaktor" in proposals and "publisert" in proposals
    latest = stance.history.latest()
    assert latest.history_user == editor
    assert latest.history_change_reason == f"Forslag #{revision.pk} fra bidragsyter publisert"
    assert latest.summary == NEW


def test_editor_discards_a_proposal_and_nothing_changes(editor_client, editor, stance):
    revision = propose(editor_client, stance, summary=NEW)

    editor_client.post(reverse("admin:positions_revision_change", args=[revision.pk]), {"_discard": "1"})

    revision.refresh_from_db()
    stance.refresh_from_db()
    assert (revision.state, revision.decided_by, stance.summary) == ("discarded", editor, OLD)
    again = editor_client.post(
        reverse("admin:positions_revision_change", args=[revision.pk]), {"_publish": "1"}
    )
    assert again.status_code == 302
    stance.refresh_from_db()
    assert stance.summary == OLD  # a decided proposal is never published


def test_admin_front_page_lists_what_waits_for_review(editor_client, stance):
    assert "Ingen forslag venter." in editor_client.get(reverse("admin:index")).text
    revision = propose(editor_client, stance, summary=NEW)

    page = editor_client.get(reverse("admin:index")).text

    link = reverse("admin:positions_revision_change", args=[revision.pk])
    assert f'href="{link}"' in page.split('id="pending-revisions"', 1)[1].split("</div>", 1)[0]


def test_edit_of_a_published_statement_waits_and_its_evidence_stays(editor_client, stance):
    statement = stance.evidence.get()
    response = editor_client.post(
        reverse("admin:positions_statement_change", args=[statement.pk]),
        statement_form(statement, confidence="uncertain", attribution_note="Kan være innledning."),
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.confidence == "certain"
    revision = Revision.objects.get()

    review = editor_client.get(reverse("admin:positions_revision_change", args=[revision.pk]))
    assert "Kan være innledning." in review.text  # the cell citing it, with the flag it would get
    editor_client.post(reverse("admin:positions_revision_change", args=[revision.pk]), {"_publish": "1"})

    statement.refresh_from_db()
    assert (statement.confidence, statement.attribution_note) == ("uncertain", "Kan være innledning.")


def test_a_proposal_that_breaks_a_rule_is_not_published(editor_client, stance):
    revision = propose(editor_client, stance, summary=NEW)
    stance.evidence.get().delete()  # the quote it relies on is gone since

    editor_client.post(reverse("admin:positions_revision_change", args=[revision.pk]), {"_publish": "1"})

    revision.refresh_from_db()
    assert revision.state == "pending"
    assert Stance.objects.get(pk=stance.pk).summary == OLD


def test_a_draft_is_still_edited_directly(editor_client, db):
    draft = make_stance(
        organisation=make_organisation(slug="h"),
        topic=make_topic(),
        evidence=[make_statement(text="Hjelp, ikke straff.", status="draft")],
        status="draft",
    )
    draft.evidence.update(organisation=draft.organisation)

    editor_client.post(
        reverse("admin:positions_stance_change", args=[draft.pk]), stance_form(draft, summary=NEW)
    )

    draft.refresh_from_db()
    assert draft.summary == NEW
    assert not Revision.objects.exists()


@pytest.mark.parametrize("form_class", [StanceAdminForm, StatementAdminForm])
def test_a_revision_holds_every_field_the_form_edits(editor_client, stance, form_class):
    """The payload is the form's fields, not a list of today's: a field added to the form is kept."""
    model = form_class._meta.model
    obj = stance if model is Stance else stance.evidence.get()
    data = stance_form(obj) if model is Stance else statement_form(obj)
    form = form_class(data=data, instance=obj)
    assert form.is_valid(), form.errors

    from positions.revisions import form_values

    assert set(form_values(form)) == set(form_class._meta.fields)


def test_publishing_a_proposal_for_an_item_taken_back_to_draft_keeps_it_a_draft(
    editor_client, editor, stance
):
    from positions.services import unpublish_stances

    revision = propose(editor_client, stance, summary=NEW)
    unpublish_stances(stances=[stance], user=editor)

    editor_client.post(reverse("admin:positions_revision_change", args=[revision.pk]), {"_publish": "1"})

    stance.refresh_from_db()
    assert (stance.summary, stance.status, stance.published_at) == (NEW, "draft", None)
