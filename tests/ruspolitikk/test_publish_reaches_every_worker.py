"""A publish in the admin is seen at once by every worker of a real gunicorn, through the shared cache."""

import pytest

from tests.served import AdminSession, served_site

PATH = "/parti/frp/tema/har/"


@pytest.fixture(scope="module")
def site():
    with served_site() as site:
        yield site


def stance_pk(site, organisation: str, topic: str) -> int:
    return int(
        site.manage(
            "shell",
            "--no-imports",
            "-c",
            "from positions.models import Stance; "
            f"print(Stance.objects.get(organisation__slug={organisation!r}, topic__slug={topic!r}).pk)",
        ).split()[-1]
    )


def test_unpublishing_in_the_admin_changes_every_workers_next_answer(site):
    # Warm the cache from both workers: twenty new connections, the same cached answer.
    before = [site.get(PATH) for _ in range(20)]
    assert {reply.status for reply in before} == {200}
    assert all("ikke uttalt" not in reply.body for reply in before)
    etags = {reply.headers["ETag"] for reply in before}
    assert len(etags) == 1
    (etag,) = etags

    admin = AdminSession(site)
    response = admin.run_action("stance", "unpublish_selected", [stance_pk(site, "frp", "har")])
    assert response.status == 200 and response.geturl().endswith("/admin/positions/stance/")

    after = [site.get(PATH, {"If-None-Match": etag}) for _ in range(20)]
    assert {reply.status for reply in after} == {200}
    assert all("ikke uttalt" in reply.body for reply in after)
    assert "Traceback" not in site.log()


def test_public_pages_from_the_served_site_set_no_cookie(site):
    for path in ["/", "/tema/lar/", "/en/", "/sok/?q=lar", "/eksport.csv", "/om/"]:
        reply = site.get(path)
        assert reply.status == 200, path
        assert "Set-Cookie" not in reply.headers, path
        assert "Cookie" not in reply.headers.get("Vary", ""), path
