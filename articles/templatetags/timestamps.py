"""Dates on story cards and replies, in one ``strftime`` each.

The ``date`` filter parses its format string on every call (about 65 µs
here); a listing page shows two dates per card and a thread two per reply,
so the formats they use most have their own filters (and the thread, written
in Python, its own formatter), with the same output.
"""

from django import template
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.translation import gettext

register = template.Library()


@register.filter(expects_localtime=True)
def machine_datetime(value):
    """For ``<time datetime>``: what ``date:'Y-m-d\\TH:i:sO'`` gives (2026-11-28T09:30:00-0500), offset included
    even in the hour that repeats when clocks go back (where ``O`` gives nothing)."""
    return value.strftime("%Y-%m-%dT%H:%M:%S%z") if value else ""


@register.filter(expects_localtime=True)
def short_date(value):
    """What ``date:"M j, Y"`` gives (Nov 28, 2026)."""
    return f"{str(MONTHS_3[value.month]).title()} {value.day}, {value.year}" if value else ""


def reply_datetime_formatter():
    """A reply's local time as ``date:"F j, Y"`` and `` at `` and ``date:"g:i a"`` give it (November 28, 2026
    at 3:05 p.m.), for the thread (``comments.threads.render_thread``): the words are translated once per
    thread, since translating a month name costs more than the rest of the formatting."""
    months = {number: str(name) for number, name in MONTHS.items()}
    morning, afternoon = gettext("a.m."), gettext("p.m.")

    def reply_datetime(value):
        if not value:
            return ""
        noon = morning if value.hour < 12 else afternoon
        return f"{months[value.month]} {value.day}, {value.year} at {value.hour % 12 or 12}:{value.minute:02d} {noon}"

    return reply_datetime
