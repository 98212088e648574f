"""The grid of 14 topics in three groups reads at 1280 px and 390 px."""

from playwright.sync_api import expect

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


def test_fourteen_topics_in_groups_at_1280_px(page, axe_check):
    page.goto("/")
    expect(page.locator("table.grid thead tr:last-child th")).to_have_count(15)
    headers = page.locator("table.grid th[scope=colgroup]")
    expect(headers).to_have_count(3)
    expect(headers.first).to_have_attribute("colspan", "5")
    expect(headers.first).to_have_text("Straff og politi")
    expect(headers.last).to_have_attribute("colspan", "4")
    expect(headers.last).to_have_text("Forebygging og skadereduksjon")
    assert page.evaluate(CLIPPED_BADGES) == []
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    axe_check(page)


def test_fourteen_topics_at_390_px_without_sideways_scroll(mobile_page, axe_check):
    mobile_page.goto("/")
    expect(mobile_page.locator("table.grid tbody tr").first.locator("td")).to_have_count(14)
    assert mobile_page.evaluate(CLIPPED_BADGES) == []
    assert mobile_page.evaluate("document.documentElement.scrollWidth") <= 390
    axe_check(mobile_page)


def test_the_english_grid_names_the_groups_in_english(new_page):
    page = new_page()
    page.goto("/en/")
    expect(page.locator("table.grid th[scope=colgroup]").first).to_have_text("Punishment and policing")
