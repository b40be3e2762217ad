"""Newsroom settings: one module, configured from the environment.

Every value that differs between a laptop, CI and production comes from an
environment variable (or a local ``.env`` file) read by django-environ; see
``.env.example`` for the list.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SITE_NAME = env("SITE_NAME", default="The Newsroom")
SITE_DESCRIPTION = env(
    "SITE_DESCRIPTION", default="Independent reporting on politics, the world, business, science, culture and sport."
)
SITE_LANGUAGE = "en"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "taggit",
    "django_prose_editor",
    "pagecache",
    "articles",
    "comments",
    "demo",
]

MIDDLEWARE = [
    # First: X-Forwarded-* from anyone but our own proxies is dropped before anything reads it.
    "newsroom.clients.ForwardedHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Above everything that answers (static files, cached pages): every response says which features are off.
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # 304 Not Modified for pages from the cache and from the views alike (their ETag is made when stored).
    "django.middleware.http.ConditionalGetMiddleware",
    # A hit is answered here, skipping everything below: the headers GZip, CSP and X-Frame-Options add are stored.
    "pagecache.middleware.PageCacheMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.newsroom",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# redis:// URLs get django-redis (installed), which keeps one client per process.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://newsroom")}
# A release names what the processes render with (set it at each deploy, e.g. to the commit): machines of two
# releases never share a cached page or fragment.
CACHES["default"]["KEY_PREFIX"] = env("RELEASE", default="")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Hashed static files are cached "forever" (immutable) by whitenoise itself;
# the few unhashed ones (e.g. favicon.ico) keep its short default.

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="newsroom@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TAGGIT_CASE_INSENSITIVE = True

# Security headers; HTTPS-only flags switch on with SECURE_SSL_REDIRECT in production.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# The proxies in front of the app (addresses or networks, e.g. 10.0.0.0/8): only they are believed about the
# client behind them (X-Forwarded-For for flood control, read counting and stored replies; X-Forwarded-Proto
# for HTTPS). BEHIND_PROXY alone means nginx on the same host.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.1", "::1"] if BEHIND_PROXY else [])
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp) for reader pages: everything from our own
# host, no inline scripts. The admin is left out: its rich-text editor loads
# through an inline import map, and only staff reach it.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Browser features no page of ours uses, switched off for our pages and anything they embed.
PERMISSIONS_POLICY = {
    name: []
    for name in (
        "accelerometer", "ambient-light-sensor", "autoplay", "browsing-topics", "camera", "display-capture",
        "geolocation", "gyroscope", "hid", "idle-detection", "magnetometer", "microphone", "midi", "payment",
        "serial", "usb", "xr-spatial-tracking",
    )
}  # fmt: skip

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# Newsroom's own knobs.
ARTICLES_PER_PAGE = env.int("ARTICLES_PER_PAGE", default=12)
POPULAR_DAYS = 7
RENDITION_WIDTHS = (400, 800, 1200)
COMMENTS_CLOSE_AFTER_DAYS = env.int("COMMENTS_CLOSE_AFTER_DAYS", default=None)
COMMENTS_MAX_LINKS = env.int("COMMENTS_MAX_LINKS", default=2)
COMMENTS_MODERATOR_EMAILS = env.list("COMMENTS_MODERATOR_EMAILS", default=[])
# Serve uploaded media from Django (make run, make audit); production lets nginx do it.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)
LOGIN_URL = "admin:login"

# The page cache (pagecache): how long anything rendered is kept at most, whole pages and fragments alike;
# a change readers can see replaces it sooner. 0 turns the page cache off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
# When the next scheduled story goes live: the first request after that moment finds every page stale.
PAGE_CACHE_SCHEDULE = "articles.models.next_scheduled_publication"
PAGE_BROWSER_MAX_AGE = env.int("PAGE_BROWSER_MAX_AGE", default=60)
# Shared caches in front of the app (the nginx microcache) keep a page this long.
PAGE_SHARED_MAX_AGE = env.int("PAGE_SHARED_MAX_AGE", default=5)
PAGE_STALE_WHILE_REVALIDATE = env.int("PAGE_STALE_WHILE_REVALIDATE", default=300)
# A reader holding any of these cookies gets a freshly rendered, private page.
PAGE_CACHE_BYPASS_COOKIES = ("sessionid", "csrftoken", "comment_pending")
# The query parameters reader pages read (pagination, search, reply-to, sitemap pages); others share the entry.
PAGE_CACHE_QUERY_PARAMS = ("page", "q", "replytocom", "p")
PAGE_CACHE_EXCLUDED_PREFIXES = ("/admin/", "/preview/", "/comments/", "/views/", "/media/", "/static/", "/healthz/")
# Reply form defences (comments.spam): a form token younger than this is refused as a bot's...
COMMENTS_MIN_SECONDS = env.int("COMMENTS_MIN_SECONDS", default=3)
# ...and one older than this many days as stale.
COMMENTS_TOKEN_MAX_AGE_DAYS = env.int("COMMENTS_TOKEN_MAX_AGE_DAYS", default=3)
# One reply per IP address and per email address in this many seconds (0 turns flood control off).
COMMENTS_FLOOD_SECONDS = env.int("COMMENTS_FLOOD_SECONDS", default=15)
# A reader's repeated reads of one story within this many seconds count once in Most Popular (0: every read counts).
VIEWS_REPEAT_SECONDS = env.int("VIEWS_REPEAT_SECONDS", default=600)
# ...and one address counts at most this many reads of a story in that time, whatever browsers it names.
VIEWS_PER_ADDRESS = env.int("VIEWS_PER_ADDRESS", default=20)
# Approve at once a reply whose email already has an approved one (held anyway when it has too many links).
COMMENTS_APPROVE_KNOWN_AUTHORS = env.bool("COMMENTS_APPROVE_KNOWN_AUTHORS", default=False)

# Benchmark only (bench/run.py): each response says how many SQL queries it made, in X-SQL-Queries.
if env.bool("BENCH_QUERY_HEADER", default=False):
    MIDDLEWARE = ["bench.querycount.QueryCountHeaderMiddleware", *MIDDLEWARE]
