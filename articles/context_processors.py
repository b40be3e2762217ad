from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from pagecache.middleware import keep_until

from .models import Section


def canonical_url(request, page=None):
    """The page's address without tracking, reply or page parameters; a listing passes the ``page`` it
    shows, whose number past 1 is kept (the last page's when ``?page=`` asked past the end)."""
    url = request.build_absolute_uri(request.path)
    if page is not None and page.number > 1:
        url += f"?page={page.number}"
    return url


def newsroom(request):
    """What every page's shell shows. ``nav_sections`` is a QuerySet: read once, by the first loop over it.

    The date line changes at midnight, newsroom time: no page is kept past it.
    """
    today = timezone.localdate()
    keep_until(request, timezone.make_aware(datetime.combine(today + timedelta(days=1), time())))
    return {
        "site_name": settings.SITE_NAME,
        "site_description": settings.SITE_DESCRIPTION,
        "canonical_url": canonical_url(request),
        "is_home": request.path == "/",
        "today": today,
        "nav_sections": Section.objects.all(),
    }
