from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from .models import NAV_CACHE_KEY, Section


def navigation_sections():
    """The sections for the navigation, cached until a section is saved or deleted."""
    return cache.get_or_set(NAV_CACHE_KEY, lambda: list(Section.objects.all()), 3600)


def canonical_url(request):
    """The page's address without tracking or reply parameters; page numbers past 1 kept."""
    url = request.build_absolute_uri(request.path)
    page = request.GET.get("page", "")
    if page.isdigit() and int(page) > 1:
        url += f"?page={int(page)}"
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
