"""Suggest topics for a statement from each topic's lexicon (bokmål and nynorsk patterns).

Tags are suggestions that help readers and editors find statements; stances are curated by
hand and never derived from tags.
"""

import re
from collections.abc import Iterable
from functools import lru_cache


@lru_cache(maxsize=256)
def compile_lexicon(patterns: tuple[str, ...]) -> re.Pattern:
    """One case-insensitive pattern for a topic. A pattern may opt out of case-insensitivity
    with a scoped flag, e.g. ``(?-i:\\bLAR\\b)`` so the verb "lar" is not taken for LAR."""
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns), re.IGNORECASE)


def tag_topics(text: str, topics: Iterable) -> list[str]:
    """Slugs of the topics whose lexicon matches ``text``, in the order given."""
    return [
        topic.slug
        for topic in topics
        if topic.patterns and compile_lexicon(tuple(topic.patterns)).search(text)
    ]
