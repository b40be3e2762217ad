"""View counting for "Most Popular" that costs the page render nothing.

The article page carries no write: a small script on it sends a beacon
(``POST /views/<id>/``) after the page has loaded, so reads are counted even
when the page itself came from a cache. The beacon adds one to the story's
row for today with a single upsert (``INSERT … ON CONFLICT DO UPDATE SET
count = count + 1``): atomic, so concurrent reads never lose an increment,
and the row lock lasts one statement inside the beacon request, never inside
a page view. A reader's repeated reads of one story within
``VIEWS_REPEAT_SECONDS`` (reloads, going back and forth, or a script posting
beacons to push a story up Most Popular) count once.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from newsroom.clients import client_ip

from .models import DailyViews


def is_new_read(request, article_id):
    """False when this reader (IP address and browser) already read this story within ``VIEWS_REPEAT_SECONDS``,
    or when that address already counted ``VIEWS_PER_ADDRESS`` reads of it in that time.

    ``cache.add`` writes only an absent key, atomically (also on Redis), so
    of two beacons racing each other one counts. The browser is part of the
    reader, so that people behind one office or mobile-network address still
    count apart; the cap per address keeps a script that makes up a browser
    string for every beacon from pushing a story up Most Popular.
    """
    seconds = settings.VIEWS_REPEAT_SECONDS
    if not seconds:
        return True
    address = client_ip(request)
    reader = f"{address}|{request.headers.get('user-agent', '')}"
    digest = hashlib.blake2b(reader.encode(), digest_size=16).hexdigest()
    if not cache.add(f"views:read:{article_id}:{digest}", 1, timeout=seconds):
        return False
    per_address = f"views:address:{article_id}:{address}"
    cache.add(per_address, 0, timeout=seconds)
    try:
        return cache.incr(per_address) <= settings.VIEWS_PER_ADDRESS
    except ValueError:  # expired or evicted in between
        return True


def record_view(article_id, day=None):
    table = DailyViews._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (article_id, day, count) VALUES (%s, %s, 1) "  # noqa: S608 (our table name)
            f"ON CONFLICT (article_id, day) DO UPDATE SET count = {table}.count + 1",
            [article_id, day or timezone.localdate()],
        )
