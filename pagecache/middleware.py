"""Whole pages for anonymous readers, from the cache, until what they show changes (``versions``).

A hit costs one round trip to the cache: the generation, the time of the
next scheduled publication, the path's version and the page itself in one
``get_many``, and none of the middleware below this one (the headers those
add, Content-Security-Policy and X-Frame-Options, are stored with the page).

What Django's own ``UpdateCacheMiddleware`` cannot do, and this does: pages
stale at once when the content changes (versions, not timeouts), readers
with a session or a reply of their own in waiting always rendered afresh,
parameters no page reads (``?utm_source=…``) sharing the page's entry, and
no page kept past the moment it changes by itself (``keep_until``), and,
when a change makes a page stale, one request renders it afresh while the
others still get the stale copy: after a publish, the readers of a busy
page do not all wait for, and each pay for, the same render. It sits
above ``GZipMiddleware``, so the gzipped copy is kept apart from the plain
one and no hit compresses anything.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import http_date, urlencode

from . import versions

# Set again when a stored page is sent.
NOT_STORED_HEADERS = {"set-cookie", "x-page-cache", "content-length"}
# While one request renders a page that went stale, the others get the stale copy, for at most this long.
RENDERING_SECONDS = 10


def keep_until(request, moment):
    """The page being rendered changes by itself at ``moment`` (an aware datetime: a story's replies close, say):
    the page cache keeps it no longer. Browsers and nginx may still keep it for their short ``max-age``."""
    previous = getattr(request, "page_changes_at", None)
    request.page_changes_at = moment if previous is None else min(previous, moment)


def accepts_gzip(request):
    """Whether the reader gets the gzipped copy: exactly when Django's ``GZipMiddleware`` would compress."""
    return bool(re_accepts_gzip.search(request.headers.get("accept-encoding", "")))


def page_key(request):
    """Scheme, host, path, the query parameters our views read, and whether the reader takes gzip."""
    params = sorted((name, value) for name, value in request.GET.items() if name in settings.PAGE_CACHE_QUERY_PARAMS)
    address = f"{request.scheme}://{request.get_host()}{request.path}?{urlencode(params)}"
    digest = hashlib.blake2b(address.encode(), digest_size=20).hexdigest()
    return f"pages:entry:{'gzip' if accepts_gzip(request) else 'plain'}:{digest}"


def is_cacheable_request(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.PAGE_CACHE_SECONDS > 0
        and not any(name in request.COOKIES for name in settings.PAGE_CACHE_BYPASS_COOKIES)
        and not request.path.startswith(settings.PAGE_CACHE_EXCLUDED_PREFIXES)
    )


def is_cacheable_response(response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code in (200, 301, 404)
        and not response.streaming
        and not response.cookies
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
    )


class PageCacheMiddleware:
    """Serve anonymous readers' GETs from the cache and store what the views render for them.

    Readers with a session (staff, logged-in commenters) or a held reply,
    and every POST, go straight to the views and get ``private`` pages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request):
            response = self.get_response(request)
            if request.method in ("GET", "HEAD") and "Cache-Control" not in response:
                patch_cache_control(response, private=True, no_cache=True)
            return response

        key, version_key = page_key(request), versions.version_key(request.path)
        generation, found = versions.current(version_key, key)
        if generation is None:  # a cache that keeps nothing (Django's dummy cache)
            return self.get_response(request)
        under = (generation, found.get(version_key) or versions.page_version(request.path))
        stored = found.get(key)
        rendering = None
        if stored is not None and (stored[1] is None or time.time() < stored[1]):
            if stored[0] == under:
                return self._stored_response(stored, "hit")
            rendering = f"{key}:rendering"
            if not cache.add(rendering, 1, timeout=RENDERING_SECONDS):
                return self._stored_response(stored, "stale")
        try:
            return self._render_and_store(request, key, under)
        finally:
            if rendering:
                cache.delete(rendering)

    def _render_and_store(self, request, key, under):
        response = self.get_response(request)
        if not is_cacheable_response(response):
            return response
        self._add_http_caching(response)
        # A page that changes by itself is stamped with that moment, checked by our clock: the cache server's
        # may disagree.
        changes_at = getattr(request, "page_changes_at", None)
        expires = changes_at.timestamp() if changes_at else None
        timeout = (
            settings.PAGE_CACHE_SECONDS if expires is None else min(settings.PAGE_CACHE_SECONDS, expires - time.time())
        )
        if timeout > 0:
            headers = {name: value for name, value in response.items() if name.lower() not in NOT_STORED_HEADERS}
            cache.set(
                key, (under, expires, response.status_code, headers, response.content), timeout=math.ceil(timeout)
            )
        response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _stored_response(stored, state):
        _, _, status, headers, content = stored
        response = HttpResponse(content, status=status, headers=headers)
        response["Content-Length"] = str(len(content))
        response["X-Page-Cache"] = state
        return response

    @staticmethod
    def _add_http_caching(response):
        set_response_etag(response)
        if not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date()
        if "Cache-Control" not in response:
            patch_cache_control(
                response,
                public=True,
                max_age=settings.PAGE_BROWSER_MAX_AGE,
                s_maxage=settings.PAGE_SHARED_MAX_AGE,
                stale_while_revalidate=settings.PAGE_STALE_WHILE_REVALIDATE,
            )
        patch_vary_headers(response, ["Cookie"])
