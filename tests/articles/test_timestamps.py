"""The card date filters give exactly what Django's ``date`` filter gives for the same formats."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

from articles.templatetags.timestamps import reply_datetime_formatter

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


@pytest.mark.parametrize("moment", MOMENTS)
def test_short_date_matches_the_date_filter_in_local_time(moment):
    local = timezone.localtime(moment)
    assert render("{{ moment|short_date }}", moment) == render('{{ moment|date:"M j, Y" }}', moment)
    assert render("{{ moment|short_date }}", moment).endswith(f" {local.day}, {local.year}")


# 12:30 p.m. and 12:15 a.m. in New York.
NOON_AND_MIDNIGHT = [datetime(2026, 1, 5, 17, 30, tzinfo=UTC), datetime(2026, 1, 5, 5, 15, tzinfo=UTC)]


@pytest.mark.parametrize("moment", [*MOMENTS, REPEATED_HOUR, *NOON_AND_MIDNIGHT])
def test_reply_datetime_matches_the_date_filters_in_local_time(moment):
    """The thread formats its replies' times with the formatter."""
    expected = render('{{ moment|date:"F j, Y" }} at {{ moment|date:"g:i a" }}', moment)
    assert reply_datetime_formatter()(timezone.localtime(moment)) == expected


def test_machine_datetime_keeps_the_offset_in_the_hour_that_repeats():
    """Django's ``O`` gives nothing for an ambiguous local time; the attribute still needs the offset."""
    assert render("{{ moment|machine_datetime }}", REPEATED_HOUR) == "2026-11-01T01:30:00-0500"


def test_date_filters_leave_a_missing_date_empty():
    assert render("{{ moment|machine_datetime }}{{ moment|short_date }}", None) == ""
    assert reply_datetime_formatter()(None) == ""
