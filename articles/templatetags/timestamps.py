"""Dates in markup: ``machine_datetime`` for ``<time datetime>``, ``posted_at`` for the times of replies.

Django's ``date:"c"`` keeps microseconds (HTML takes three digits at most),
and ``O`` gives no offset in the hour that repeats when clocks go back.
A long reply thread shows a time for every reply, and Django's formatter,
called once a reply, was most of the thread's first render
(``bench/README.md``): ``posted_at`` asks it once a day and once a minute of
the day instead, with the same output.
"""

from datetime import time
from functools import lru_cache

from django import template
from django.utils.formats import date_format, time_format
from django.utils.translation import get_language

register = template.Library()


@register.filter(expects_localtime=True)
def machine_datetime(value):
    """2026-11-28T09:30:00-0500: to the second, with the offset."""
    return value.strftime("%Y-%m-%dT%H:%M:%S%z") if value else ""


@register.filter(expects_localtime=True)
def posted_at(value):
    """What ``date:"F j, Y \\a\\t g:i a"`` gives: November 28, 2026 at 3:05 p.m."""
    if not value:
        return ""
    language = get_language()
    return f"{_day(language, value.date())} at {_minute(language, value.hour, value.minute)}"


@lru_cache(maxsize=4096)
def _day(language, day):
    return date_format(day, "F j, Y")


@lru_cache(maxsize=24 * 60 * 2)
def _minute(language, hour, minute):
    return time_format(time(hour, minute), "g:i a")
