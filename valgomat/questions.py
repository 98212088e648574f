"""The valgomat's questions: one per topic, in topic order, in the page's language."""

from dataclasses import dataclass

from django.utils.translation import get_language

from positions.models import Topic


def question_text(topic: Topic) -> tuple[str, str]:
    """(question, explainer) of ``topic`` in the current language.

    The one place the English variant is picked: on ``/en/`` a topic's ``question_en`` and
    ``explainer_en`` are used where the topic has them (the fields may not exist yet), bokmål
    otherwise.
    """
    if get_language() == "en":
        question = getattr(topic, "question_en", "") or topic.question
        explainer = getattr(topic, "explainer_en", "") or topic.explainer
        return question, explainer
    return topic.question, topic.explainer


@dataclass(frozen=True)
class Question:
    number: int  # 1-based
    topic: Topic
    text: str
    explainer: str
    answer: str  # "" when skipped
    important: bool

    @property
    def slug(self) -> str:
        return self.topic.slug


def questions(topics: list[Topic], *, answers: dict[str, str], important: list[str]) -> list[Question]:
    result = []
    for number, topic in enumerate(topics, start=1):
        text, explainer = question_text(topic)
        result.append(
            Question(number, topic, text, explainer, answers.get(topic.slug, ""), topic.slug in important)
        )
    return result
