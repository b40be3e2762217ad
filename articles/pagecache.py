"""Whole-page cache for anonymous readers, and the version keys that invalidate it.

Every cached page records the versions it was rendered under: the site-wide
*generation* and its own path's version. Anything that changes what readers
see across the site (a story saved or deleted, a section or tag edited) calls
``invalidate_pages()``, which bumps the generation: every stored page stops
matching at once, and is replaced by the next render or expires by itself.
A change that shows on one page only (a reply approved under a story) calls
``invalidate_page(path)``, which bumps that path's version and leaves the
rest of the site warm. With ``CACHE_URL`` set to Redis the versions and the
pages are shared by every process and machine.

A hit costs one round trip to the cache (the generation, the path's version
and the page in one ``get_many``) and none of the middleware below this one:
the headers they add (Content-Security-Policy, X-Frame-Options) are stored
with the page.

Each page is kept twice over: as rendered and compressed with gzip, once,
when it is stored. A reader whose browser accepts gzip (every browser) gets
the compressed copy, a tenth of the bytes, and no hit compresses anything;
in front of the app, nginx's microcache keeps both copies the same way
(deploy/nginx.conf).

A page is never kept past the next scheduled publication, so a story
scheduled for 9:00 appears at 9:00 without anyone touching the cache. Each
entry carries its own expiry time, checked on every hit, so this holds even
where the cache server's clock and ours disagree.
"""

import contextlib
import contextvars
import hashlib
import math
import pickle
import threading
import time
import uuid
from collections import OrderedDict
from functools import cache as once
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe, urlencode
from django.utils.text import compress_string

GENERATION_KEY = "pages:generation"
PATH_VERSION_KEY = "pages:path:{digest}"
NEXT_SCHEDULED_KEY = "pages:{generation}:next-scheduled"
PAGE_KEY = "pages:entry:{address}"
# Content-Length is set again for the copy sent (as rendered, or compressed).
NOT_STORED_HEADERS = {"set-cookie", "x-page-cache", "content-length"}
# What is worth compressing: markup and text, from this many bytes (as Django's GZipMiddleware).
COMPRESSED_TYPES = ("text/", "application/rss+xml", "application/atom+xml", "application/xml", "application/json")
COMPRESSED_FROM_BYTES = 200
# Anonymous pages hold no secret (no CSRF token: a reader with a session or a CSRF cookie bypasses this cache),
# so their compressed copies need no random padding against BREACH, as Django's GZipMiddleware adds.
# How much of the pages it served each process keeps a copy of, in bytes of page.
LOCAL_PAGES_BYTES = 16 * 1024 * 1024
# How much of the kept values (``kept``: rendered blocks, stories, threads) each process keeps a copy of,
# in characters of markup or bytes of pickle.
LOCAL_KEPT_BYTES = 16 * 1024 * 1024
NO_SCHEDULE = 0.0
# How long the next scheduled publication's time is kept; scheduling a story bumps the generation anyway.
NEXT_SCHEDULED_SECONDS = 3600
# How long a page's own version is kept; when it lapses the page simply renders afresh under a new one.
PATH_VERSION_SECONDS = 24 * 3600


# The generation as first read by the request being served: read once, not by every kept block of its page.
_request_generation = contextvars.ContextVar("request_generation", default=None)


def generation():
    """The site-wide generation: read once per request (see ``generation_per_request``)."""
    seen = _request_generation.get()
    if seen:
        return seen[0]
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = _start_generation()
    if seen is not None:
        seen.append(value)
    return value


@contextlib.contextmanager
def generation_per_request():
    """Within it, the generation is read from the cache once, then remembered until something bumps it.

    A page and every kept block in it are then built under one generation,
    never a mix of two; a request that invalidates the pages reads it anew.
    """
    token = _request_generation.set([])
    try:
        yield
    finally:
        _request_generation.reset(token)


def _remember_generation(value):
    """The generation read for this request by other means (the page cache's ``get_many``)."""
    seen = _request_generation.get()
    if seen is not None:
        seen[:] = [value]


_page_deadlines = contextvars.ContextVar("page_deadlines", default=None)


def page_changes_at(when):
    """The page being rendered changes by itself at ``when`` (a timestamp; a story's replies close, say), with
    nothing saved: the page cache keeps it no longer than that. Outside the page cache, does nothing.

    Call it on every render of the page, not from inside kept markup (``{% kept %}``, ``kept()``), which
    later renders skip. Browsers and nginx may still keep the page for its ``max-age`` and ``s-maxage``.
    """
    deadlines = _page_deadlines.get()
    if deadlines is not None:
        deadlines.append(when)


@contextlib.contextmanager
def _collecting_deadlines():
    deadlines = []
    token = _page_deadlines.set(deadlines)
    try:
        yield deadlines
    finally:
        _page_deadlines.reset(token)


def _start_generation():
    """A first generation no earlier run could have used (the clock in microseconds), so that after the
    cache is emptied or restarted no copy kept by a process (``LocalCopies``) can match again."""
    cache.add(GENERATION_KEY, time.time_ns() // 1000, timeout=None)
    return cache.get(GENERATION_KEY)


def invalidate_pages():
    """Make every cached page stale, now and again when the current transaction commits.

    The second bump matters: between the first one and the commit another
    request may render and cache the old content under the new generation.
    """
    _bump_generation()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_bump_generation)


def _bump_generation():
    seen = _request_generation.get()
    if seen:
        seen.clear()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        _start_generation()


def path_version_key(path):
    return PATH_VERSION_KEY.format(digest=hashlib.blake2b(path.encode(), digest_size=16).hexdigest())


def page_version(path):
    """The version of one page's own content, bumped by ``invalidate_page(path)``."""
    key = path_version_key(path)
    return cache.get(key) or _start_path_version(key)


def _start_path_version(key):
    """A page's first version: random, so that once its key expires or is evicted, pages kept under the old one
    never match again (and a version may expire: a key per address ever asked for must not pile up forever)."""
    cache.add(key, uuid.uuid4().hex, timeout=PATH_VERSION_SECONDS)
    return cache.get(key, "")


def invalidate_page(path):
    """Make the cached copies of one page stale (every query string of it), now and again on commit.

    For a change that shows on that page only, such as a reply approved under
    a story: the rest of the site stays cached.
    """
    _bump_path(path)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump_path(path))


def _bump_path(path):
    cache.set(path_version_key(path), uuid.uuid4().hex, timeout=PATH_VERSION_SECONDS)


def next_publication_at(gen):
    """When the next scheduled story goes live (a timestamp), or None when nothing is scheduled.

    Looked up once per generation and again once that moment has passed.
    """
    from .models import Article

    key = NEXT_SCHEDULED_KEY.format(generation=gen)
    when = cache.get(key)
    if when is None or (when != NO_SCHEDULE and when <= time.time()):
        upcoming = Article.objects.scheduled().order_by("published_at").values_list("published_at", flat=True).first()
        when = upcoming.timestamp() if upcoming else NO_SCHEDULE
        cache.set(key, when, timeout=NEXT_SCHEDULED_SECONDS)
    return None if when == NO_SCHEDULE else when


def expiry(seconds, deadline):
    """``seconds`` from now, or the ``deadline`` (the next scheduled publication) if that comes first."""
    expires = time.time() + seconds
    return expires if deadline is None else min(expires, deadline)


def _timeout(expires):
    """The cache server's timeout for an entry that carries its own expiry time, checked on every read
    (the server's clock and ours may disagree)."""
    return max(1, math.ceil(expires - time.time()))


def kept(name):
    """``(value, keep)`` for what is costly to work out and changes only with the content (a ranking of
    related stories, a rendered reply thread): the value kept under ``name`` for the current generation, or
    None and ``keep(value, seconds)`` to keep a freshly worked-out one.

    Both the generation and the next scheduled publication are read before
    the value is worked out, so a value computed while an editor publishes is
    filed under the generation it belongs to, and never outlives the
    publication it missed. The name also holds a digest of the code the
    process runs (``release``), so a deploy never reads what the last release
    kept. Each process also keeps copies of the values it fetched or worked
    out last (``LOCAL_KEPT_BYTES``): the generation is part of their name, so
    a copy can never be staler than the shared entry.
    """
    gen = None if _nothing_kept.get() else generation()
    if gen is None:  # or a cache that keeps nothing (Django's dummy cache): no copy of ours may outlive it
        return None, lambda value, seconds: value
    key = f"kept:{gen}:{release()}:{name}"
    now = time.time()
    stored = _local_kept.get(key)
    if stored is None or stored[0] <= now:
        stored = cache.get(key)
        if stored is not None and stored[0] > now:
            _keep_local(key, stored)
    if stored is not None and stored[0] > now:
        return _thawed(stored[1]), None
    deadline = next_publication_at(gen)

    def keep(value, seconds):
        expires = expiry(seconds, deadline)
        stored = (expires, value)
        cache.set(key, stored, timeout=_timeout(expires))
        _keep_local(key, stored)
        return value

    return None, keep


class LocalCopies:
    """A process's own copies of cache entries, the least recently stored dropped first once they hold more than
    ``max_size`` (characters of markup, bytes of pickle or of page). Each copy carries the versions it needs to
    match, so it is never staler than the shared entry it copies."""

    def __init__(self, max_size):
        self.max_size = max_size
        self.entries = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key):
        entry = self.entries.get(key)
        return entry[0] if entry else None

    def put(self, key, value, size):
        with self.lock:
            previous = self.entries.pop(key, None)
            self.size += size - (previous[1] if previous else 0)
            self.entries[key] = (value, size)
            while self.size > self.max_size and len(self.entries) > 1:
                _, (_, dropped) = self.entries.popitem(last=False)
                self.size -= dropped

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.size = 0


_local_kept = LocalCopies(LOCAL_KEPT_BYTES)


def _keep_local(key, stored):
    """A process's own copy; anything but text is stored pickled, so that no request can change another's."""
    expires, value = stored
    frozen = value if isinstance(value, str) else _Pickled(pickle.dumps(value))
    _local_kept.put(key, (expires, frozen), len(frozen))


def forget_local_copies():
    """Drop this process's copies of kept values (tests, whose frozen clocks can repeat a generation)."""
    _local_kept.clear()


class _Pickled(bytes):
    pass


def _thawed(value):
    return pickle.loads(value) if isinstance(value, _Pickled) else value  # noqa: S301 (our own pickle)


def kept_for_generation(name, compute, seconds):
    """``compute()``'s answer, worked out once per generation (see ``kept``)."""
    value, keep = kept(name)
    return keep(compute(), seconds) if keep else value


# Settings from the environment that change rendered markup: a restart with another value is a new release.
RELEASE_SETTINGS = (
    "SITE_NAME",
    "SITE_DESCRIPTION",
    "TIME_ZONE",
    "LANGUAGE_CODE",
    "STATIC_URL",
    "MEDIA_URL",
    "ARTICLES_PER_PAGE",
    "COMMENTS_CLOSE_AFTER_DAYS",
)


@once
def release():
    """A digest of what this process renders with, worked out once: the project's templates and Python code,
    the static files' manifest (their hashed names), Django's version and the settings that shape markup
    (``RELEASE_SETTINGS``).

    Part of the name of everything kept (``kept``): after a deploy that
    changes any of them, nothing last release kept (markup, a pickled story)
    is read again. In development, a changed file makes it worked out anew.
    """
    digest = hashlib.blake2b(digest_size=8)
    digest.update(repr([django.get_version(), *(getattr(settings, name) for name in RELEASE_SETTINGS)]).encode())
    roots = [Path(directory) for directory in settings.TEMPLATES[0]["DIRS"]]
    sources = [path for root in roots for path in sorted(root.rglob("*")) if path.is_file()]
    for app in ("articles", "comments", "newsroom"):
        sources += sorted((Path(settings.BASE_DIR) / app).rglob("*.py"))
    if settings.STATIC_ROOT:
        sources.append(Path(settings.STATIC_ROOT) / "staticfiles.json")
    base = Path(settings.BASE_DIR)
    for path in sources:
        if path.is_file():
            # Named relative to the project, so that machines serving one release from different folders agree.
            digest.update(str(path.relative_to(base) if path.is_relative_to(base) else path.name).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def forget_release(**kwargs):
    """Connected to the development server's ``file_changed``: a template edited there shows at once."""
    release.cache_clear()


@contextlib.contextmanager
def nothing_kept():
    """Within it, ``kept`` neither reads nor writes the cache: for the 500 page, which must not depend on it."""
    token = _nothing_kept.set(True)
    try:
        yield
    finally:
        _nothing_kept.reset(token)


_nothing_kept = contextvars.ContextVar("nothing_kept", default=False)


def page_address(request):
    """What a page depends on: scheme, host, path and the query parameters our views read.

    Other parameters (``?utm_source=…``, ``?x=<random>``) change nothing on the
    page, so they share its cache entry instead of forcing a fresh render.
    """
    params = sorted((name, value) for name, value in request.GET.items() if name in settings.PAGE_CACHE_QUERY_PARAMS)
    address = f"{request.scheme}://{request.get_host()}{request.path}?{urlencode(params)}"
    return hashlib.blake2b(address.encode(), digest_size=20).hexdigest()


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
        and "private" not in cache_control
        and "no-store" not in cache_control
        and "no-cache" not in cache_control
    )


CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")


def _conditional(request, response):
    """304 Not Modified when the reader's copy matches (If-None-Match or If-Modified-Since)."""
    if not any(name in request.META for name in CONDITIONAL_HEADERS):
        return response
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(response.get("Last-Modified")),
        response=response,
    )


class AnonymousPageCacheMiddleware:
    """Serve anonymous readers' GETs from the cache; store what the views render for them.

    Readers with a session (editors, moderators, logged-in commenters) and
    every POST go straight to the views and get ``private`` pages.

    Each process also keeps its own copies of the last pages it served
    (``LOCAL_PAGES_BYTES``). A copy is used only when the versions just read from
    the shared cache match the ones it was rendered under, exactly as for the
    shared entry, so it is never staler than that entry; it saves fetching
    the page itself (200 KB for a story with a long thread) on every hit.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.local_pages = LocalCopies(LOCAL_PAGES_BYTES)

    def __call__(self, request):
        with generation_per_request():
            return self._respond(request)

    def _respond(self, request):
        if not is_cacheable_request(request):
            response = self.get_response(request)
            if request.method in ("GET", "HEAD") and "Cache-Control" not in response:
                patch_cache_control(response, private=True, no_cache=True)
            return response

        # The release is part of the key: machines of two releases, during a deploy, never share an entry.
        key = PAGE_KEY.format(address=f"{release()}:{page_address(request)}")
        version_key = path_version_key(request.path)
        local = self.local_pages.get(key)
        found = cache.get_many([GENERATION_KEY, version_key] if local else [GENERATION_KEY, version_key, key])
        gen = found.get(GENERATION_KEY) or generation()
        if gen is None:  # a cache that keeps nothing (Django's dummy cache): nothing to serve, nor to keep a copy of
            return self.get_response(request)
        _remember_generation(gen)
        versions = (gen, found.get(version_key) or _start_path_version(version_key))
        now = time.time()
        stored = local if local and local[0] > now and local[1] == versions else None
        if stored is None:
            stored = cache.get(key) if local else found.get(key)
            if stored is not None and stored[0] > now and stored[1] == versions:
                self.local_pages.put(key, stored, _stored_size(stored))
            else:
                stored = None
        if stored is not None:
            response = self._rebuild(stored, with_gzip=accepts_gzip(request))
            response["X-Page-Cache"] = "hit"
            return _conditional(request, response)

        deadline = next_publication_at(gen)  # before rendering: the page must not outlive what it missed
        with _collecting_deadlines() as changes:
            response = self.get_response(request)
        if not is_cacheable_response(response):
            return response
        self._add_http_caching(response)
        expires = min([expiry(settings.PAGE_CACHE_SECONDS, deadline), *changes])
        stored = (expires, versions, *self._freeze(response))
        cache.set(key, stored, timeout=_timeout(expires))
        self.local_pages.put(key, stored, _stored_size(stored))
        if stored[-1] is not None and accepts_gzip(request):  # the copy a hit would send
            response = self._rebuild(stored, with_gzip=True)
        response["X-Page-Cache"] = "miss"
        return _conditional(request, response)

    @staticmethod
    def _add_http_caching(response):
        if not response.has_header("ETag"):
            response["ETag"] = f'"{hashlib.blake2b(response.content, digest_size=16).hexdigest()}"'
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
        patch_vary_headers(response, ["Cookie", "Accept-Encoding"] if _compressible(response) else ["Cookie"])

    @staticmethod
    def _freeze(response):
        """``(status, headers, content, compressed)``: ``compressed`` is the content gzipped, or None when it
        is not worth it (a short or binary answer, or one no shorter compressed)."""
        headers = {name: value for name, value in response.items() if name.lower() not in NOT_STORED_HEADERS}
        compressed = None
        if _compressible(response):
            compressed = compress_string(response.content)
            if len(compressed) >= len(response.content):
                compressed = None
        return (response.status_code, headers, response.content, compressed)

    @staticmethod
    def _rebuild(stored, *, with_gzip):
        """The stored page, compressed if ``with_gzip`` and there is a compressed copy. That copy has an ETag of
        its own, as another representation, and a weak one, as Django's GZipMiddleware gives (another zlib
        could compress the same page to other bytes)."""
        _, _, status, headers, content, compressed = stored
        if with_gzip and compressed is not None:
            response = HttpResponse(compressed, status=status, headers=headers)
            response["Content-Encoding"] = "gzip"
            if etag := response.get("ETag"):
                response["ETag"] = "W/" + etag.removeprefix("W/").removesuffix('"') + '-gzip"'
        else:
            response = HttpResponse(content, status=status, headers=headers)
        response["Content-Length"] = str(len(response.content))
        return response


def accepts_gzip(request):
    """Whether the request's Accept-Encoding takes gzip: named, and not refused with ``q=0``."""
    for coding in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        name, *params = (part.strip().lower() for part in coding.split(";"))
        if name == "gzip":
            quality = next((value for key, _, value in (p.partition("=") for p in params) if key == "q"), "1")
            try:
                return float(quality) > 0
            except ValueError:
                return False
    return False


def _compressible(response):
    return (
        len(response.content) >= COMPRESSED_FROM_BYTES
        and not response.has_header("Content-Encoding")
        and response.get("Content-Type", "").startswith(COMPRESSED_TYPES)
    )


def _stored_size(stored):
    """A stored page's size in a process's copies (``LocalCopies``): both copies of its content."""
    content, compressed = stored[-2:]
    return len(content) + len(compressed or b"")
