"""Users in each editorial role, logged in through Django's test client."""

import pytest
from django.contrib.auth.models import Group, User

from positions.services import CONTRIBUTOR, EDITOR, create_editor_roles


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs ~0.3 s per user; these tests are about permissions, not hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def roles(db):
    create_editor_roles()


def _user(username: str, group: str | None = None, **extra) -> User:
    user = User.objects.create_user(username, password="korrekt-hest-batteri-42", is_staff=True, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(roles) -> User:
    return _user("redaktor", EDITOR)


@pytest.fixture
def contributor(roles) -> User:
    return _user("bidragsyter", CONTRIBUTOR)


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("admin", password="korrekt-hest-batteri-42")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def contributor_client(client, contributor):
    client.force_login(contributor)
    return client
