"""Pagination that stays fast on page 500 of a 100,000-story section.

Two costs grow with an archive: counting the stories behind a listing on
every request, and fetching a deep page's rows. ``ListingPaginator`` keeps
the count for the current content (``pagecache.kept_for_generation``: until
something is published or edited, and never past the next scheduled
publication, so "Page X of Y" is never a story behind), and fetches a
page's stories through a deferred join: the OFFSET walks only the narrow index that orders the
listing (``WHERE id IN (SELECT id … ORDER BY … LIMIT … OFFSET …)``), and
only the 12 stories of the page are read whole.
"""

from functools import cached_property

from django.core.paginator import Paginator

from .pagecache import kept_for_generation

# How long an unread listing's count is kept; any change to the listing replaces it sooner.
COUNT_SECONDS = 600


class ListingPaginator(Paginator):
    def __init__(self, object_list, per_page, *, listing, **kwargs):
        self.listing = listing
        super().__init__(object_list, per_page, **kwargs)

    @cached_property
    def count(self):
        return kept_for_generation(f"listing-count:{self.listing}", self.object_list.count, COUNT_SECONDS)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        page_ids = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=page_ids), number, self)
