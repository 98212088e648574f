"""A long source's text is paged, 50 statements a page (issue 8): the pages together give the text
back verbatim, each statement marked once; ``side`` is validated in Norwegian, never a 500."""

import html as html_lib
import re

import pytest
from django.db.models import Count

from positions import views
from positions.models import Source, Statement
from tests.conftest import load_real_data

pytestmark = pytest.mark.django_db

TEXT = re.compile(r'<div class="source-text"[^>]*>(.*?)</div>', re.S)
SPAN = re.compile(r'<span class="stmt [^"]*" id="([^"]+)">')


def shown_text(page_html: str) -> str:
    """The source text as the page shows it: tags, speaker labels and # links removed."""
    body = TEXT.search(page_html)[1]
    body = re.sub(r'<span class="speaker[^"]*"[^>]*>.*?</span>(?=<span class="stmt)', "", body, flags=re.S)
    body = re.sub(r'<a class="stmt-link".*?</a>', "", body, flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", "", body))


def test_a_long_source_is_paged_and_its_pages_give_the_text_back_verbatim(client, monkeypatch):
    # The real data at 4 statements a page: its longest source runs to several pages.
    monkeypatch.setattr(views, "SOURCE_STATEMENTS_PER_PAGE", 4)
    load_real_data()
    source = Source.objects.annotate(n=Count("statements")).order_by("-n", "pk").first()
    published = Statement.objects.published().filter(source=source).count()
    pages = -(-published // 4)
    assert pages >= 2
    text, anchors = "", []
    for number in range(1, pages + 1):
        response = client.get(f"/kilde/{source.slug}/", {"side": number} if number > 1 else {})
        assert response.status_code == 200
        page_html = response.content.decode()
        text += shown_text(page_html)
        anchors += SPAN.findall(TEXT.search(page_html)[1])
        if number < pages:
            assert f'href="/kilde/{source.slug}/?side={number + 1}#fulltekst" rel="next"' in page_html
    assert text == source.text
    assert len(anchors) == len(set(anchors)) == published
    fragment = client.get(f"/kilde/{source.slug}/", {"side": 2}, headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode() and SPAN.search(fragment.content.decode())


@pytest.mark.parametrize(
    ("side", "status", "message"),
    [
        ("to", 400, "Sidetallet «to» er ikke gyldig"),
        ("0", 400, "ikke gyldig"),
        ("9", 404, "side 9 finnes ikke"),
    ],
)
def test_a_bad_source_page_is_answered_in_norwegian(client, side, status, message):
    load_real_data()
    source = Source.objects.order_by("pk").first()
    response = client.get(f"/kilde/{source.slug}/", {"side": side})
    assert response.status_code == status
    assert message in response.content.decode()
    assert client.get("/kilde/finnes-ikke/", {"side": "to"}).status_code == 404
