"""What a cached page was rendered under, and how a change makes it stale.

Two versions name the content of a page. The site's *generation* is bumped
by ``invalidate_site()`` when a change may show on any page (a public story
published, edited or withdrawn, a section, a tag or byline of public
stories); a page's own version is bumped by ``invalidate_page(name)`` when a
change shows on that page only (a reply approved under a story). Both live
in the default cache, so with Redis every process and machine sees a bump at
once. Whoever changes content decides which to call; this module knows no
model.

A scheduled story appears at its minute with nothing saved: the time of the
next one is kept beside the generation (``schedule_moved()`` looks it up
again), and the first request after that time looks up the one after and
bumps the generation. A request that looked the schedule up just before an
editor's commit may store a time that misses the new story; its pages then
go stale by age, ``PAGE_CACHE_SECONDS`` at most.
"""

import hashlib
import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

GENERATION_KEY = "pages:generation"
SCHEDULE_KEY = "pages:next-publication"
PAGE_KEY = "pages:version:{digest}"
NOTHING_SCHEDULED = 0
# One request looks the schedule up when it comes due; the others keep serving for at most this long.
LOOK_UP_SECONDS = 10


def invalidate_site():
    """Every cached page goes stale: now, and again when the current transaction commits.

    The second bump matters: between the first and the commit, another
    request may render the old content and store it under the new generation.
    """
    _bump_generation()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_bump_generation)


def invalidate_page(name):
    """The cached copies of one page (its path: every query string of it), or of one fragment named for what it
    shows, go stale: now, and again on commit."""
    _bump_page(name)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump_page(name))


def schedule_moved(moment):
    """A story was scheduled, rescheduled or unscheduled (``moment``: its time, an aware datetime): look the next
    publication up again, now and once committed. No page changes now; only when the pages go stale by
    themselves may. Should ``moment`` pass before the commit, the commit makes every page stale."""
    _look_up_schedule()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _came_due_before_commit(moment.timestamp()))


def page_version(name):
    """The version of one page's or fragment's own content (bumped by ``invalidate_page``)."""
    return cache.get(version_key(name)) or _start_page_version(name)


def current(*keys):
    """``(generation, {key: value})``: the generation and ``keys`` in one round trip to the cache.

    When a scheduled story came due since the schedule was last looked up,
    or the time of the next one is not known (the cache was emptied or
    evicted it), one request looks it up and bumps the generation. With the
    database out of reach the schedule stays as it is and pages keep being
    served. The generation is None when the cache keeps nothing.
    """
    found = cache.get_many([GENERATION_KEY, SCHEDULE_KEY, *keys])
    generation, due = found.get(GENERATION_KEY), found.get(SCHEDULE_KEY)
    if generation is None:
        generation = _bump_generation()
        if generation is None:
            return None, found
    came_due = due is None or NOTHING_SCHEDULED < due <= time.time()
    if came_due and cache.add(f"pages:looking-up:{due}", 1, timeout=LOOK_UP_SECONDS) and _look_up_schedule():
        generation = _bump_generation()
    return generation, found


def version_key(name):
    return PAGE_KEY.format(digest=hashlib.blake2b(name.encode(), digest_size=16).hexdigest())


def _bump_generation():
    try:
        return cache.incr(GENERATION_KEY)
    except ValueError:
        # A first generation no earlier run used (the clock), so nothing stored before the key was lost matches.
        cache.add(GENERATION_KEY, time.time_ns() // 1000, timeout=None)
        return cache.get(GENERATION_KEY)


def _bump_page(name):
    cache.set(version_key(name), uuid.uuid4().hex, timeout=settings.PAGE_CACHE_SECONDS)


def _start_page_version(name):
    """Random, so that once it expires no page kept under the old one matches; it expires so that a crawler of
    random addresses cannot fill the cache with versions."""
    cache.add(version_key(name), uuid.uuid4().hex, timeout=settings.PAGE_CACHE_SECONDS)
    return cache.get(version_key(name), "")


def _look_up_schedule():
    """Ask ``PAGE_CACHE_SCHEDULE`` (a function giving the next scheduled publication, or None) and keep its
    answer; False when the database could not answer."""
    try:
        upcoming = import_string(settings.PAGE_CACHE_SCHEDULE)()
    except DatabaseError:
        logger.warning("The next scheduled publication could not be looked up", exc_info=True)
        return False
    cache.set(SCHEDULE_KEY, upcoming.timestamp() if upcoming else NOTHING_SCHEDULED, timeout=None)
    return True


def _came_due_before_commit(moment):
    if moment <= time.time():
        _bump_generation()
    _look_up_schedule()
