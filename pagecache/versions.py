"""What a cached page was rendered under, and how a change makes it stale.

Two versions name the content of a page. The site's *generation* is bumped
by ``invalidate_site()`` when a change may show on any page (a public story
published, edited or withdrawn, a section, a tag or byline of public
stories); a path's own version is bumped by ``invalidate_page(path)`` when a
change shows on that page only (a reply approved under a story). Both live
in the default cache, so with Redis every process and machine sees a bump at
once. Whoever changes content decides which to call; this module knows no
model.

A scheduled story appears at its minute with nothing saved: the time of the
next one is kept beside the generation (``schedule_moved()`` looks it up
again), and the first request after that time bumps the generation.
"""

import hashlib
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.module_loading import import_string

GENERATION_KEY = "pages:generation"
SCHEDULE_KEY = "pages:next-publication"
PATH_KEY = "pages:path:{digest}"
NOTHING_SCHEDULED = 0


def invalidate_site():
    """Every cached page and fragment goes stale: now, and again when the current transaction commits.

    The second bump matters: between the first and the commit, another
    request may render the old content and store it under the new generation.
    """
    _bump_generation()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_bump_generation)


def invalidate_page(path):
    """The cached copies of one page (every query string of it) go stale, now and again on commit."""
    _bump_path(path)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump_path(path))


def schedule_moved():
    """A story was scheduled, rescheduled or unscheduled: look the next publication up again, now and on commit.

    No page changes; only the moment the pages go stale by themselves may.
    """
    _look_up_schedule()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_look_up_schedule)


def content_version():
    """The site's generation, for fragments kept across pages (``{% cache %}``, rankings); None when the cache
    keeps nothing."""
    return current(GENERATION_KEY)[0]


def page_version(path):
    """The version of one page's own content (bumped by ``invalidate_page``), for a fragment that changes with
    that page only: a story's reply thread."""
    return cache.get(path_key(path)) or _start_path_version(path)


def current(*keys):
    """``(generation, {key: value})``: the generation and ``keys`` in one round trip to the cache.

    The generation is bumped first when a scheduled story came due since it
    was last looked up, or when the time of the next one is not known (the
    cache was emptied or evicted it). None when the cache keeps nothing.
    """
    found = cache.get_many([GENERATION_KEY, SCHEDULE_KEY, *keys])
    generation, due = found.get(GENERATION_KEY), found.get(SCHEDULE_KEY)
    if generation is None or due is None or NOTHING_SCHEDULED < due <= time.time():
        generation = _bump_generation()
        if generation is not None:
            _look_up_schedule()
    return generation, found


def path_key(path):
    return PATH_KEY.format(digest=hashlib.blake2b(path.encode(), digest_size=16).hexdigest())


def _bump_generation():
    try:
        return cache.incr(GENERATION_KEY)
    except ValueError:
        # A first generation no earlier run used (the clock), so nothing stored before the key was lost matches.
        cache.add(GENERATION_KEY, time.time_ns() // 1000, timeout=None)
        return cache.get(GENERATION_KEY)


def _bump_path(path):
    cache.set(path_key(path), uuid.uuid4().hex, timeout=settings.PAGE_CACHE_SECONDS)


def _start_path_version(path):
    """Random, so that once it expires no page kept under the old one matches; it expires so that a crawler of
    random addresses cannot fill the cache with versions."""
    cache.add(path_key(path), uuid.uuid4().hex, timeout=settings.PAGE_CACHE_SECONDS)
    return cache.get(path_key(path), "")


def _look_up_schedule():
    """Ask ``PAGE_CACHE_SCHEDULE`` (a function giving the next scheduled publication, or None) and keep it."""
    upcoming = import_string(settings.PAGE_CACHE_SCHEDULE)()
    cache.set(SCHEDULE_KEY, upcoming.timestamp() if upcoming else NOTHING_SCHEDULED, timeout=None)
