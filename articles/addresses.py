"""Reader-page addresses, reversed once per address rather than once per link.

``reverse()`` costs about 70 µs; a listing page links every story twice and
its section once, and the navigation links every section. An address depends
only on the URLconf, the script prefix and the slugs, all part of the key, so
each process remembers the ones it made.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def address(viewname, *args):
    """``reverse(viewname, args=args)``, remembered."""
    return _reverse(viewname, args, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@lru_cache(maxsize=20_000)
def _reverse(viewname, args, prefix, urlconf):
    return reverse(viewname, args=args, urlconf=urlconf)
