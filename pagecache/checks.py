"""Deployment check for the page cache (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_BACKENDS = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """The versions must be shared by every process, or a publish reaches one gunicorn worker only."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.PAGE_CACHE_SECONDS and backend in PER_PROCESS_BACKENDS:
        return [
            Warning(
                "The default cache is local to each process, so cached pages are not refreshed in every worker "
                "when a story is published or a reply approved.",
                hint="Set CACHE_URL=redis://host:6379/1 (or PAGE_CACHE_SECONDS=0 to turn the page cache off).",
                id="newsroom.W001",
            )
        ]
    return []
