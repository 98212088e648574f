"""Small text helpers shared by the parser, the validators and the models."""

import hashlib
import re

_WHITESPACE = re.compile(r"\s+")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise_whitespace(text: str) -> str:
    """Collapse every run of whitespace (including no-break spaces) to one space, and strip."""
    return _WHITESPACE.sub(" ", text).strip()


def find_normalised(haystack: str, needle: str) -> tuple[int, int] | None:
    """Find ``needle`` in ``haystack`` ignoring differences in whitespace.

    Returns the (start, end) span in ``haystack`` of the first match, or None.
    """
    words = normalise_whitespace(needle).split(" ")
    if not words or words == [""]:
        return None
    pattern = r"\s+".join(re.escape(word) for word in words)
    match = re.search(pattern, haystack)
    return (match.start(), match.end()) if match else None
