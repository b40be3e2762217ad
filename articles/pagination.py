"""Pagination that stays fast on page 500 of a 100,000-story section.

``ListingPaginator`` fetches a page's stories through a deferred join: the
OFFSET walks only the narrow index that orders the listing (``WHERE id IN
(SELECT id … ORDER BY … LIMIT … OFFSET …)``), and only the stories of the
page are read whole.

``CountingPaginator`` is for search: there, finding which stories the first
page holds ranks every hit anyway, so the same query counts them too (a
window count), instead of a second pass over the hits.
"""

from django.core.paginator import Paginator
from django.db.models import Count, RowRange, Window


class ListingPaginator(Paginator):
    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        page_ids = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=page_ids), number, self)


class CountingPaginator(ListingPaginator):
    def get_page(self, number):
        if str(number or 1) != "1":
            return super().get_page(number)
        # Over the whole frame, but ordered as the hits are: PostgreSQL then works the ordering (the search
        # rank) out before counting, instead of carrying every hit's search vector through the count.
        every_hit = Window(Count("pk"), order_by=self.object_list.query.order_by, frame=RowRange(None, None))
        rows = list(self.object_list.annotate(hits=every_hit).values_list("pk", "hits")[: self.per_page])
        self.__dict__["count"] = rows[0][1] if rows else 0  # Paginator.count is a cached_property
        if not rows:
            return self._get_page(self.object_list.none(), 1, self)
        return self._get_page(self.object_list.filter(pk__in=[pk for pk, _ in rows]), 1, self)
