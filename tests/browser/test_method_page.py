"""/metode/ with a codebook and agreement figures: accessible and valid HTML, anchors reachable by link."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.positions.test_agreement import FIRST, SECOND, write_codings
from tests.positions.test_codebook_build import CODEBOOK
from tests.site.test_method_page import RULE

DATA = Path(settings.BASE_DIR) / "fixtures"


@pytest.fixture
def codebook_dir(tmp_path, settings) -> Path:
    text = (DATA / "topics.toml").read_text(encoding="utf-8")
    first = text.index("[[topic]]")
    second = text.index("[[topic]]", first + 1)
    (tmp_path / "topics.toml").write_text(
        text[:first] + RULE + "\n" + text[first:second] + CODEBOOK + "\n" + text[second:], encoding="utf-8"
    )
    write_codings(tmp_path / "coding", FIRST, SECOND, {("sv", "lar"): "SV vil ha LAR"})
    settings.CODEBOOK_DIR = tmp_path
    return tmp_path


def test_the_method_page_is_accessible_and_valid(page, codebook_dir, axe_check, vnu_check_url):
    page.goto("/tema/avkriminalisering/")
    page.get_by_role("link", name="Kodebok for temaet").click()
    expect(page).to_have_url(page.url.split("#")[0] + "#kodebok-avkriminalisering")
    section = page.locator("#kodebok-avkriminalisering")
    expect(section).to_be_in_viewport()
    expect(section.get_by_role("link", name="Se ruten for Rødt")).to_have_attribute(
        "href", "/parti/r/tema/avkriminalisering/"
    )
    expect(
        page.get_by_role("table", name="Enighet mellom to blinde kodinger, per tema og samlet")
    ).to_be_visible()
    axe_check(page)
    assert vnu_check_url("/metode/", "/en/metode/") == []


def test_the_method_page_at_390_px_does_not_scroll_sideways(mobile_page, codebook_dir, axe_check):
    mobile_page.goto("/metode/")
    assert mobile_page.evaluate("document.documentElement.scrollWidth") <= 390
    axe_check(mobile_page)
