"""The database refuses data that breaks the model's rules, on SQLite and PostgreSQL alike."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction

from parties.models import Organisation
from positions.models import Source, Stance, Statement, format_date_label
from ruspolitikk.settings import parse_database_url
from tests.factories import make_organisation, make_topic

pytestmark = pytest.mark.django_db


def make_source(organisation, text="Rødt vil styrke ettervernet.", **kwargs):
    return Source.objects.create(
        slug=kwargs.pop("slug", f"kilde-{organisation.slug}"),
        organisation=organisation,
        title="Tittel",
        kind="web_page",
        language="nb",
        text=text,
        **kwargs,
    )


def test_one_stance_per_organisation_and_topic():
    organisation, topic = make_organisation(), make_topic()
    Stance.objects.create(organisation=organisation, topic=topic, value="none", summary="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Stance.objects.create(organisation=organisation, topic=topic, value="for", summary="y")


def test_stance_values_are_restricted_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Stance.objects.create(
            organisation=make_organisation(), topic=make_topic(), value="maybe", summary="x"
        )


def test_a_statement_span_cannot_be_empty_or_reversed():
    organisation = make_organisation()
    source = make_source(organisation)
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.create(
            source=source, organisation=organisation, text="", start=5, end=5, order=1, kind="sentence"
        )


def test_an_uncertain_statement_needs_a_note():
    organisation = make_organisation()
    source = make_source(organisation)
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.create(
            source=source,
            organisation=organisation,
            text="Rødt",
            start=0,
            end=4,
            order=1,
            kind="sentence",
            confidence="uncertain",
        )


def test_one_national_organisation_per_party():
    national = make_organisation()
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(party=national.party, slug="dobbel", name="Dobbel", level="national")


def test_the_same_source_text_cannot_be_stored_twice():
    organisation = make_organisation()
    make_source(organisation, slug="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_source(organisation, slug="b")


def test_source_dates_must_be_in_order():
    import datetime

    with pytest.raises(IntegrityError), transaction.atomic():
        make_source(
            make_organisation(),
            date_precision="period",
            date_start=datetime.date(2021, 1, 1),
            date_end=datetime.date(2017, 1, 1),
        )


def test_date_labels_say_as_much_as_we_know():
    import datetime

    day = datetime.date(2020, 5, 26)
    assert format_date_label("day", day, day) == "26.05.2020"
    assert format_date_label("period", datetime.date(2017, 1, 1), datetime.date(2021, 12, 31)) == "2017–2021"
    assert format_date_label("approximate", datetime.date(2011, 1, 1), None) == "ca. 2011"
    assert format_date_label("unknown", None, None) == "udatert"


def test_database_url_parsing():
    postgres = parse_database_url("postgres://rus:hemmelig@127.0.0.1:5433/ruspolitikk")
    assert postgres["ENGINE"] == "ruspolitikk.db.postgresql"  # Django's, with bounded waits
    assert (postgres["NAME"], postgres["USER"], postgres["PASSWORD"], postgres["PORT"]) == (
        "ruspolitikk",
        "rus",
        "hemmelig",
        "5433",
    )
    socket = parse_database_url("postgres://rus@/ruspolitikk?host=/tmp/pg")
    assert socket["HOST"] == "/tmp/pg"
    assert parse_database_url("sqlite:////tmp/x.sqlite3")["NAME"] == "/tmp/x.sqlite3"
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL must start with"):
        parse_database_url("mysql://x")


def make_statement(source, start, end, text=None, **kwargs):
    return Statement.objects.create(
        source=source,
        organisation=source.organisation,
        text=source.text[start:end] if text is None else text,
        start=start,
        end=end,
        order=kwargs.pop("order", 1),
        kind="sentence",
        **kwargs,
    )


def test_the_database_accepts_a_statement_that_is_an_exact_span():
    source = make_source(make_organisation(), text="Ein ruspolitikk til det beste for alle. Førebygg.")
    statement = make_statement(source, 0, 39)
    assert statement.text == "Ein ruspolitikk til det beste for alle."


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (0, 38, "Ein ruspolitikk til det beste for alle!"),  # text not the span
        (40, 60, "Førebygg."),  # end past the source
        (1, 10, "Ein rusp"),  # offsets shifted
    ],
)
def test_the_database_refuses_a_statement_that_misquotes_its_source(start, end, text):
    source = make_source(make_organisation(), text="Ein ruspolitikk til det beste for alle. Førebygg.")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_statement(source, start, end, text=text)


def test_the_database_refuses_moving_a_statement_off_its_span():
    source = make_source(make_organisation(), text="Første setning. Andre setning.")
    statement = make_statement(source, 0, 15)
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.filter(pk=statement.pk).update(start=1)


def test_the_database_refuses_a_source_text_change_that_would_misquote_a_statement():
    source = make_source(make_organisation(), text="Første setning. Andre setning.")
    make_statement(source, 0, 15)
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.filter(pk=source.pk).update(text="Første  setning. Andre setning.")
    # A change that keeps every statement's span intact is allowed.
    Source.objects.filter(pk=source.pk).update(text="Første setning. Andre setning. Tredje.")
