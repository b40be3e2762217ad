import shutil

import pytest
from django.core.cache import cache

from articles import pagecache


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads and renditions go to a throwaway folder, one per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    yield settings.MEDIA_ROOT
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache, so a cached page never hides a query.

    The process's own copies of kept values go too: under a frozen clock two
    tests can start the same generation, which production's clock never repeats.
    """
    cache.clear()
    pagecache.forget_local_copies()
    yield
    cache.clear()
    pagecache.forget_local_copies()


@pytest.fixture(autouse=True)
def static_storage(settings):
    """Tests render templates without running collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
