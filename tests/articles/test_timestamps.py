"""``machine_datetime``: what ``<time datetime>`` needs, for every moment."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

MOMENTS = [
    datetime(2026, 1, 5, 14, 7, 9, tzinfo=UTC),  # winter: New York is UTC-5
    datetime(2026, 7, 30, 3, 59, 0, tzinfo=UTC),  # summer, and the day before in New York
    datetime(2026, 11, 1, 4, 30, 0, tzinfo=UTC),  # the morning the clocks go back, before they do
]
REPEATED_HOUR = datetime(2026, 11, 1, 6, 30, 0, tzinfo=UTC)  # 1:30 a.m. in New York, the second time


def render(source, moment):
    return Template("{% load timestamps %}" + source).render(Context({"moment": moment}))


@pytest.mark.parametrize("moment", MOMENTS)
def test_machine_datetime_matches_the_date_filter(moment):
    assert render("{{ moment|machine_datetime }}", moment) == render("{{ moment|date:'Y-m-d\\TH:i:sO' }}", moment)


def test_machine_datetime_keeps_the_offset_in_the_hour_that_repeats():
    """Django's ``O`` gives nothing for an ambiguous local time; the attribute still needs the offset."""
    assert render("{{ moment|machine_datetime }}", REPEATED_HOUR) == "2026-11-01T01:30:00-0500"


def test_machine_datetime_is_to_the_second_where_the_iso_format_keeps_microseconds():
    """HTML's datetime attribute takes three digits of a second at most; replies are stamped to the microsecond."""
    moment = datetime(2026, 1, 5, 14, 7, 9, 123456, tzinfo=UTC)
    assert render("{{ moment|machine_datetime }}", moment) == "2026-01-05T09:07:09-0500"


def test_machine_datetime_leaves_a_missing_date_empty():
    assert render("{{ moment|machine_datetime }}", None) == ""


NOON_AND_MIDNIGHT = [datetime(2026, 1, 5, 17, 30, tzinfo=UTC), datetime(2026, 1, 5, 5, 15, tzinfo=UTC)]


@pytest.mark.parametrize("moment", [*MOMENTS, REPEATED_HOUR, *NOON_AND_MIDNIGHT])
def test_posted_at_gives_what_the_date_filter_gives_in_local_time(moment):
    expected = render('{{ moment|date:"F j, Y \\a\\t g:i a" }}', moment)
    assert render("{{ moment|posted_at }}", moment) == expected
    assert render("{{ moment|posted_at }}", moment) == expected  # and again, remembered


def test_posted_at_follows_the_active_language():
    moment = datetime(2026, 3, 9, 17, 30, tzinfo=UTC)
    with translation.override("fr"):
        french = render("{{ moment|posted_at }}", moment)
    assert "mars" in french
    assert render("{{ moment|posted_at }}", moment) == "March 9, 2026 at 1:30 p.m."


def test_posted_at_leaves_a_missing_date_empty():
    assert render("{{ moment|posted_at }}", None) == ""
