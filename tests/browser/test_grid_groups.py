"""A grid of 14 topics in groups (a test-only set of 5 extra topics) reads at 1280 px and 390 px."""

import pytest
from playwright.sync_api import expect

from positions.models import Topic, TopicGroup
from ruspolitikk.pagecache import data_changed

EXTRA = ["overdose", "ungdom", "politi", "fengsel", "bolig"]

# Every badge inside the box of its own cell, and inside the scroll container or page: none clipped.
CLIPPED_BADGES = """() => {
  const clipped = [];
  for (const badge of document.querySelectorAll('table.grid .badge')) {
    const b = badge.getBoundingClientRect();
    const cell = badge.closest('td').getBoundingClientRect();
    if (b.width === 0 || b.left < cell.left - 0.5 || b.right > cell.right + 0.5
        || b.top < cell.top - 0.5 || b.bottom > cell.bottom + 0.5) clipped.push(badge.textContent.trim());
  }
  return clipped;
}"""


@pytest.fixture
def fourteen_topics(site):
    """Two groups over the nine topics and five extra test topics: 14 columns, every cell 'none'."""
    care = TopicGroup.objects.create(
        slug="hjelp", name="Hjelp og behandling", name_en="Help and treatment", order=1
    )
    control = TopicGroup.objects.create(
        slug="straff", name="Straff og kontroll", name_en="Punishment", order=2
    )
    Topic.objects.update(group=care)
    Topic.objects.filter(slug__in=["tvang", "regulert-salg"]).update(group=control)
    for order, slug in enumerate(EXTRA, 20):
        Topic.objects.create(
            slug=slug,
            name=f"Testtema {slug}",
            short_name=f"{slug.capitalize()}",
            question=f"Testspørsmål om {slug}?",
            explainer="Et testtema.",
            lexicon=slug,
            order=order,
            group=control,
        )
    data_changed()


def test_fourteen_topics_in_groups_at_1280_px(page, fourteen_topics, axe_check):
    page.goto("/")
    expect(page.locator("table.grid thead tr:last-child th")).to_have_count(15)
    headers = page.locator("table.grid th[scope=colgroup]")
    expect(headers).to_have_count(2)
    expect(headers.first).to_have_attribute("colspan", "7")
    expect(headers.last).to_have_attribute("colspan", "7")
    expect(headers.last).to_have_text("Straff og kontroll")
    assert page.evaluate(CLIPPED_BADGES) == []
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    axe_check(page)


def test_fourteen_topics_at_390_px_without_sideways_scroll(mobile_page, fourteen_topics, axe_check):
    mobile_page.goto("/")
    expect(mobile_page.locator("table.grid tbody tr").first.locator("td")).to_have_count(14)
    assert mobile_page.evaluate(CLIPPED_BADGES) == []
    assert mobile_page.evaluate("document.documentElement.scrollWidth") <= 390
    axe_check(mobile_page)


def test_the_english_grid_names_the_groups_in_english(new_page, fourteen_topics):
    page = new_page()
    page.goto("/en/")
    expect(page.locator("table.grid th[scope=colgroup]").first).to_have_text("Help and treatment")
