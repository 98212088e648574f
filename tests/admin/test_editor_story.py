"""The whole editor story through the admin's own URLs, ending on the public site.

A Redaktør imports a new party text, adjusts a statement, sets a stance with evidence,
publishes it, sees it in the public grid, changes the summary and reverts that from history.
"""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from positions.models import Revision, Source, Stance
from tests.factories import make_organisation, make_topic

TEXT = (
    "Ruspolitikk for Testpartiet\n\nVi vil opprette sprøyterom i alle større byer. Det gir tryggere bruk.\n"
)
XSS = "<script>alert(1)</script>"


@pytest.fixture
def world(db):
    organisation = make_organisation(slug="tp", name="Testpartiet")
    topic = make_topic(slug="sproyterom", name="Sprøyterom", lexicon="sprøyterom")
    return organisation, topic


def publish_pending_revision(client):
    revision = Revision.objects.get(state="pending")
    response = client.post(reverse("admin:positions_revision_change", args=[revision.pk]), {"_publish": "1"})
    assert response.status_code == 302


def import_text(client, organisation, text=TEXT):
    data = {
        "organisation": organisation.pk,
        "title": "Program 2025–2029",
        "kind": "programme",
        "language": "nb",
        "date_precision": "period",
        "date_start": "2025-01-01",
        "date_end": "2029-12-31",
        "url": "",
        "text": text,
    }
    preview = client.post(reverse("admin:positions_source_import"), data | {"_preview": "1"})
    assert preview.status_code == 200 and not Source.objects.filter(text=text).exists()
    data |= {"_confirm": "1", "previewed": preview.context["previewed"]}
    confirmed = client.post(reverse("admin:positions_source_import"), data)
    assert confirmed.status_code == 302
    return Source.objects.get(text=text)


def publish(client, model, objects):
    return client.post(
        reverse(f"admin:positions_{model}_changelist"),
        {"action": "publish_selected", ACTION_CHECKBOX_NAME: [o.pk for o in objects]},
    )


def stance_form(organisation, topic, statements, summary):
    return {
        "organisation": organisation.pk,
        "topic": topic.pk,
        "value": "for",
        "summary": summary,
        "evidence": [s.pk for s in statements],
    }


def test_editor_imports_curates_publishes_and_reverts(editor_client, world):
    organisation, topic = world

    # 1. Import: the parser's statements arrive as drafts with suggested topics.
    source = import_text(editor_client, organisation)
    statement = source.statements.get(text__startswith="Vi vil opprette")
    assert list(statement.topics.all()) == [topic]

    # 2. Adjust: extend the quote to the next sentence by moving its end offset.
    new_end = TEXT.index("tryggere bruk.") + len("tryggere bruk.")
    response = editor_client.post(
        reverse("admin:positions_statement_change", args=[statement.pk]),
        {
            "source": source.pk,
            "organisation": organisation.pk,
            "start": statement.start,
            "end": new_end,
            "text": statement.text,
            "kind": "sentence",
            "topics": [topic.pk],
            "confidence": "certain",
            "attribution_note": "",
        },
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.text == "Vi vil opprette sprøyterom i alle større byer. Det gir tryggere bruk."

    # 3. Stance with evidence: a draft, not on the public site yet.
    response = editor_client.post(
        reverse("admin:positions_stance_add"),
        stance_form(organisation, topic, [statement], "Testpartiet vil ha sprøyterom i større byer."),
    )
    assert response.status_code == 302
    stance = Stance.objects.get()
    assert "Testpartiet vil ha sprøyterom" not in editor_client.get("/", {"parti": "tp"}).text

    # 4. Preview, then publish.
    preview = editor_client.get(reverse("admin:positions_stance_preview", args=[stance.pk]))
    assert "Testpartiet vil ha sprøyterom i større byer." in preview.text
    publish(editor_client, "stance", [stance])
    assert list(Stance.objects.published()) == [stance]

    # 5. The public grid and the cell page show it, with the quote.
    grid = editor_client.get("/", {"parti": "tp"})
    assert grid.status_code == 200
    assert "Testpartiet vil ha sprøyterom i større byer." in grid.text
    cell = editor_client.get(reverse("positions:cell", args=["tp", "sproyterom"]))
    assert "Det gir tryggere bruk." in cell.text

    # 6. A mistaken edit, published after review, then reverted from history (reviewed too).
    before = stance.history.latest()
    change_url = reverse("admin:positions_stance_change", args=[stance.pk])
    editor_client.post(change_url, stance_form(organisation, topic, [statement], "Feil: de er mot."))
    assert "Feil: de er mot." not in editor_client.get("/", {"parti": "tp"}).text
    publish_pending_revision(editor_client)
    assert "Feil: de er mot." in editor_client.get("/", {"parti": "tp"}).text
    revert_url = reverse("admin:positions_stance_simple_history", args=[stance.pk, before.history_id])
    response = editor_client.post(revert_url, stance_form(organisation, topic, [statement], before.summary))
    assert response.status_code == 302
    publish_pending_revision(editor_client)
    grid = editor_client.get("/", {"parti": "tp"})
    assert "Feil: de er mot." not in grid.text
    assert "Testpartiet vil ha sprøyterom i større byer." in grid.text


def test_editor_text_is_never_rendered_as_html_on_the_public_site(editor_client, world):
    organisation, topic = world
    text = f"Vi vil ha sprøyterom {XSS} nå.\n"
    source = import_text(editor_client, organisation, text=text)
    statement = source.statements.get()
    assert XSS in statement.text
    response = editor_client.post(
        reverse("admin:positions_stance_add"),
        stance_form(organisation, topic, [statement], f"Oppsummering {XSS}"),
    )
    assert response.status_code == 302
    publish(editor_client, "stance", Stance.objects.all())

    pages = [
        editor_client.get("/", {"parti": "tp"}),
        editor_client.get(reverse("positions:cell", args=["tp", "sproyterom"])),
        editor_client.get(
            reverse("positions:cell", args=["tp", "sproyterom"]), headers={"HX-Request": "true"}
        ),
    ]
    for page in pages:
        assert page.status_code == 200
        assert XSS not in page.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    # The admin escapes it too (list column and preview).
    for url in [
        reverse("admin:positions_stance_changelist"),
        reverse("admin:positions_stance_preview", args=[Stance.objects.get().pk]),
        reverse("admin:positions_statement_changelist"),
    ]:
        assert XSS not in editor_client.get(url).text, url
