from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from .models import NAV_CACHE_KEY, Section


def navigation_sections():
    """The sections for the navigation, cached until a section is saved or deleted."""
    return cache.get_or_set(NAV_CACHE_KEY, lambda: list(Section.objects.all()), 3600)


def newsroom(request):
    return {
        "site_name": settings.SITE_NAME,
        "today": timezone.localdate(),
        "nav_sections": navigation_sections,
    }
