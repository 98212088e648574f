"""Walk every public URL over the real data: each answers 200 with well-formed, CSP-clean HTML."""

import pytest

from parties.models import Organisation
from positions.models import Source, Topic
from tests.site.htmlcheck import check_html

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]


def public_urls() -> list[str]:
    organisations = list(Organisation.objects.values_list("slug", flat=True))
    topics = list(Topic.objects.values_list("slug", flat=True))
    urls = [
        "/",
        "/?niva=county",
        "/?standpunkt=sproyterom:for",
        "/om/",
        "/metode/",
        "/sok/",
        "/sok/?q=behandling",
    ]
    urls += ["/sammenlign/", "/sammenlign/?parti=ap&parti=h&parti=v&parti=r"]
    urls += ["/valgomat/", "/valgomat/?steg=1", "/valgomat/resultat/?svar=har:helt-enig&svar=lar:helt-uenig"]
    urls += [f"/parti/{o}/" for o in organisations]
    urls += [f"/parti/{o}/kilder/" for o in organisations] + [f"/parti/{o}/lag/" for o in organisations]
    urls += [f"/tema/{t}/" for t in topics]
    urls += [f"/kilde/{s}/" for s in Source.objects.values_list("slug", flat=True)]
    urls += [f"/parti/{o}/tema/{t}/" for o in organisations for t in topics]
    return urls


def test_every_public_page_is_200_and_valid_looking_html(client):
    urls = public_urls()
    assert len(urls) > 12 * 9
    problems = {}
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            problems[url] = response.status_code
            continue
        errors = check_html(response.content.decode()).errors
        if errors:
            problems[url] = errors
    assert problems == {}


def test_every_page_sends_the_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
