"""``machine_datetime``: the value of ``<time datetime>``, valid HTML for every moment.

Django's ``date:"c"`` keeps microseconds (HTML takes three digits at most),
and ``O`` gives no offset in the hour that repeats when clocks go back.
"""

from django import template

register = template.Library()


@register.filter(expects_localtime=True)
def machine_datetime(value):
    """2026-11-28T09:30:00-0500: to the second, with the offset."""
    return value.strftime("%Y-%m-%dT%H:%M:%S%z") if value else ""
