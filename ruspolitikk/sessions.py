"""Database sessions that refuse a malformed session cookie before it reaches the database.

Django's database store looks up whatever the ``sessionid`` cookie holds. PostgreSQL cannot
take a NUL byte in a text parameter, so a cookie such as ``sessionid="\\000aaaaaaaa"`` made every
page that reads the session (the whole admin) answer 500. Django itself only ever issues keys of
32 lowercase letters and digits; anything else cannot name a session of ours and is treated as
no session at all (a fresh one is made if needed), without a query.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS

KEY_CHARS = frozenset(VALID_KEY_CHARS)
KEY_MAX_LENGTH = 40  # the session table's key column


class SessionStore(db.SessionStore):
    def _validate_session_key(self, key):
        return (
            isinstance(key, str)
            and super()._validate_session_key(key)
            and len(key) <= KEY_MAX_LENGTH
            and KEY_CHARS.issuperset(key)
        )
