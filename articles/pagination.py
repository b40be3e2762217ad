"""Pagination that stays fast on page 500 of a 100,000-story section.

Two costs grow with an archive: counting the stories behind a listing on
every request, and fetching a deep page's rows. ``ListingPaginator`` keeps
the count in the cache for a minute, or until something is published or
edited (the page cache's generation), and fetches a page's stories through a
deferred join: the OFFSET walks only the narrow index that orders the
listing (``WHERE id IN (SELECT id … ORDER BY … LIMIT … OFFSET …)``), and
only the 12 stories of the page are read whole.
"""

from functools import cached_property

from django.core.cache import cache
from django.core.paginator import Paginator

from .pagecache import generation

COUNT_KEY = "listing-count:{generation}:{listing}"
# A scheduled story that goes live changes a listing's count without a new
# generation: for at most this long, "Page X of Y" may be one story behind.
COUNT_SECONDS = 60


class ListingPaginator(Paginator):
    def __init__(self, object_list, per_page, *, listing, **kwargs):
        self.listing = listing
        super().__init__(object_list, per_page, **kwargs)

    @cached_property
    def count(self):
        gen = generation()
        key = COUNT_KEY.format(generation=gen, listing=self.listing)
        count = cache.get(key)
        if count is None:
            count = self.object_list.count()
            cache.set(key, count, timeout=COUNT_SECONDS)
        return count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        page_ids = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=page_ids), number, self)
