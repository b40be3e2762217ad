from django.conf import settings
from django.utils import timezone

from .models import Section
from .pagecache import kept_for_generation

# How long an unread navigation list is kept; a section saved or deleted replaces it at once.
NAVIGATION_SECONDS = 3600


def navigation_sections():
    """The sections for the navigation, kept for the current generation (a section saved bumps it, and again
    when its transaction commits, so no render in between can keep the list from before)."""
    return kept_for_generation("navigation", lambda: list(Section.objects.all()), NAVIGATION_SECONDS)


def canonical_url(request, page=None):
    """The page's address without tracking, reply or page parameters; a listing passes the ``page`` it
    shows, whose number past 1 is kept (the last page's when ``?page=`` asked past the end)."""
    url = request.build_absolute_uri(request.path)
    if page is not None and page.number > 1:
        url += f"?page={page.number}"
    return url


def newsroom(request):
    return {
        "site_name": settings.SITE_NAME,
        "site_description": settings.SITE_DESCRIPTION,
        "canonical_url": canonical_url(request),
        "is_home": request.path == "/",
        "today": timezone.localdate(),
        "nav_sections": navigation_sections,
    }
