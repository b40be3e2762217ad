"""Turning what a reader typed into a safe query, and search hits into safe HTML."""

import re

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from .querysets import MARK_START, MARK_STOP

MAX_QUERY_LENGTH = 200
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def clean_terms(raw):
    """The reader's words without control characters (NUL included), trimmed to a sane length."""
    terms = _CONTROL_CHARACTERS.sub(" ", raw or "")
    return " ".join(terms.split())[:MAX_QUERY_LENGTH].strip()


def highlighted(text):
    """Plain text with the search engine's matches wrapped in <mark>, everything else escaped."""
    if not text:
        return ""
    safe = escape(strip_tags(text))
    return mark_safe(safe.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))  # noqa: S308 (escaped above)
