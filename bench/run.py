"""``make bench``: Newsroom under load, as in production, measured with wrk on loopback.

One run, on one machine:

1. Brings the project up as in production: ``DEBUG=False``, its own PostgreSQL
   database (``newsroom_bench``, made if missing), Redis as the cache
   (``redis://127.0.0.1:6379/5``, flushed at the start), ``migrate``,
   ``collectstatic``, and a dataset of at least 10,000 stories and 100,000
   replies from ``manage.py seed_demo`` (skipped when the counts are already
   there, so a second run starts measuring within a minute). The biggest
   section gets enough stories for its page 500 to exist; one story (the
   seed article) gets 200 approved replies and 10 tags.
2. Starts two gunicorns with ``deploy/gunicorn.conf.py`` and 2 workers: one
   with the normal settings (whole-page cache on) and one with
   ``PAGE_CACHE_SECONDS=0``; both with ``BENCH_QUERY_HEADER=1``, so one request
   per target tells how many SQL queries it costs. With nginx on the machine
   (installed with apt when possible), a throwaway nginx with the microcache
   of ``deploy/nginx.conf`` goes in front of the cached gunicorn, and also
   serves the article's HTML as a static file, for reference.
3. Measures every target with wrk (2 threads, 64 connections), interleaved:
   a short warm-up of each, then rounds over all targets, keeping each
   target's median. Latencies and counts come from ``report.lua``'s ``done``
   hook as JSON, not from wrk's rounded text.
4. Prints the table, judges the goals of issue 5, and writes
   ``bench/results/<date>-<host>.md`` and ``.json`` and ``bench/results/latest.md``.

Every process it starts is stopped on the way out, Ctrl-C included. Logs of
the servers are kept in ``bench/results/*.log.tmp`` (not committed).

Options: ``--rounds``, ``--duration`` (seconds per measurement), ``--only``
(target names, for a quick look), ``--no-nginx``, ``--no-write``; see ``--help``.
"""

import argparse
import contextlib
import datetime
import gzip
import html.parser
import importlib.metadata
import json
import math
import os
import platform
import pwd
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "bench"
RESULTS_DIR = BENCH_DIR / "results"
PYTHON = sys.executable

DATABASE = "newsroom_bench"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
CACHE_URL = "redis://127.0.0.1:6379/5"
LOOPBACK = "127.0.0.1"

MIN_ARTICLES = 10_000
MIN_COMMENTS = 100_000
DEEP_PAGE = 500
THREAD_REPLIES = 200
ARTICLE_TAGS = 10
BENCH_EMAIL_DOMAIN = "bench.invalid"
SEARCH_WORDS = ("officials", "council", "government", "minister", "report")

CONNECTIONS = 64
WRK_THREADS = 2
# What a browser asks for: the compressed copy of a page.
GZIP = {"Accept-Encoding": "gzip, deflate, br"}
WRK_TIMEOUT = "10s"
# Share of the machine's CPU that processes other than ours may use during a measurement before it is retried.
NOISE_LIMIT = 0.10
SERVICE_PROCESSES = {"postgres", "redis-server"}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

GOALS = {
    "cached_article_share": 0.70,
    "cached_article_p99_ms": 60.0,
    "uncached_article_share": 0.10,
    "uncached_article_share_aim": 0.25,
    "uncached_article_single_p50_ms": 10.0,
    "deep_page_factor": 1.5,
    "microcache_share": 0.50,
}


def say(message=""):
    print(message, flush=True)


def warn(message):
    say(f"WARNING: {message}")


# --- the environment every process of the run shares ---------------------------------------------


def state_dir():
    """Where the bench database's media and collected static files live: outside the work tree."""
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    path = root / "newsroom-bench" / DATABASE
    path.mkdir(parents=True, exist_ok=True)
    return path


def production_environment():
    """Settings as in production (DEBUG off, PostgreSQL, Redis), for manage.py and both gunicorns."""
    env = dict(os.environ)
    for name in ("PAGE_CACHE_SECONDS", "COMMENTS_PROXY_COUNT", "COMMENTS_FLOOD_SECONDS", "GUNICORN_BIND"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DEBUG="False",
        DATABASE_URL=DATABASE_URL,
        CACHE_URL=CACHE_URL,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        STATIC_ROOT=str(state_dir() / "static"),
        MEDIA_ROOT=str(state_dir() / "media"),
        SECURE_SSL_REDIRECT="False",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    # One key for every process of the run: a form token signed by one must verify in another.
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    return env


def run(command, **kwargs):
    """subprocess.run for our own fixed commands (no shell, nothing a user typed)."""
    return subprocess.run(command, **kwargs)  # noqa: S603


def manage(env, *args, check=True):
    say(f"$ manage.py {' '.join(args)}")
    return run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=check)


# --- tools -----------------------------------------------------------------------------------------


def can_use_apt():
    return shutil.which("apt-get") is not None and os.geteuid() == 0


def ensure_command(command, package, *, required):
    """The command's path, installing ``package`` with apt when it is missing and we can."""
    found = shutil.which(command)
    if found:
        return found
    if not can_use_apt():
        message = f"{command} is not installed and apt-get cannot be used here (needs root): apt-get install {package}"
        if required:
            sys.exit(message)
        warn(message)
        return None
    say(f"Installing {package} with apt-get…")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", package]
    result = run(install, env=env, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        run(["apt-get", "update", "-qq"], env=env, capture_output=True, timeout=600)
        result = run(install, env=env, capture_output=True, text=True, timeout=600)
    found = shutil.which(command)
    if not found:
        message = f"could not install {package}: {result.stderr.strip()[-500:]}"
        if required:
            sys.exit(message)
        warn(message)
    return found


def free_port():
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


# --- the processes it starts, and stops ------------------------------------------------------------


class Processes:
    """Every server this run starts, each in its own process group, stopped together on the way out."""

    def __init__(self):
        self.running = []

    def start(self, name, command, *, env, log_path, cwd=BASE_DIR):
        log = open(log_path, "w")  # noqa: SIM115 (kept open for the life of the process)
        process = subprocess.Popen(  # noqa: S603
            command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.running.append((name, process, log))
        return process

    def stop_all(self):
        for name, process, _ in reversed(self.running):
            if process.poll() is None:
                say(f"Stopping {name} (pid {process.pid})…")
                _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for _, process, _ in self.running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait(timeout=5)
        for _, _, log in self.running:
            log.close()
        self.running = []


def _signal_group(process, signum):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def raise_interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def get(url, *, data=None, headers=None, timeout=30):
    """(status, headers, body) of one request; redirects are not followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310 (loopback only)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def wait_until_up(url, process, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{url} did not start; the end of {log_path}:\n{tail(log_path)}")
        try:
            if get(url, timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit(f"{url} did not answer within {timeout}s; the end of {log_path}:\n{tail(log_path)}")


def tail(path, lines=40):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def start_gunicorn(processes, meter, name, env, log_path):
    port = free_port()
    env = {**env, "GUNICORN_BIND": f"{LOOPBACK}:{port}", "WEB_CONCURRENCY": "2", "BENCH_QUERY_HEADER": "1"}
    # No control socket: gunicorn's default path is one per user, shared with any other gunicorn running.
    command = [PYTHON, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "--no-control-socket", "newsroom.wsgi"]
    process = processes.start(name, command, env=env, log_path=log_path)
    meter.groups.add(process.pid)
    base = f"http://{LOOPBACK}:{port}"
    wait_until_up(f"{base}/healthz/", process, log_path)
    say(f"{name}: {base} (pid {process.pid}, log {log_path.relative_to(BASE_DIR)})")
    return base


# --- nginx, with the recipe's microcache ----------------------------------------------------------


def block(text, opening):
    """The ``opening { … }`` block of an nginx config, braces balanced."""
    start = text.index(opening)
    depth = 0
    for index in range(text.index("{", start), len(text)):
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        if depth == 0:
            return text[start : index + 1]
    raise ValueError(f"unbalanced block {opening!r}")


def nginx_config(recipe, *, workdir, port, app_port, static_dir):
    """deploy/nginx.conf's microcache (cache path, upstream, map, gzip, ``location /``) on a loopback port.

    Taken from the recipe's text, so the benchmark measures what is deployed;
    only paths and ports change, TLS is left out and access logs are off
    (for the static file too).
    """
    cache_path = re.search(r"^proxy_cache_path\s+\S+\s+(.*);$", recipe, re.M)
    upstream = re.sub(r"server\s+[\d.:]+;", f"server {LOOPBACK}:{app_port};", block(recipe, "upstream newsroom_app"))
    gzip = "\n".join(f"        {line.strip()}" for line in re.findall(r"^\s*gzip[^;]*;", recipe, re.M))
    built_without = run(["nginx", "-V"], capture_output=True, text=True).stderr
    temp_paths = [("client_body_temp_path", "body"), ("proxy_temp_path", "proxy")]
    temp_paths += [
        (f"{module}_temp_path", module)
        for module in ("fastcgi", "uwsgi", "scgi")
        if f"--without-http_{module}_module" not in built_without
    ]
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    maps = "\n    ".join(block(recipe, opening) for opening in re.findall(r"^map \S+ \S+", recipe, re.M))
    temps = "\n".join(f"    {directive} {workdir / name};" for directive, name in temp_paths)
    return f"""# Made by bench/run.py from deploy/nginx.conf; thrown away after the run.
{user}
worker_processes auto;
pid {workdir / "nginx.pid"};
error_log {workdir / "error.log"} warn;
daemon off;
events {{ worker_connections 768; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    types {{ text/html html; }}
    default_type application/octet-stream;
{temps}
    proxy_cache_path {workdir / "cache"} {cache_path.group(1)};
    {upstream}
    {maps}
    server {{
        listen {LOOPBACK}:{port};
        server_name localhost;
{gzip}
        location /bench-static/ {{
            alias {static_dir}/;
        }}
        {block(recipe, "location / ")}
    }}
}}
"""


def start_nginx(processes, meter, app_base, workdir, article_html, log_path):
    recipe = (BASE_DIR / "deploy" / "nginx.conf").read_text()
    static_dir = workdir / "static"
    static_dir.mkdir()
    (static_dir / "article.html").write_bytes(article_html)
    (static_dir / "article.html.gz").write_bytes(gzip.compress(article_html))  # for gzip_static
    port = free_port()
    conf = workdir / "nginx.conf"
    app_port = int(app_base.rsplit(":", 1)[1])
    conf.write_text(nginx_config(recipe, workdir=workdir, port=port, app_port=app_port, static_dir=static_dir))
    checked = run(["nginx", "-t", "-p", str(workdir), "-c", str(conf)], capture_output=True, text=True)
    if checked.returncode != 0:
        warn(f"nginx refused the generated config ({conf}):\n{checked.stderr}")
        return None
    command = ["nginx", "-p", str(workdir), "-c", str(conf)]
    process = processes.start("nginx", command, env=dict(os.environ), log_path=log_path)
    meter.groups.add(process.pid)
    base = f"http://{LOOPBACK}:{port}"
    wait_until_up(f"{base}/bench-static/article.html", process, log_path)
    say(f"nginx: {base} (pid {process.pid}, microcache in {workdir / 'cache'})")
    return base


# --- the dataset -----------------------------------------------------------------------------------


def ensure_database():
    query = "SELECT datname FROM pg_database"
    psql = ["psql", "-h", LOOPBACK, "-U", "postgres", "-d", "postgres", "-tAc", query]
    if DATABASE not in run(psql, capture_output=True, text=True, check=True).stdout.split():
        say(f"Creating the database {DATABASE}…")
        run(["createdb", "-h", LOOPBACK, "-U", "postgres", DATABASE], check=True)


def setup_django(env):
    os.environ.update(env)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def dataset_counts():
    from django.apps import apps
    from django.conf import settings
    from django.db.models import Count, Q

    from articles.models import Article, Section

    published = Article.objects.published()
    sections = (
        Section.objects.annotate(stories=Count("articles", filter=Q(articles__in=published)))
        .order_by("-stories", "position")
        .values_list("slug", "stories")
    )
    biggest = sections.first() or (None, 0)
    counts = {
        "articles": Article.objects.count(),
        "published": published.count(),
        "generated": Article.objects.filter(slug__startswith="generated-").count(),
        "sections": dict(sections),
        "biggest_section": biggest[0],
        "biggest_section_pages": math.ceil(biggest[1] / settings.ARTICLES_PER_PAGE),
        "comments": None,
        "approved_comments": None,
        "no_search_vector": published.filter(search_vector__isnull=True).count(),
    }
    if apps.is_installed("comments"):
        Comment = apps.get_model("comments", "Comment")
        counts["comments"] = Comment.objects.count()
        counts["approved_comments"] = Comment.objects.approved().count()
    return counts


def ensure_dataset(env, articles, comments):
    """seed_demo, then seed_demo --articles N --comments M, only for what is missing.

    The biggest section must reach page DEEP_PAGE: if it does not, N grows
    (the generated stories are spread over sections by fixed weights).
    """
    from django.conf import settings

    counts = dataset_counts()
    needed_in_section = DEEP_PAGE * settings.ARTICLES_PER_PAGE
    comments_tried = False
    for _ in range(4):
        enough_articles = counts["generated"] >= articles and counts["biggest_section_pages"] >= DEEP_PAGE
        enough_comments = counts["comments"] is None or counts["comments"] >= comments or comments_tried
        if enough_articles and enough_comments:
            break
        if counts["published"] == 0 or counts["generated"] == 0:
            manage(env, "seed_demo")
        args = ["seed_demo", "--articles", str(articles)]
        if not enough_comments:
            args += ["--comments", str(comments)]
            comments_tried = True
        started = time.monotonic()
        if manage(env, *args, check=False).returncode != 0:
            if "--comments" not in args:
                sys.exit("seed_demo failed; see above.")
            warn("seed_demo --comments failed; seeding the stories without replies")
            manage(env, *args[:3])
        say(f"Seeded in {time.monotonic() - started:.0f}s.")
        counts = dataset_counts()
        biggest = counts["sections"].get(counts["biggest_section"], 0)
        if counts["biggest_section_pages"] < DEEP_PAGE and biggest:
            share = biggest / max(counts["published"], 1)
            articles = max(articles, math.ceil(needed_in_section / share * 1.05 / 1000) * 1000)
            say(f"{counts['biggest_section']} has {counts['biggest_section_pages']} pages; seeding up to {articles:,}.")
    problems = []
    if counts["biggest_section_pages"] < DEEP_PAGE:
        problems.append(f"no section reaches page {DEEP_PAGE} (biggest: {counts['biggest_section_pages']} pages)")
    if counts["comments"] is None:
        problems.append("the comments app is not installed: no replies in the dataset")
    elif counts["comments"] < comments:
        problems.append(
            f"only {counts['comments']:,} replies in the dataset, not {comments:,}: "
            "`seed_demo --comments` did not make them (not wired to the comments app yet?)"
        )
    for problem in problems:
        warn(problem)
    return counts, problems


def fill_search_vectors(counts):
    """Stories loaded in bulk without their search vector would be invisible to search; compute them."""
    from articles.models import Article

    missing = counts["no_search_vector"]
    if not missing:
        return None
    problem = f"{missing:,} published stories had no search vector (bulk-loaded without one); computed them here"
    warn(problem)
    Article.objects.filter(search_vector__isnull=True).refresh_search_vectors()
    return problem


def analyze_database():
    """Fresh planner statistics, as autovacuum would have them on a live site after a bulk load.

    Without them, PostgreSQL plans the just-seeded tables as if they were
    empty (estimates of 1 row for 6,000) and picks nested loops that take
    seconds: the benchmark would measure the missing statistics, not the app.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def choose_article():
    """The seed article (the WordPress comparison's page) or, failing that, the most-tagged open story."""
    from django.db.models import Count

    from articles.models import Article

    published = Article.objects.published().select_related("section")
    try:
        from articles.demo.content import IRAN_HEADLINE

        story = published.filter(headline=IRAN_HEADLINE).first()
    except ImportError:
        story = None
    if story is None:
        story = (
            published.exclude(slug__startswith="generated-")
            .annotate(tag_count=Count("tagged_items"))
            .order_by("-tag_count", "-published_at")
            .first()
        )
    return story


def ensure_thread(story):
    """Give ``story`` THREAD_REPLIES approved replies (a third of them answers) and ARTICLE_TAGS tags.

    Replies go in with bulk_create, rendered as ``Comment.save()`` would. The
    story's comments are opened if they were closed, for the posting test.
    """
    from django.apps import apps
    from django.db import transaction
    from django.db.models import Count
    from django.utils import timezone

    from articles.models import Article, Tag

    notes = []
    tags = {tag.name for tag in story.tags.all()}
    if len(tags) < ARTICLE_TAGS:
        popular = (
            Tag.objects.exclude(name__in=tags)
            .annotate(uses=Count("tagged_articles"))
            .order_by("-uses", "name")
            .values_list("name", flat=True)
        )
        story.tags.add(*popular[: ARTICLE_TAGS - len(tags)])
        Article.objects.filter(pk=story.pk).refresh_search_vectors()
        notes.append(f"added {ARTICLE_TAGS - len(tags)} tags to the article (it had {len(tags)})")
    if not story.comments_open:
        Article.objects.filter(pk=story.pk).update(comments_open=True)
        notes.append("opened the article's comments")
    if not apps.is_installed("comments"):
        return [*notes, "the comments app is not installed: the article has no replies"]
    Comment = apps.get_model("comments", "Comment")
    have = Comment.objects.approved().filter(article=story).count()
    if have < THREAD_REPLIES:
        missing = THREAD_REPLIES - have
        now = timezone.now()
        start = max(story.published_at, now - datetime.timedelta(days=2))
        step = (now - start) / (missing + 1)

        def reply(n, parent=None):
            made = Comment(
                article=story,
                parent=parent,
                author=f"Reader {have + n + 1}",
                email=f"reader{have + n + 1}@readers.example",
                text=f"Reply {have + n + 1}. The figures in the third paragraph deserve a closer look.",
                status=Comment.Status.APPROVED,
                created_at=start + step * (n + 1),
            )
            made.render()
            return made

        top_level = missing - missing // 3
        with transaction.atomic():
            parents = Comment.objects.bulk_create([reply(n) for n in range(top_level)])
            answers = [reply(n, parents[n % len(parents)]) for n in range(top_level, missing)]
            Comment.objects.bulk_create(answers)
        notes.append(f"added {missing} approved replies to the article (it had {have})")
    # What the story's last save does once committed: its closest stories ranked and stored with it. (Here the
    # archive was loaded in bulk after the story was saved, which forgets stored rankings: see seed_demo.)
    Article.objects.rank_related(story.pk)
    return notes


def forget_posted_replies():
    """Replies posted by an earlier run of the posting test: gone, so every run starts from the same data."""
    from django.apps import apps

    if not apps.is_installed("comments"):
        return 0
    Comment = apps.get_model("comments", "Comment")
    deleted, _ = Comment.objects.filter(email__endswith=f"@{BENCH_EMAIL_DOMAIN}").delete()
    return deleted


def choose_tag_and_word():
    from django.db.models import Count, Q

    from articles.models import Article, Tag

    published = Article.objects.published()
    tag = (
        Tag.objects.annotate(stories=Count("tagged_articles", filter=Q(tagged_articles__content_object__in=published)))
        .order_by("-stories", "name")
        .first()
    )
    hits = {word: published.search(word).count() for word in SEARCH_WORDS}
    word = max(hits, key=hits.get)
    return tag, word, hits[word]


# --- wrk -------------------------------------------------------------------------------------------


@dataclass
class Target:
    name: str
    label: str
    server: str  # cached | uncached | nocache (Django's cache off) | nginx
    path: str
    connections: int = CONNECTIONS
    script: str = "report.lua"
    env: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    sql_queries: str = "—"
    cache_status: str = ""
    runs: list = field(default_factory=list)


def wrk(url, *, connections, duration, script="report.lua", env=None, headers=None):
    threads = min(WRK_THREADS, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", WRK_TIMEOUT, "-s", script]
    command += [argument for name, value in (headers or {}).items() for argument in ("-H", f"{name}: {value}")]
    command.append(url)
    result = run(
        command, cwd=BENCH_DIR, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=duration + 60
    )
    for line in result.stdout.splitlines():
        if line.startswith("WRK_JSON "):
            return json.loads(line.removeprefix("WRK_JSON "))
    raise RuntimeError(f"wrk printed no JSON for {url}:\n{result.stdout}\n{result.stderr}")


def summarise(run):
    seconds = run["duration_us"] / 1e6
    errors = run["errors"]
    return {
        "rps": run["requests"] / seconds if seconds else 0.0,
        "p50_ms": run["latency_us"]["p50"] / 1000,
        "p99_ms": run["latency_us"]["p99"] / 1000,
        "requests": run["requests"],
        "errors": sum(errors.get(kind, 0) for kind in ("connect", "read", "write", "status", "timeout")),
        "cpu_ms": run["server_cpu_ms"] / run["requests"] if run.get("server_cpu_ms") and run["requests"] else None,
    }


def median_of(target):
    rounds = [summarise(run) for run in target.runs]
    if not rounds:
        return None
    statuses = {}
    for run in target.runs:
        for code, n in run.get("statuses", {}).items():
            statuses[code] = statuses.get(code, 0) + n
    return {
        "rps": statistics.median(r["rps"] for r in rounds),
        "p50_ms": statistics.median(r["p50_ms"] for r in rounds),
        "p99_ms": statistics.median(r["p99_ms"] for r in rounds),
        "requests": sum(r["requests"] for r in rounds),
        "errors": sum(r["errors"] for r in rounds),
        "rounds_rps": [round(r["rps"], 1) for r in rounds],
        "statuses": dict(sorted(statuses.items())),
        "foreign_cpu_max": max(run.get("foreign_cpu", 0.0) for run in target.runs),
        "cpu_ms": statistics.median(costs) if (costs := [r["cpu_ms"] for r in rounds if r["cpu_ms"]]) else None,
    }


# --- the form ---------------------------------------------------------------------------------------


class ReplyFormParser(html.parser.HTMLParser):
    """The action and the hidden and honeypot inputs of ``<form id="commentform">``."""

    def __init__(self):
        super().__init__()
        self.inside = False
        self.action = None
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "commentform":
            self.inside = True
            self.action = attrs.get("action", "").split("#")[0]
        elif (
            tag == "input"
            and self.inside
            and attrs.get("name")
            and (attrs.get("type") == "hidden" or attrs["name"] == "honeypot")
        ):
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def prepare_posting(base, article_path, min_seconds):
    """The form's action and hidden fields, read from the article page, once its token is old enough.

    Also posts one reply by hand, to read its SQL query count and check the
    status before wrk sends thousands.
    """
    fetched = time.monotonic()
    status, _, body = get(base + article_path)
    parser = ReplyFormParser()
    parser.feed(body.decode("utf-8", "replace"))
    if status != 200 or not parser.action or "token" not in parser.fields:
        return None, f"no reply form on {article_path} (status {status})"
    wait = min_seconds + 0.5 - (time.monotonic() - fetched)
    if wait > 0:
        say(f"Waiting {wait:.1f}s for the form token to come of age (COMMENTS_MIN_SECONDS={min_seconds})…")
        time.sleep(wait)
    fields = urllib.parse.urlencode(parser.fields)
    sample = (
        fields
        + "&"
        + urllib.parse.urlencode(
            {
                "comment": "A first reply from the benchmark, to check the form before the load.",
                "author": "Bench Reader",
                "email": f"first@{BENCH_EMAIL_DOMAIN}",
                "url": "",
            }
        )
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": "10.255.255.254"}
    status, response_headers, _ = get(base + parser.action, data=sample.encode(), headers=headers)
    check = {"status": status, "sql_queries": response_headers.get("X-SQL-Queries", "?")}
    return {"path": parser.action, "fields": fields, "check": check}, None


# --- where the queries go ---------------------------------------------------------------------------


def query_report(targets, samples=5):
    """Each uncached page rendered in this process: its queries, SQL vs total time, the slowest one's plan.

    Rendered through Django's test client with the page cache off: first with
    an empty cache (what ``pagecache.kept()`` holds is worked out: the story,
    the related ranking and block, Most Popular, the masthead, the reply thread), then ``samples`` times more
    (median kept), as after an invalidation in production. The split between
    SQL and Python is measured without wrk or gunicorn around it. The first
    render's slowest statement gets ``EXPLAIN (ANALYZE, BUFFERS)``: this is
    where the indexes are checked against the large dataset.
    """
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from articles.pagecache import invalidate_pages

    pages = []
    with override_settings(PAGE_CACHE_SECONDS=0, ALLOWED_HOSTS=["testserver"]):
        client = Client()
        for target in targets:
            if target.server != "uncached" or target.connections != CONNECTIONS or target.name.startswith("floor"):
                continue
            client.get(target.path)  # templates, connections and the navigation warmed up
            invalidate_pages()  # as when an editor saves a story: everything kept is worked out again
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as first:
                client.get(target.path)
            first_ms = (time.perf_counter() - started) * 1000
            totals, sql_times, captured = [], [], None
            for _ in range(samples):
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(target.path)
                totals.append((time.perf_counter() - started) * 1000)
                sql_times.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
                captured = queries.captured_queries
            captured_first = first.captured_queries
            slowest = max(captured_first, key=lambda q: float(q["time"]), default=None)
            plan = ""
            if slowest and slowest["sql"].lstrip().upper().startswith("SELECT"):
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
                    plan = "\n".join(row[0] for row in cursor.fetchall())
            pages.append(
                {
                    "target": target.label,
                    "path": target.path,
                    "status": response.status_code,
                    "bytes": len(response.content),
                    "queries": len(captured),
                    "total_ms": round(statistics.median(totals), 1),
                    "sql_ms": round(statistics.median(sql_times), 1),
                    "first_queries": len(captured_first),
                    "first_ms": round(first_ms, 1),
                    "first_sql_ms": round(sum(float(q["time"]) for q in captured_first) * 1000, 1),
                    "statements": [{"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"]} for q in captured_first],
                    "slowest_plan": plan,
                    "plan_warnings": plan_warnings(plan),
                }
            )
    return pages


def plan_warnings(plan):
    """What in a plan says a query reads more than a page needs."""
    warnings = []
    scans = re.findall(r"Seq Scan on (\w+) .*?actual time=\S+ rows=(\d+) loops=(\d+)", plan)
    for table in sorted({table for table, rows, loops in scans if int(rows) * int(loops) > 1000}):
        warnings.append(f"sequential scan of {table}")
    if "external merge" in plan or re.search(r"Disk: \d+kB", plan):
        warnings.append("sort spilled to disk")
    big = [int(n) for n in re.findall(r"actual time=[\d.]+\.\.[\d.]+ rows=(\d+)", plan)]
    if big and max(big) > 5000:
        warnings.append(f"a step handles {max(big):,} rows")
    return warnings


def queries_markdown(report, pages):
    out = [
        f"# Where the queries go, {report['started']}",
        "",
        "Each uncached page rendered in-process by Django's test client (page cache off): first right after a "
        "change of content, when what the pages keep is worked out again, then again (median of 5). Total "
        "time, the part of it spent waiting for PostgreSQL, the number of statements; the first render's "
        "statements and the plan of its slowest (`EXPLAIN (ANALYZE, BUFFERS)`) on the benchmark's dataset "
        f"({report['dataset']['published']:,} published stories).",
        "",
        "| page | status | first: queries | ms | SQL ms | slowest statement ms | again: queries | ms | SQL ms "
        "| plan notes |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for page in pages:
        slowest = max((s["ms"] for s in page["statements"]), default=0)
        notes = "; ".join(page["plan_warnings"]) or "—"
        out.append(
            f"| {page['target']} | {page['status']} | {page['first_queries']} | {page['first_ms']} | "
            f"{page['first_sql_ms']} | {slowest} | {page['queries']} | {page['total_ms']} | {page['sql_ms']} | "
            f"{notes} |"
        )
    for page in pages:
        out += ["", f"## {page['target']}: `{page['path']}`", ""]
        out += [f"{n}. {s['ms']} ms: `{s['sql'][:300]}{'…' if len(s['sql']) > 300 else ''}`"
                for n, s in enumerate(page["statements"], 1)]  # fmt: skip
        if page["slowest_plan"]:
            out += ["", "Slowest statement's plan:", "", "```", page["slowest_plan"], "```"]
    return "\n".join(out) + "\n"


# --- the run ----------------------------------------------------------------------------------------


def machine_description(env):
    from django.db import connection

    def first_line(command):
        try:
            result = run(command, capture_output=True, text=True, timeout=10)
            return (result.stdout or result.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return "not found"

    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), platform.machine())
    memory_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    os_release = Path("/etc/os-release").read_text() if Path("/etc/os-release").exists() else ""
    distro = re.search(r'^PRETTY_NAME="?([^"\n]*)', os_release, re.M)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    import redis

    redis_version = redis.Redis.from_url(CACHE_URL).info("server")["redis_version"]
    git = run(["git", "describe", "--always", "--dirty"], cwd=BASE_DIR, capture_output=True, text=True)
    return {
        "host": socket.gethostname(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "ram_gib": round(memory_kb / 1024 / 1024, 1),
        "os": distro.group(1) if distro else platform.system(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": importlib.metadata.version("django"),
        "gunicorn": importlib.metadata.version("gunicorn"),
        "postgresql": postgres,
        "redis": redis_version,
        "wrk": first_line(["wrk", "-v"]),
        "nginx": first_line(["nginx", "-v"]) if shutil.which("nginx") else "not installed",
        "commit": git.stdout.strip(),
    }


def build_targets(story, replies, section, tag, word, *, with_nginx):
    article = story.get_absolute_url()
    pages = [
        ("home", "home", "/"),
        ("section", f"section /{section}/, page 1", f"/{section}/"),
        ("section500", f"section /{section}/, page {DEEP_PAGE}", f"/{section}/?page={DEEP_PAGE}"),
        ("article", f"article ({replies} replies)", article),
        ("related", "related", f"{article}related/"),
        ("tag", f"tag /{tag.slug}/", f"/tag/{tag.slug}/"),
        ("search", f"search ?q={word}", f"/search/?q={word}"),
        ("feed", "RSS feed", "/feed/"),
    ]
    targets = [Target("floor", "floor: /healthz/", "cached", "/healthz/")]
    targets += [Target(f"cached-{key}", f"{label}, cached", "cached", path) for key, label, path in pages]
    targets += [Target("cached-article-gzip", "article, cached, gzip", "cached", article, headers=GZIP)]
    targets += [Target("floor-nocache", "floor: /healthz/, page cache off", "uncached", "/healthz/")]
    targets += [Target(f"uncached-{key}", f"{label}, uncached", "uncached", path) for key, label, path in pages]
    targets += [Target("uncached-article-1conn", "article, uncached, 1 connection", "uncached", article, connections=1)]
    # Django's cache switched off: nothing kept at all, as on the first render after every change of content.
    targets += [Target("nocache-article", f"article ({replies} replies), no cache at all", "nocache", article)]
    targets += [
        Target(f"nocache-{key}", f"{label}, no cache at all", "nocache", path)
        for key, label, path in pages
        if key in ("section", "section500")
    ]
    targets += [
        Target("nocache-article-1conn", "article, no cache at all, 1 connection", "nocache", article, connections=1)
    ]
    targets += [Target("post", "post a reply", "cached", None, script="post.lua")]
    if with_nginx:
        targets += [
            Target("nginx-article", "article via nginx microcache", "nginx", article),
            Target("nginx-static", "nginx static file (the article's HTML)", "nginx", "/bench-static/article.html"),
            Target("nginx-article-gzip", "article via nginx microcache, gzip", "nginx", article, headers=GZIP),
            Target(
                "nginx-static-gzip",
                "nginx static file, gzip (gzip_static)",
                "nginx",
                "/bench-static/article.html",
                headers=GZIP,
            ),
        ]
    return targets


def measure(targets, bases, meter, *, rounds, duration, warmup, retries):
    """A warm-up of every target, then ``rounds`` rounds over all of them, each round in a new order.

    A measurement during which other processes on the machine took more than
    NOISE_LIMIT of its CPU is taken again (up to ``retries`` times, and one
    extra round's worth in all, so a busy machine cannot stretch the run
    without end), keeping the quietest; each run records how much CPU others took.
    """
    measurable = [t for t in targets if t.server in bases and (t.script != "post.lua" or t.path)]
    upstream = {"nginx": "cached"}
    say(f"\nWarm-up: {warmup}s per target…")
    for target in measurable:
        if target.script != "post.lua":
            wrk(
                bases[target.server] + target.path,
                connections=target.connections,
                duration=warmup,
                headers=target.headers,
            )
            drain(bases[upstream.get(target.server, target.server)])
    read_query_counts(measurable, bases)
    retry_budget = len(measurable)
    for round_number in range(rounds):
        # Each round starts a third of the list further on, so no target always follows the same neighbour.
        shift = round_number * len(measurable) // max(rounds, 1)
        order = measurable[shift:] + measurable[:shift]
        say(f"\nRound {round_number + 1} of {rounds} ({len(order)} targets × {duration}s)")
        for target in order:
            attempts = []
            for attempt in range(retries + 1):
                if attempt:
                    retry_budget -= 1
                before = meter.snapshot()
                measured = wrk(
                    bases[target.server] + target.path,
                    connections=target.connections,
                    duration=duration,
                    script=target.script,
                    env=target.env,
                    headers=target.headers,
                )
                after = meter.snapshot()
                measured["foreign_cpu"] = round(meter.foreign_share(before, after), 3)
                measured["server_cpu_ms"] = round(meter.server_ms(before, after), 1)
                measured["busiest_others"] = meter.busiest_others(before, after)
                drain(bases[upstream.get(target.server, target.server)])
                attempts.append(measured)
                if measured["foreign_cpu"] <= NOISE_LIMIT or retry_budget <= 0:
                    break
            kept = min(attempts, key=lambda candidate: candidate["foreign_cpu"])
            kept["attempts"] = len(attempts)
            target.runs.append(kept)
            line = summarise(kept)
            say(
                f"  {target.label:<46} {line['rps']:>9.1f} req/s  p50 {line['p50_ms']:>7.2f} ms  "
                f"p99 {line['p99_ms']:>8.2f} ms  errors {line['errors']}  others' CPU {kept['foreign_cpu']:.0%}"
                + (f" (best of {len(attempts)})" if len(attempts) > 1 else "")
            )


def drain(base, timeout=120):
    """Wait until the server has answered what wrk left queued: sync workers serve those first, in order."""
    with contextlib.suppress(OSError):
        get(f"{base}/healthz/", timeout=timeout)


@dataclass
class CpuSnapshot:
    at: float
    busy: int  # ticks the whole machine spent busy
    children: int  # ticks of our finished children (wrk)
    ticks: dict  # pid -> (kind, name, ticks); kind: "server" (under test), "ours" (shared services, us), "other"


class CpuMeter:
    """Who used the machine's CPU between two snapshots: the benchmark, or processes that are not its own.

    Ours: this script, the process groups of the servers it started, wrk
    (a waited-for child), and the PostgreSQL and Redis servers (which others
    may be using too, so the figure for others is, if anything, too low).
    The servers' own share, divided by the requests served, is a cost per
    request that holds even when others crowd the machine. Ticks are taken
    per process; one that ends between two snapshots (a recycled worker, a
    database backend closing) loses its last stretch, a slight undercount.
    """

    def __init__(self):
        self.groups = set()

    def snapshot(self):
        with open("/proc/stat") as stat:
            user, nice, system, _, _, irq, softirq, steal = (int(n) for n in stat.readline().split()[1:9])
        ticks = {}
        for pid, name, group, used in _processes():
            if group in self.groups or name == "redis-server" or (name == "postgres" and _serves_bench(pid)):
                kind = "server"
            elif name in SERVICE_PROCESSES or pid == os.getpid():
                kind = "ours"
            else:
                kind = "other"
            ticks[pid] = (kind, name, used)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return CpuSnapshot(
            time.monotonic(),
            user + nice + system + irq + softirq + steal,
            round((children.ru_utime + children.ru_stime) * CLOCK_TICKS),
            ticks,
        )

    @staticmethod
    def _used(before, after, kinds):
        """Ticks used between the snapshots by the processes of these kinds, by name."""
        used = {}
        for pid, (kind, name, ticks) in after.ticks.items():
            if kind in kinds:
                earlier = before.ticks.get(pid)
                used[name] = used.get(name, 0) + ticks - (earlier[2] if earlier and earlier[1] == name else 0)
        return used

    def foreign_share(self, before, after):
        capacity = (after.at - before.at) * CLOCK_TICKS * (os.cpu_count() or 1)
        ours = sum(self._used(before, after, {"server", "ours"}).values()) + after.children - before.children
        return max(0.0, (after.busy - before.busy - ours) / capacity) if capacity else 0.0

    def server_ms(self, before, after):
        return sum(self._used(before, after, {"server"}).values()) * 1000 / CLOCK_TICKS

    def busiest_others(self, before, after, count=3):
        """The other processes that used the most CPU between the snapshots, with their share of one core."""
        seconds = max(after.at - before.at, 1e-3)
        top = sorted(self._used(before, after, {"other"}).items(), key=lambda item: -item[1])[:count]
        return ", ".join(f"{name} {ticks / CLOCK_TICKS / seconds:.0%}" for name, ticks in top if ticks > 0)

    def wait_for_quiet(self, patience):
        """Give other work on the machine up to ``patience`` seconds to calm down; the share they still take."""
        deadline = time.monotonic() + patience
        while True:
            before = self.snapshot()
            time.sleep(3)
            after = self.snapshot()
            share = self.foreign_share(before, after)
            if share <= NOISE_LIMIT or time.monotonic() >= deadline:
                return share, self.busiest_others(before, after)
            say(f"Other processes use {share:.0%} of the CPU ({self.busiest_others(before, after)}); waiting…")
            time.sleep(7)


def _processes():
    """(pid, name, process group, CPU ticks) of every process."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            raw = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        yield int(entry.name), name, int(fields[2]), int(fields[11]) + int(fields[12])


def _serves_bench(pid):
    """Is this PostgreSQL backend connected to the benchmark's database? (Its title names the database.)"""
    try:
        return f" {DATABASE} " in Path(f"/proc/{pid}/cmdline").read_text()
    except OSError:
        return False


def read_query_counts(targets, bases):
    """One request per target, after the warm-up: X-SQL-Queries, and X-Page-Cache or X-Microcache."""
    for target in targets:
        if target.server not in bases or target.script == "post.lua":
            continue
        url = bases[target.server] + target.path
        status, headers, _ = get(url, headers=target.headers)
        if target.server == "nginx":
            target.cache_status = f"nginx {headers.get('X-Microcache', '-')}"
            continue
        target.sql_queries = headers.get("X-SQL-Queries", "?")
        target.cache_status = {"cached": headers.get("X-Page-Cache", ""), "nocache": "none"}.get(target.server, "off")
        if status >= 400:
            warn(f"{target.label}: {url} answered {status}")


def evaluate(results, floor):
    """Each goal of issue 5 against the run's medians.

    Ratios are judged on requests/s, as the issue states them. Beside each,
    the servers' CPU time per request for both sides: it hardly moves when
    others crowd the machine, so it tells a noisy run's story too (it leaves
    out wrk and the kernel's share of loopback, so its ratio is not the
    requests/s ratio an idle machine would show).
    """
    floor_rps, floor_cpu = floor["rps"], floor["cpu_ms"]

    def share(name):
        result = results.get(name)
        return result["rps"] / floor_rps if result and floor_rps else None

    def by_cpu(name, reference_cpu=None, reference="floor"):
        result = results.get(name)
        reference_cpu = reference_cpu or floor_cpu
        if not (result and result["cpu_ms"] and reference_cpu):
            return ""
        return f" (server CPU per request: {result['cpu_ms']:.2f} ms vs {reference_cpu:.2f} ms for the {reference})"

    def judged(goal, measured, ok):
        return {"goal": goal, "measured": measured, "verdict": "n/a" if ok is None else ("PASS" if ok else "FAIL")}

    goals = []
    cached = results.get("cached-article")
    if cached:
        ok = (
            share("cached-article") >= GOALS["cached_article_share"]
            and cached["p99_ms"] <= GOALS["cached_article_p99_ms"]
        )
        goals.append(
            judged(
                f"cached article ≥ {GOALS['cached_article_share']:.0%} of the floor, "
                f"p99 ≤ {GOALS['cached_article_p99_ms']:.0f} ms at {CONNECTIONS} connections",
                f"{share('cached-article'):.0%} of the floor{by_cpu('cached-article')}, p99 {cached['p99_ms']:.1f} ms",
                ok,
            )
        )
    uncached, single = results.get("uncached-article"), results.get("uncached-article-1conn")
    if uncached and single:
        ratio = share("uncached-article")
        ok = ratio >= GOALS["uncached_article_share"] and single["p50_ms"] < GOALS["uncached_article_single_p50_ms"]
        aim = "aim met" if ratio >= GOALS["uncached_article_share_aim"] else "aim not met"
        goals.append(
            judged(
                f"uncached article ≥ {GOALS['uncached_article_share']:.0%} of the floor "
                f"(aim {GOALS['uncached_article_share_aim']:.0%}), median < "
                f"{GOALS['uncached_article_single_p50_ms']:.0f} ms at 1 connection",
                f"{ratio:.1%} of the floor{by_cpu('uncached-article')} ({aim}), "
                f"median {single['p50_ms']:.2f} ms at 1 connection",
                ok,
            )
        )
    nocache, nocache_single = results.get("nocache-article"), results.get("nocache-article-1conn")
    if nocache and nocache_single:
        ratio = share("nocache-article")
        ok = (
            ratio >= GOALS["uncached_article_share"]
            and nocache_single["p50_ms"] < GOALS["uncached_article_single_p50_ms"]
        )
        goals.append(
            judged(
                "the same with Django's cache off altogether (nothing kept: the first render after every change)",
                f"{ratio:.1%} of the floor{by_cpu('nocache-article')}, "
                f"median {nocache_single['p50_ms']:.2f} ms at 1 connection",
                ok,
            )
        )
    # Judged where every request reads the page's rows: with the page cache off the cards of both are kept.
    first, deep = results.get("nocache-section"), results.get("nocache-section500")
    if first and deep:
        factor = deep["p50_ms"] / first["p50_ms"]
        goals.append(
            judged(
                f"section page {DEEP_PAGE} within {GOALS['deep_page_factor']}× the time of page 1 "
                "(no cache at all, p50)",
                f"{deep['p50_ms']:.1f} ms vs {first['p50_ms']:.1f} ms: {factor:.2f}×",
                factor <= GOALS["deep_page_factor"],
            )
        )
    micro, static = results.get("nginx-article"), results.get("nginx-static")
    if micro and static:
        ratio = micro["rps"] / static["rps"]
        goals.append(
            judged(
                f"article through the nginx microcache ≥ {GOALS['microcache_share']:.0%} of nginx serving "
                "a static file",
                f"{micro['rps']:,.0f} vs {static['rps']:,.0f} req/s: {ratio:.0%}"
                f"{by_cpu('nginx-article', static['cpu_ms'], 'static file')}",
                ratio >= GOALS["microcache_share"],
            )
        )
    else:
        goals.append(judged("nginx microcache ≥ 50% of nginx static", "nginx not run", None))
    return goals


def table_rows(targets, results, floor_rps):
    rows = []
    for target in targets:
        result = results.get(target.name)
        if result is None:
            continue
        rows.append(
            {
                "target": target.label,
                "server": target.server,
                "path": target.path,
                "connections": target.connections,
                "rps": round(result["rps"], 1),
                "p50_ms": round(result["p50_ms"], 2),
                "p99_ms": round(result["p99_ms"], 2),
                "errors": result["errors"],
                "requests": result["requests"],
                "sql_queries": target.sql_queries,
                "cache": target.cache_status,
                "floor_share": round(result["rps"] / floor_rps, 3) if floor_rps else None,
                "server_cpu_ms": round(result["cpu_ms"], 2) if result["cpu_ms"] else None,
                "rounds_rps": result["rounds_rps"],
                "statuses": result["statuses"],
                "foreign_cpu_max": result["foreign_cpu_max"],
            }
        )
    return rows


def text_table(rows):
    header = (
        f"{'target':<44} {'conn':>4} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'SQL':>4} {'floor':>6} "
        f"{'CPU ms':>7} {'others':>6}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        share = f"{row['floor_share']:.0%}" if row["floor_share"] is not None else "—"
        cpu = f"{row['server_cpu_ms']:.2f}" if row["server_cpu_ms"] else "—"
        lines.append(
            f"{row['target'][:44]:<44} {row['connections']:>4} {row['rps']:>9,.1f} {row['p50_ms']:>8.2f} "
            f"{row['p99_ms']:>8.2f} {row['errors']:>7} {row['sql_queries']:>4} {share:>6} {cpu:>7} "
            f"{row['foreign_cpu_max']:>6.0%}"
        )
    return "\n".join(lines)


def _number(value):
    return "none (no comments app)" if value is None else f"{value:,}"


def markdown(report):
    machine, dataset, rows = report["machine"], report["dataset"], report["rows"]
    out = [
        f"# Newsroom benchmark, {report['started']}",
        "",
        f"`make bench` on `{machine['host']}` at commit `{machine['commit']}`. "
        f"wrk, {WRK_THREADS} threads, {CONNECTIONS} connections unless stated, loopback; "
        f"{report['settings']['rounds']} interleaved rounds of {report['settings']['duration']}s per target "
        f"after a {report['settings']['warmup']}s warm-up; each figure is the median of the rounds. "
        f"gunicorn `-c deploy/gunicorn.conf.py`, WEB_CONCURRENCY=2 (sync workers), DEBUG=False, "
        "PostgreSQL, Redis cache.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *[f"| {key} | {value} |" for key, value in machine.items()],
        "",
        "## Dataset",
        "",
        f"- stories: {dataset['articles']:,} ({dataset['published']:,} published, {dataset['generated']:,} generated)",
        f"- sections: {', '.join(f'{slug} {n:,}' for slug, n in dataset['sections'].items())}; "
        f"the section measured is `{dataset['biggest_section']}` ({dataset['biggest_section_pages']:,} pages)",
        f"- replies: {_number(dataset['comments'])} ({_number(dataset['approved_comments'])} approved)",
        f"- the article: `{dataset['article']}`, {dataset['article_replies']} approved replies, "
        f"{dataset['article_tags']} tags",
        f"- tag page: `{dataset['tag']}` ({dataset['tag_stories']:,} stories); search word `{dataset['search_word']}` "
        f"({dataset['search_hits']:,} hits)",
        "",
        "## Results",
        "",
        f"Floor: /healthz/ (a trivial view of ours, no database, outside the page cache) through the same "
        f"gunicorn stack, measured on both servers. The ratio column uses the higher of the two "
        f"({report['floor']['rps']:,.0f} req/s, `{report['floor']['from']}`), so that it measures against the "
        f"framework's bare cost. *Uncached* means the whole-page cache is off (`PAGE_CACHE_SECONDS=0`), as for a "
        f"page whose cached copy expired or was evicted while the content stayed the same, or for a logged-in "
        f"reader: what the pages keep until the content changes (the story, the related and Most Popular "
        f"blocks, the masthead and footer, the cards, the rendered reply thread) is still used. *No cache at "
        f"all* means Django's cache is off (`CACHE_URL=dummycache://`): every request is a first render, as "
        f"after every change of content; the in-process table below times that first render too.",
        "",
        "| target | conn | req/s | p50 ms | p99 ms | errors | SQL/request | cache | × floor | server CPU ms/req "
        "| others' CPU |",
        "|---|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|",
    ]
    for row in rows:
        share = f"{row['floor_share']:.0%}" if row["floor_share"] is not None else "—"
        cpu = f"{row['server_cpu_ms']:.2f}" if row["server_cpu_ms"] else "—"
        out.append(
            f"| {row['target']} | {row['connections']} | {row['rps']:,.0f} | {row['p50_ms']:.2f} | "
            f"{row['p99_ms']:.2f} | {row['errors']} | {row['sql_queries']} | {row['cache']} | {share} | {cpu} | "
            f"{row['foreign_cpu_max']:.0%} |"
        )
    out += [
        "",
        "*server CPU ms/req*: CPU time of the servers under test (gunicorn, nginx, Redis and our database's "
        "PostgreSQL backends) per request served, median of the rounds; unlike requests/s it hardly moves when "
        "other processes crowd the machine. *others' CPU*: the largest share of the machine's CPU that processes "
        "other than the benchmark's used during any of the target's kept runs; a run over "
        f"{NOISE_LIMIT:.0%} is taken again, up to {report['settings']['noise_retries']} times, keeping the quietest. "
        f"Before the rounds, others used {report['quiet_before']:.0%}.",
    ]
    post = next((row for row in rows if row["target"] == "post a reply"), None)
    if post:
        mix = ", ".join(f"{code}: {n:,}" for code, n in post["statuses"].items()) or "none recorded"
        out += ["", f"Posting status mix (all rounds): {mix}. {report.get('posting_note', '')}"]
    out += ["", "## Goals (issue 5)", "", "| goal | measured | verdict |", "|---|---|---|"]
    out += [f"| {goal['goal']} | {goal['measured']} | **{goal['verdict']}** |" for goal in report["goals"]]
    if report["queries"]:
        out += [
            "",
            "## Where the time goes (uncached pages, in-process)",
            "",
            "One page at a time through Django's test client. *First render*: right after a change of content "
            "(`invalidate_pages()`), when what the pages keep (the story, the related ranking and "
            "block, Most Popular, the masthead, the rendered reply thread) is worked out again. *Again*: the "
            "median of 5 renders after it, the whole-page cache still off, as in the uncached wrk runs above. "
            "SQL is the time spent waiting for PostgreSQL. The first "
            "render's statements and the slowest one's plan: `bench/results/latest-queries.md`.",
            "",
            "| page | first render: queries | ms | SQL ms | slowest statement ms | again: queries | ms | SQL ms "
            "| plan notes |",
            "|---|--:|--:|--:|--:|--:|--:|--:|---|",
        ]
        for page in report["queries"]:
            slowest = max((s["ms"] for s in page["statements"]), default=0)
            out.append(
                f"| {page['target']} | {page.get('first_queries', '—')} | {page.get('first_ms', '—')} | "
                f"{page.get('first_sql_ms', '—')} | {slowest} | {page['queries']} | {page['total_ms']} | "
                f"{page['sql_ms']} | {'; '.join(page['plan_warnings']) or '—'} |"
            )
    if report["notes"]:
        out += ["", "## Notes", "", *[f"- {note}" for note in report["notes"]]]
    out += ["", f"Reproduce: `make bench` (this run took {report['wall_seconds'] / 60:.1f} minutes).", ""]
    return "\n".join(out)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds over all targets (default 3)")
    parser.add_argument("--duration", type=int, default=6, help="seconds per measurement (default 6)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per target (default 2)")
    parser.add_argument("--articles", type=int, default=MIN_ARTICLES, help="generated stories, at least")
    parser.add_argument("--comments", type=int, default=MIN_COMMENTS, help="replies, at least")
    parser.add_argument(
        "--quiet-wait", type=int, default=180, help="seconds to wait for a busy machine to calm down (default 180)"
    )
    parser.add_argument(
        "--noise-retries",
        type=int,
        default=2,
        help=f"times a measurement is taken again when others used over {NOISE_LIMIT:.0%}% of the CPU (default 2)",
    )
    parser.add_argument("--only", nargs="*", help="measure only these targets (names as in the JSON), plus the floor")
    parser.add_argument("--no-nginx", action="store_true", help="leave nginx out even when it is installed")
    parser.add_argument("--no-write", action="store_true", help="print the table but write nothing to bench/results/")
    return parser.parse_args()


def main():
    args = parse_args()
    started_at = datetime.datetime.now().astimezone()
    started = time.monotonic()
    signal.signal(signal.SIGTERM, raise_interrupt)
    signal.signal(signal.SIGHUP, raise_interrupt)
    RESULTS_DIR.mkdir(exist_ok=True)
    ensure_command("wrk", "wrk", required=True)
    with_nginx = not args.no_nginx and ensure_command("nginx", "nginx", required=False) is not None

    env = production_environment()
    ensure_database()
    # collectstatic first, as a deploy does: with DEBUG off, anything that resolves a static URL while
    # importing (the URLconf, during migrate's checks) needs the manifest to exist already.
    manage(env, "collectstatic", "--noinput", "-v", "0")
    manage(env, "migrate", "--noinput", "-v", "0")
    setup_django(env)

    from django.conf import settings
    from django.core.cache import cache
    from django.db import connections

    counts, notes = ensure_dataset(env, args.articles, args.comments)
    if (problem := fill_search_vectors(counts)) is not None:
        notes.append(problem)
    analyze_database()
    removed = forget_posted_replies()
    if removed:
        say(f"Removed {removed:,} replies left by an earlier posting test.")
    story = choose_article()
    if story is None:
        sys.exit("No published story to measure.")
    notes += ensure_thread(story)
    tag, word, hits = choose_tag_and_word()
    from django.apps import apps

    approved_on_story = (
        apps.get_model("comments", "Comment").objects.approved().filter(article=story).count()
        if apps.is_installed("comments")
        else 0
    )
    counts = dataset_counts()
    dataset = {
        **counts,
        "article": story.get_absolute_url(),
        "article_replies": approved_on_story,
        "article_tags": story.tags.count(),
        "tag": tag.slug,
        "tag_stories": tag.stories,
        "search_word": word,
        "search_hits": hits,
    }
    machine = machine_description(env)
    min_seconds = settings.COMMENTS_MIN_SECONDS
    cache.clear()
    connections.close_all()
    say(f"Dataset: {json.dumps(dataset, default=str)}")

    targets = build_targets(story, approved_on_story, counts["biggest_section"], tag, word, with_nginx=with_nginx)
    if args.only:
        targets = [t for t in targets if t.name in {"floor", "floor-nocache", *args.only}]
    processes = Processes()
    meter = CpuMeter()
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    servers = ("gunicorn-cached", "gunicorn-uncached", "gunicorn-nocache", "nginx")
    logs = {name: RESULTS_DIR / f"{name}.log.tmp" for name in servers}
    posting_note = ""
    quiet_before = 0.0
    try:
        bases = {
            # The posting test runs here: one proxy's worth of X-Forwarded-For is trusted, as behind nginx.
            "cached": start_gunicorn(
                processes, meter, "gunicorn-cached", {**env, "COMMENTS_PROXY_COUNT": "1"}, logs["gunicorn-cached"]
            ),
            "uncached": start_gunicorn(
                processes, meter, "gunicorn-uncached", {**env, "PAGE_CACHE_SECONDS": "0"}, logs["gunicorn-uncached"]
            ),
        }
        if any(t.server == "nocache" for t in targets):
            nocache = {**env, "PAGE_CACHE_SECONDS": "0", "CACHE_URL": "dummycache://"}
            bases["nocache"] = start_gunicorn(processes, meter, "gunicorn-nocache", nocache, logs["gunicorn-nocache"])
        if with_nginx and any(t.server == "nginx" for t in targets):
            _, _, article_html = get(bases["cached"] + story.get_absolute_url())
            nginx = start_nginx(processes, meter, bases["cached"], workdir, article_html, logs["nginx"])
            if nginx:
                bases["nginx"] = nginx
            else:
                notes.append("nginx would not start with the recipe's settings; its targets were skipped")
        post = next((t for t in targets if t.script == "post.lua"), None)
        if post:
            form, problem = prepare_posting(bases["cached"], story.get_absolute_url(), min_seconds)
            if problem:
                warn(problem)
                notes.append(f"posting skipped: {problem}")
                post.path = None
            else:
                post.path = form["path"]
                post.sql_queries = str(form["check"]["sql_queries"])
                post.env = {"BENCH_POST_PATH": form["path"], "BENCH_POST_FIELDS": form["fields"]}
                posting_note = (
                    f"A first reply posted by hand answered {form['check']['status']} "
                    f"with {form['check']['sql_queries']} SQL queries. Each request has its own email, text and "
                    "X-Forwarded-For address (the server trusts one proxy, COMMENTS_PROXY_COUNT=1); every other "
                    "spam rule is on. 303 = accepted and held for moderation."
                )
                if form["check"]["status"] != 303:
                    warn(f"the hand-posted reply answered {form['check']['status']}, not 303")
        quiet_before, noisy = meter.wait_for_quiet(args.quiet_wait)
        if quiet_before > NOISE_LIMIT:
            warn(f"other processes still use {quiet_before:.0%} of the CPU ({noisy}); measuring anyway")
            notes.append(f"before the rounds, other processes used {quiet_before:.0%} of the CPU ({noisy})")
        measure(
            targets,
            bases,
            meter,
            rounds=args.rounds,
            duration=args.duration,
            warmup=args.warmup,
            retries=args.noise_retries,
        )
    finally:
        processes.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)

    results = {t.name: median_of(t) for t in targets if t.runs}
    floors = [(results[name]["rps"], name) for name in ("floor", "floor-nocache") if name in results]
    floor_rps, floor_from = max(floors) if floors else (0.0, "none")
    floor = {"rps": round(floor_rps, 1), "from": floor_from, "cpu_ms": results.get(floor_from, {}).get("cpu_ms")}
    rows = table_rows(targets, results, floor_rps)
    goals = evaluate(results, floor)
    noisy = [run for target in targets for run in target.runs if run.get("foreign_cpu", 0) > NOISE_LIMIT]
    if noisy:
        worst = max(noisy, key=lambda run: run["foreign_cpu"])
        notes.append(
            f"{len(noisy)} of {sum(len(t.runs) for t in targets)} kept measurements ran while other processes used "
            f"more than {NOISE_LIMIT:.0%} of the CPU (at worst {worst['foreign_cpu']:.0%}: "
            f"{worst.get('busiest_others') or 'unknown'}); their requests/s are lower, and their latencies higher, "
            "than this machine gives when it is not shared"
        )
    for row in rows:
        if row["errors"]:
            notes.append(
                f"{row['target']} ({row['path']}): {row['errors']:,} errors of {row['requests']:,} requests; "
                f"statuses {row['statuses'] or 'not recorded'}; see bench/results/gunicorn-*.log.tmp"
            )
    for name, path in logs.items():
        if path.exists() and re.search(r"Traceback|ERROR", path.read_text(errors="replace")):
            notes.append(f"{name} logged errors: see {path.relative_to(BASE_DIR)}")
    with_removed = forget_posted_replies()
    say(f"\nRemoved the {with_removed:,} replies the posting test made.")
    say("Rendering each uncached page in-process for its queries and plans…")
    pages = query_report(targets)

    report = {
        "started": started_at.isoformat(timespec="seconds"),
        "wall_seconds": round(time.monotonic() - started, 1),
        "machine": machine,
        "dataset": dataset,
        "settings": {
            "rounds": args.rounds,
            "duration": args.duration,
            "warmup": args.warmup,
            "connections": CONNECTIONS,
            "wrk_threads": WRK_THREADS,
            "wrk_timeout": WRK_TIMEOUT,
            "web_concurrency": 2,
            "noise_retries": args.noise_retries,
            "noise_limit": NOISE_LIMIT,
        },
        "quiet_before": round(quiet_before, 3),
        "floor": floor,
        "rows": rows,
        "goals": goals,
        "notes": notes,
        "posting_note": posting_note,
        "queries": pages,
        "raw": {t.name: {**asdict(t), "runs": t.runs} for t in targets if t.runs},
    }
    say("\n" + text_table(rows))
    say("\nGoals:")
    for goal in goals:
        say(f"  {goal['verdict']:<5} {goal['goal']}: {goal['measured']}")
    for note in notes:
        say(f"  note: {note}")
    if not args.no_write:
        host = re.sub(r"[^A-Za-z0-9_.-]", "-", machine["host"])
        stem = RESULTS_DIR / f"{started_at:%Y-%m-%d}-{host}"
        text = markdown(report)
        stem.with_suffix(".md").write_text(text)
        stem.with_suffix(".json").write_text(json.dumps(report, indent=2, default=str) + "\n")
        (RESULTS_DIR / "latest.md").write_text(text)
        queries_text = queries_markdown(report, pages)
        Path(f"{stem}-queries.md").write_text(queries_text)
        (RESULTS_DIR / "latest-queries.md").write_text(queries_text)
        say(f"\nWrote {stem.with_suffix('.md').relative_to(BASE_DIR)}, .json and bench/results/latest.md")
    say(f"Done in {(time.monotonic() - started) / 60:.1f} minutes.")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("Interrupted; every server this run started has been stopped.")
