"""View counting for "Most Popular" that costs the page render nothing.

The article page carries no write: a small script on it sends a beacon
(``POST /views/<id>/``) after the page has loaded, so reads are counted even
when the page itself came from a cache. The beacon adds one to the story's
row for today with a single upsert (``INSERT … ON CONFLICT DO UPDATE SET
count = count + 1``): atomic, so concurrent reads never lose an increment,
and the row lock lasts one statement inside the beacon request, never inside
a page view.
"""

from django.db import connection
from django.utils import timezone

from .models import DailyViews


def record_view(article_id, day=None):
    table = DailyViews._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (article_id, day, count) VALUES (%s, %s, 1) "  # noqa: S608 (our table name)
            f"ON CONFLICT (article_id, day) DO UPDATE SET count = {table}.count + 1",
            [article_id, day or timezone.localdate()],
        )
