"""Newsroom's seed article against the same story in Wagtail, side by side on this machine (issue 12).

Run with Newsroom's virtualenv: ``.venv/bin/python bench/wagtail/compare.py``
(``--help`` for the options). One run:

1. Makes (or reuses) a virtualenv for Wagtail outside the repo, with the
   newest Wagtail on PyPI (``pip install wagtail gunicorn psycopg[binary]
   redis``), and copies the Wagtail project kept in ``bench/wagtail/site/``
   into a temporary folder, where its migrations are made.
2. Gives each site a fresh PostgreSQL database (``newsroom_wagcmp`` and
   ``wagtail_cmp``): Newsroom's gets ``migrate`` and ``seed_demo --if-empty``;
   the seed story (slug ``iran-leader…``: headline, standfirst, body HTML,
   tags, authors, image file) and the sections are exported from it and
   imported into Wagtail's as pages.
3. Starts four gunicorns, all with ``deploy/gunicorn.conf.py`` (2 sync
   workers, preloaded, the same keep-alive and recycling), ``DEBUG=False``:
   each site with nothing cached at all (Newsroom ``CACHE_URL=dummycache://``,
   Wagtail ``DummyCache``) and with caching on (Newsroom's page cache on
   Redis db 7; Wagtail's everything on Redis db 8 with Django's per-site
   cache middleware), both Redis databases flushed first.
4. Measures, interleaved and in alternating order (N W, W N, ...): the
   uncached article at 1 connection (``wrk -t1 -c1``: p50, and the
   gunicorns' CPU per request from ``/proc``, utime + stime of master and
   workers, and separately of the site's PostgreSQL backends), then the
   cached article at 64 connections (``wrk -t2 -c64``: requests/s). After
   the runs, each worker's memory (``VmRSS``, and PSS, which counts the
   pages shared with the preloaded master once). Before and after every
   measurement it reads how much CPU went to processes that are not the
   benchmark's; above 10 % it waits for a quieter moment and retries, and
   the share is reported.
5. Profiles both uncached pages in-process (``inprocess.py``), then writes
   ``bench/results/wagtail.md`` with the versions, the table and the verdicts.

Every server it starts is stopped on the way out (Ctrl-C included), and the
two databases and the temporary folder are dropped unless ``--keep``.
"""

import argparse
import contextlib
import datetime
import json
import os
import platform
import re
import resource
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
from bench.environment import BASE_DIR, LOOPBACK, PYTHON, run, say
from bench.servers import Processes, ensure_command, free_port, get, raise_interrupt

HERE = Path(__file__).resolve().parent
RESULTS = BASE_DIR / "bench" / "results" / "wagtail.md"
WAGTAIL_VENV = Path(tempfile.gettempdir()) / "wagtail-venv"
LAST_REPORT = Path(tempfile.gettempdir()) / "wagcmp-last-report.json"  # for --rewrite
WAGTAIL_PACKAGES = ["wagtail", "gunicorn", "psycopg[binary]", "redis"]
NEWSROOM_DB = "newsroom_wagcmp"
WAGTAIL_DB = "wagtail_cmp"
NEWSROOM_CACHE = "redis://127.0.0.1:6379/7"
WAGTAIL_CACHE = "redis://127.0.0.1:6379/8"
STORY_PREFIX = "iran-leader"
NOISE_LIMIT = 0.10
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# Issue 12's figures: the two sites measured side by side, and the leads with caching on to keep.
ISSUE = {
    "newsroom_p50_ms": 18.1,
    "newsroom_cpu_ms": 13.4,
    "wagtail_p50_ms": 15.4,
    "wagtail_cpu_ms": 12.6,
    "cached_ratio": 1.66,
    "rss_saving": 0.40,
}


def output(command, **kwargs):
    return run(command, capture_output=True, text=True, check=True, **kwargs).stdout.strip()


def load_average():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# --- tools ---------------------------------------------------------------------------------------


def ensure_wagtail_venv(venv, upgrade):
    """The Wagtail virtualenv (made if missing, upgraded on request); returns its python and its versions."""
    python = venv / "bin" / "python"
    if not python.exists():
        say(f"Making {venv}…")
        run([PYTHON, "-m", "venv", str(venv)], check=True)
        run([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
        upgrade = True
    if upgrade or run([str(python), "-c", "import wagtail, gunicorn, psycopg, redis"]).returncode != 0:
        say(f"$ pip install --upgrade {' '.join(WAGTAIL_PACKAGES)}")
        run([str(python), "-m", "pip", "install", "--quiet", "--upgrade", *WAGTAIL_PACKAGES], check=True)
    return python, package_versions(python, ["wagtail", "Django", "gunicorn", "psycopg", "redis", "Pillow"])


def package_versions(python, names):
    code = (
        "import importlib.metadata as m, json, sys\n"
        "def version(name):\n"
        "    try:\n"
        "        return m.version(name)\n"
        "    except m.PackageNotFoundError:\n"
        "        return None\n"
        "print(json.dumps({n: v for n in sys.argv[1:] if (v := version(n))}))"
    )
    return json.loads(output([str(python), "-c", code, *names]))


# --- the processes it starts, and stops ----------------------------------------------------------


def processes():
    """(pid, name, ppid, process group, CPU ticks) of every process."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            raw = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        yield int(entry.name), name, int(fields[1]), int(fields[2]), int(fields[11]) + int(fields[12])


def backend_title(pid):
    """A PostgreSQL process's title (``postgres: 15/main: user database host state`` for a backend)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
    except OSError:
        return ""


def memory(pid):
    """(VmRSS, Pss) of a process, in MiB."""
    rss = re.search(r"^VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.M)
    pss = re.search(r"^Pss:\s+(\d+) kB", Path(f"/proc/{pid}/smaps_rollup").read_text(), re.M)
    return int(rss.group(1)) / 1024, int(pss.group(1)) / 1024


@dataclass
class Snapshot:
    at: float
    busy: int  # ticks the machine spent busy
    children: int  # ticks of our finished children (wrk)
    ticks: dict  # pid -> (kind, name, ticks); kind: a server's name, "ours", or "other"


class Meter:
    """Who used the CPU between two snapshots: each server (its gunicorns; its database's backends), or others.

    Ours besides the servers: this script, wrk (a waited-for child), Redis and
    the PostgreSQL server's own processes (which others may be using too, so
    the figure for others is, if anything, too low).
    """

    def __init__(self):
        self.groups = {}  # process group -> server name
        self.databases = {}  # database -> site name

    def snapshot(self):
        with open("/proc/stat") as stat:
            user, nice, system, _, _, irq, softirq, steal = (int(n) for n in stat.readline().split()[1:9])
        ticks = {}
        for pid, name, _, group, used in processes():
            if group in self.groups:
                kind = self.groups[group]
            elif name == "postgres" and (title := backend_title(pid)) and "(" in title:  # a client's backend
                served = [site for database, site in self.databases.items() if f" {database} " in title]
                kind = f"db:{served[0]}" if served else "other"
            elif name in ("postgres", "redis-server") or pid == os.getpid():
                kind = "ours"
            else:
                kind = "other"
            ticks[pid] = (kind, name, used)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return Snapshot(
            time.monotonic(),
            user + nice + system + irq + softirq + steal,
            round((children.ru_utime + children.ru_stime) * CLOCK_TICKS),
            ticks,
        )

    @staticmethod
    def used(before, after, kinds):
        """Ticks used between the snapshots by the processes of these kinds, by name."""
        used = {}
        for pid, (kind, name, ticks) in after.ticks.items():
            if kind in kinds:
                earlier = before.ticks.get(pid)
                # By pid, not name: kernel workers rename themselves. Less than before: a new process, same pid.
                delta = ticks - earlier[2] if earlier and earlier[2] <= ticks else ticks
                name = re.sub(r"/.*", "", name) if name.startswith("kworker") else name
                used[name] = used.get(name, 0) + delta
        return used

    def ms(self, before, after, kind):
        return sum(self.used(before, after, {kind}).values()) * 1000 / CLOCK_TICKS

    def foreign_share(self, before, after):
        capacity = (after.at - before.at) * CLOCK_TICKS * (os.cpu_count() or 1)
        kinds = {kind for kind, _, _ in after.ticks.values() if kind != "other"}
        ours = sum(self.used(before, after, kinds).values()) + after.children - before.children
        return max(0.0, (after.busy - before.busy - ours) / capacity) if capacity else 0.0

    def busiest_others(self, before, after, count=3):
        seconds = max(after.at - before.at, 1e-3)
        top = sorted(self.used(before, after, {"other"}).items(), key=lambda item: -item[1])[:count]
        return ", ".join(f"{name} {ticks / CLOCK_TICKS / seconds:.0%}" for name, ticks in top if ticks > 0)

    def wait_for_quiet(self, patience):
        """Up to ``patience`` seconds for others to calm down; the share they still take, and who."""
        deadline = time.monotonic() + patience
        while True:
            before = self.snapshot()
            time.sleep(2)
            after = self.snapshot()
            share = self.foreign_share(before, after)
            if share <= NOISE_LIMIT or time.monotonic() >= deadline:
                return share, self.busiest_others(before, after)
            say(f"  others use {share:.0%} of the CPU ({self.busiest_others(before, after)}); waiting…")
            time.sleep(5)


# --- the two sites -------------------------------------------------------------------------------


@dataclass
class Server:
    site: str  # "newsroom" or "wagtail"
    mode: str  # "uncached" or "cached"
    base: str
    process: subprocess.Popen
    path: str = ""

    @property
    def name(self):
        return f"{self.site}-{self.mode}"

    def workers(self):
        return sorted(pid for pid, _, ppid, _, _ in processes() if ppid == self.process.pid)


@dataclass
class Measurement:
    server: str
    round: int
    connections: int
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    server_cpu_ms: float  # gunicorn master + workers, per request
    db_cpu_ms: float  # the site's PostgreSQL backends, per request
    others: float
    busiest: str = ""
    load: str = ""
    tries: int = 1
    extra: dict = field(default_factory=dict)


def createdb(name):
    psql = ["psql", "-h", LOOPBACK, "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-qc"]
    run([*psql, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=True)
    run(["createdb", "-h", LOOPBACK, "-U", "postgres", name], check=True)


def dropdb(name):
    psql = ["psql", "-h", LOOPBACK, "-U", "postgres", "-d", "postgres", "-qc"]
    run([*psql, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'])


def newsroom_env(state, secret_key):
    env = dict(os.environ)
    for name in ("PAGE_CACHE_SECONDS", "GUNICORN_BIND", "WEB_CONCURRENCY", "BENCH_QUERY_HEADER", "RELEASE"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DEBUG="False",
        SECRET_KEY=secret_key,
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{NEWSROOM_DB}",
        CACHE_URL="dummycache://",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        STATIC_ROOT=str(state / "newsroom-static"),
        MEDIA_ROOT=str(state / "newsroom-media"),
        SECURE_SSL_REDIRECT="False",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def wagtail_env(state, secret_key):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "VIRTUAL_ENV", "PYTHONPATH", "WAGCMP_CACHE_URL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="wagsite.settings",
        SECRET_KEY=secret_key,
        WAGCMP_DATABASE=WAGTAIL_DB,
        WAGCMP_MEDIA_ROOT=str(state / "wagtail-media"),
        WAGCMP_STATIC_ROOT=str(state / "wagtail-static"),
        PYTHONUNBUFFERED="1",
    )
    return env


def set_up_newsroom(env, story_json):
    say(f"\n== Newsroom: database {NEWSROOM_DB}, migrate, seed_demo --if-empty, collectstatic")
    createdb(NEWSROOM_DB)
    for args in (["migrate", "--noinput", "-v0"], ["seed_demo", "--if-empty"], ["collectstatic", "--noinput", "-v0"]):
        say(f"$ manage.py {' '.join(args)}")
        run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)
    run([PYTHON, str(Path(__file__)), "--export-story", str(story_json)], cwd=BASE_DIR, env=env, check=True)
    story = json.loads(story_json.read_text())["story"]
    return f"/{story['section']}/{story['slug']}/"


def export_story(path):
    """(Run inside Newsroom's settings.) The sections and the seed story, as JSON for ``import_story``."""
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from articles.models import Article, Section

    story = Article.objects.published().get(slug__startswith=STORY_PREFIX)
    data = {
        "sections": [
            {"name": s.name, "slug": s.slug, "description": s.description, "position": s.position}
            for s in Section.objects.all()
        ],
        "story": {
            "headline": story.headline,
            "slug": story.slug,
            "section": story.section.slug,
            "standfirst": story.standfirst,
            "excerpt": story.excerpt,
            "body": story.body,
            "tags": [tag.name for tag in story.tags.all()],
            "authors": [
                {"username": u.username, "first_name": u.first_name, "last_name": u.last_name}
                for u in story.authors.all()
            ],
            "image_path": story.image.path if story.image else "",
            "image_alt": story.image_alt,
            "image_caption": story.image_caption,
            "image_credit": story.image_credit,
            "published_at": story.published_at.isoformat(),
        },
    }
    Path(path).write_text(json.dumps(data, indent=2))


def set_up_wagtail(python, env, site_dir, story_json):
    say(f"\n== Wagtail: project in {site_dir}, database {WAGTAIL_DB}, makemigrations, migrate, import")
    shutil.copytree(HERE / "site", site_dir, ignore=shutil.ignore_patterns("__pycache__"))
    createdb(WAGTAIL_DB)
    for args in (
        ["makemigrations", "news", "-v0"],
        ["migrate", "--noinput", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
        ["import_story", str(story_json)],
    ):
        say(f"$ manage.py {' '.join(args)}")
        run([str(python), "manage.py", *args], cwd=site_dir, env=env, check=True)


def start_server(procs, meter, site, mode, python, env, cwd, path, logs):
    port = free_port()
    env = {**env, "GUNICORN_BIND": f"{LOOPBACK}:{port}", "WEB_CONCURRENCY": "2"}
    app = "newsroom.wsgi" if site == "newsroom" else "wagsite.wsgi"
    config = str(BASE_DIR / "deploy" / "gunicorn.conf.py")
    command = [str(python), "-m", "gunicorn", "-c", config, "--no-control-socket", app]
    log_path = logs / f"{site}-{mode}.log"
    process = procs.start(f"{site}-{mode}", command, env=env, cwd=cwd, log_path=log_path)
    server = Server(site, mode, f"http://{LOOPBACK}:{port}", process, path)
    meter.groups[process.pid] = server.name
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{server.name} did not start:\n{log_path.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            if get(server.base + path, timeout=5)[0] == 200:
                say(f"{server.name}: {server.base}{path} (pid {process.pid})")
                return server
        time.sleep(0.3)
    sys.exit(f"{server.name} did not answer in 60 s:\n{log_path.read_text()[-3000:]}")


def flush_redis():
    for url in (NEWSROOM_CACHE, WAGTAIL_CACHE):
        run(["redis-cli", "-n", url.rsplit("/", 1)[1], "flushdb"], check=True, capture_output=True)


def redis_keys(url):
    return int(output(["redis-cli", "-n", url.rsplit("/", 1)[1], "dbsize"]))


class TextParts:
    """What a page shows, for the results: its size, and whether each part of the story is there."""

    @staticmethod
    def check(html, story):
        text = html.decode()
        headline = story["headline"].replace("'", "&#x27;")
        found = {
            "headline": headline in text,
            "standfirst": story["standfirst"][:40].replace("'", "&#x27;") in text,
            "body": "Pressure and its limits" in text,
            "byline": all(person["last_name"] in text for person in story["authors"] if person["last_name"]),
            "image srcset": "srcset=" in text and " 1200w" in text,
            "tags": all(tag.replace("'", "&#x27;") in text for tag in story["tags"]),
            "section navigation": 'aria-label="Sections"' in text,
        }
        return found


# --- measuring -----------------------------------------------------------------------------------


def wrk(url, *, threads, connections, duration):
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(HERE / "report.lua"),
        url,
    ]
    result = run(command, capture_output=True, text=True, check=True)
    line = next(line for line in result.stdout.splitlines() if line.startswith("WRK-JSON "))
    return json.loads(line.removeprefix("WRK-JSON "))


def measure(meter, server, round_number, *, connections, duration, patience, retries):
    threads = 1 if connections == 1 else 2
    best = None
    for attempt in range(1, retries + 2):
        _, busiest_before = meter.wait_for_quiet(patience)
        before = meter.snapshot()
        figures = wrk(server.base + server.path, threads=threads, connections=connections, duration=duration)
        time.sleep(0.5)  # let sync workers finish what wrk left queued before reading their CPU
        after = meter.snapshot()
        requests = max(figures["requests"], 1)
        errors = sum(figures[k] for k in ("connect", "read", "write", "status", "timeout"))
        result = Measurement(
            server=server.name,
            round=round_number,
            connections=connections,
            requests=figures["requests"],
            rps=figures["requests"] / (figures["duration_us"] / 1e6),
            p50_ms=figures["p50_us"] / 1000,
            p99_ms=figures["p99_us"] / 1000,
            errors=errors,
            server_cpu_ms=meter.ms(before, after, server.name) / requests,
            db_cpu_ms=meter.ms(before, after, f"db:{server.site}") / requests,
            others=meter.foreign_share(before, after),
            busiest=meter.busiest_others(before, after) or busiest_before,
            load=load_average(),
            tries=attempt,
        )
        if best is None or result.others < best.others:
            best = result
        if result.others <= NOISE_LIMIT:
            break
        say(f"  noisy: others took {result.others:.0%} ({result.busiest}); again")
    if best.errors:
        say(f"  WARNING: {best.errors} errors (non-2xx, timeouts...) in {best.server}")
    say(
        f"  round {round_number} {best.server:18} c{connections:<3} p50 {best.p50_ms:6.2f} ms  "
        f"{best.rps:8.0f} req/s  gunicorn CPU {best.server_cpu_ms:5.2f} ms/req  "
        f"PostgreSQL {best.db_cpu_ms:4.2f} ms/req  others {best.others:4.0%}  load {best.load}"
    )
    return best


def inprocess_profile(python, env, cwd, path):
    result = run(
        [str(python), str(HERE / "inprocess.py"), path, "--requests", "200"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        say(f"  in-process profile failed: {result.stderr[-2000:]}")
        return None
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- the report ----------------------------------------------------------------------------------


def median(values):
    return statistics.median(values) if values else float("nan")


def summarise(measurements):
    by_server = {}
    for m in measurements:
        by_server.setdefault(m.server, []).append(m)
    return {
        name: {
            "p50_ms": median([m.p50_ms for m in ms]),
            "p99_ms": median([m.p99_ms for m in ms]),
            "rps": median([m.rps for m in ms]),
            "server_cpu_ms": median([m.server_cpu_ms for m in ms]),
            "db_cpu_ms": median([m.db_cpu_ms for m in ms]),
            "others_median": median([m.others for m in ms]),
            "others_max": max(m.others for m in ms),
            "errors": sum(m.errors for m in ms),
            "rounds": len(ms),
        }
        for name, ms in by_server.items()
    }


def round_ratios(measurements):
    """Newsroom ÷ Wagtail within each round, for each figure: robust to the machine's speed drifting between rounds."""
    by_key = {(m.server, m.round): m for m in measurements}
    figures = {
        "uncached_p50": ("uncached", "p50_ms"),
        "uncached_cpu": ("uncached", "server_cpu_ms"),
        "uncached_db_cpu": ("uncached", "db_cpu_ms"),
        "cached_rps": ("cached", "rps"),
        "cached_cpu": ("cached", "server_cpu_ms"),
    }
    ratios = {}
    for name, (mode, attribute) in figures.items():
        values = []
        for (server, round_number), m in by_key.items():
            other = by_key.get((f"wagtail-{mode}", round_number))
            if server == f"newsroom-{mode}" and other and getattr(other, attribute):
                values.append(getattr(m, attribute) / getattr(other, attribute))
        ratios[name] = values
    return ratios


def verdicts(summary, memory_by_server):
    """(goal, measured, verdict) for each of issue 12's bounds; a verdict is "met", "not met" or a lead's state."""
    n_unc, w_unc = summary["newsroom-uncached"], summary["wagtail-uncached"]
    n_c, w_c = summary["newsroom-cached"], summary["wagtail-cached"]
    n_rss = statistics.mean(rss for rss, _ in memory_by_server["newsroom-cached"])
    w_rss = statistics.mean(rss for rss, _ in memory_by_server["wagtail-cached"])
    ratio = n_c["rps"] / w_c["rps"]
    saving = 1 - n_rss / w_rss

    def lead(kept, as_large, issue):
        if not kept:
            return "not met: no lead"
        return "met" if as_large else f"lead kept, smaller than the issue's {issue}"

    p50, cpu = n_unc["p50_ms"] / w_unc["p50_ms"], n_unc["server_cpu_ms"] / w_unc["server_cpu_ms"]
    return [
        (
            "Uncached article, p50 at 1 connection: Newsroom no slower than Wagtail",
            f"{n_unc['p50_ms']:.2f} ms vs {w_unc['p50_ms']:.2f} ms ({p50:.2f}×)",
            "met" if p50 <= 1 else f"not met: {p50 - 1:.0%} slower",
        ),
        (
            "Uncached article, gunicorn CPU per request: Newsroom no more than Wagtail",
            f"{n_unc['server_cpu_ms']:.2f} ms vs {w_unc['server_cpu_ms']:.2f} ms ({cpu:.2f}×)",
            "met" if cpu <= 1 else f"not met: {cpu - 1:.0%} more",
        ),
        (
            f"Cached article at 64 connections: keep the lead (issue: {ISSUE['cached_ratio']}× Wagtail's)",
            f"{n_c['rps']:.0f} vs {w_c['rps']:.0f} req/s ({ratio:.2f}×)",
            lead(ratio > 1, ratio >= ISSUE["cached_ratio"], f"{ISSUE['cached_ratio']}×"),
        ),
        (
            f"Memory a worker: keep the lead (issue: {ISSUE['rss_saving']:.0%} less than Wagtail's)",
            f"{n_rss:.1f} vs {w_rss:.1f} MiB RSS ({saving:.0%} less)",
            lead(saving > 0, round(saving, 2) >= ISSUE["rss_saving"], f"{ISSUE['rss_saving']:.0%}"),
        ),
    ]


def fmt_share(value):
    return f"{value:.0%}"


def markdown(report):
    s, mem = report["summary"], report["memory"]
    lines = [
        "# Newsroom against Wagtail: the seed article, side by side",
        "",
        f"Made by `bench/wagtail/compare.py` on {report['when']} ({report['rounds']} interleaved rounds of "
        f"{report['duration']} s per measurement; figures are medians of the rounds). Issue 12's bounds; how it "
        "works is in `bench/wagtail/README.md`.",
        "",
        "## Versions and machine",
        "",
        f"- Machine: {report['machine']}",
        f"- Newsroom: commit `{report['commit']}`, " + ", ".join(f"{k} {v}" for k, v in report["newsroom"].items()),
        "- Wagtail side: "
        + ", ".join(f"{k} {v}" for k, v in report["wagtail"].items())
        + f" (the newest Wagtail on PyPI at the time of the run{report['wagtail_note']})",
        f"- {report['services']}; wrk {report['wrk']}",
        "- Both: Python " + platform.python_version() + ", gunicorn with `deploy/gunicorn.conf.py` (2 sync workers, "
        "preloaded, keep-alive 5 s), `DEBUG=False`, persistent PostgreSQL connections (`CONN_MAX_AGE=60`), "
        "Django's cached template loader, loopback, plain HTTP without `Accept-Encoding` (no gzip on either side).",
        "",
        "## The pages",
        "",
        f"Both serve the demo's seed story at `{report['path']}` (same headline, standfirst, body HTML, tags, "
        "authors and image file; the Wagtail copy is imported from Newsroom's database).",
        "",
        f"- **Newsroom** ({report['sizes']['newsroom']:,} bytes of HTML): the article page as readers get it: "
        "masthead with the date, search and section navigation, breadcrumb, headline, standfirst, byline, "
        "publication time, tags, the featured image (`srcset` over three WebP renditions) with caption, body, "
        "related stories, the most-read sidebar, the reply thread and reply form (signed form token), "
        "Open Graph/Twitter cards and NewsArticle JSON-LD, Content-Security-Policy and Permissions-Policy headers.",
        f"- **Wagtail** ({report['sizes']['wagtail']:,} bytes): a `NewsPage` (title as headline, standfirst, "
        "`RichTextField` body, `ClusterTaggableManager` tags, authors as a `ParentalManyToManyField` to users, "
        "a `wagtailimages.Image`) under a `SectionPage` under a `HomePage`; its template has the same masthead "
        "(date, search form, section navigation from the site root's children in menus), breadcrumb, "
        "headline, standfirst, byline, publication time, tags, the image through `{% srcset_image %}` "
        "(widths 400, 800, 1200, WebP), caption, body through `|richtext`, footer navigation and "
        "`{% wagtailuserbar %}`. Lighter, as in the issue: no related stories, most-read list, replies, "
        "form, social cards or structured data.",
        "",
        "Parts found in each page: "
        + "; ".join(
            f"{site}: "
            + ", ".join(part for part, ok in parts.items() if ok)
            + (
                " (missing: " + ", ".join(part for part, ok in parts.items() if not ok) + ")"
                if not all(parts.values())
                else ""
            )
            for site, parts in report["parts"].items()
        )
        + ".",
        "",
        "## Results",
        "",
        "| | Newsroom | Wagtail | Newsroom ÷ Wagtail | ÷ in each round: median (range) | issue 12 (N / W) |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    n_unc, w_unc = s["newsroom-uncached"], s["wagtail-uncached"]
    n_c, w_c = s["newsroom-cached"], s["wagtail-cached"]
    n_rss = statistics.mean(r for r, _ in mem["newsroom-cached"])
    w_rss = statistics.mean(r for r, _ in mem["wagtail-cached"])
    n_pss = statistics.mean(p for _, p in mem["newsroom-cached"])
    w_pss = statistics.mean(p for _, p in mem["wagtail-cached"])
    n_urss = statistics.mean(r for r, _ in mem["newsroom-uncached"])
    w_urss = statistics.mean(r for r, _ in mem["wagtail-uncached"])
    per_round = round_ratios(report["measurements"])
    rows = [
        ("Uncached: p50 at 1 connection (ms)", n_unc["p50_ms"], w_unc["p50_ms"], "uncached_p50", "18.1 / 15.4", 2),
        (
            "Uncached: gunicorn CPU per request (ms)",
            n_unc["server_cpu_ms"],
            w_unc["server_cpu_ms"],
            "uncached_cpu",
            "13.4 / 12.6",
            2,
        ),
        (
            "Uncached: PostgreSQL backend CPU per request (ms)",
            n_unc["db_cpu_ms"],
            w_unc["db_cpu_ms"],
            "uncached_db_cpu",
            "",
            2,
        ),
        ("Uncached: p99 at 1 connection (ms)", n_unc["p99_ms"], w_unc["p99_ms"], "", "", 2),
        ("Uncached: req/s at 1 connection", n_unc["rps"], w_unc["rps"], "", "", 0),
        ("Cached: req/s at 64 connections", n_c["rps"], w_c["rps"], "cached_rps", "1.66×", 0),
        ("Cached: gunicorn CPU per request (ms)", n_c["server_cpu_ms"], w_c["server_cpu_ms"], "cached_cpu", "", 3),
        ("Cached: p99 at 64 connections (ms)", n_c["p99_ms"], w_c["p99_ms"], "", "", 1),
        ("Memory a worker, cached servers: VmRSS (MiB)", n_rss, w_rss, "", "40 % less", 1),
        ("Memory a worker, cached servers: PSS (MiB)", n_pss, w_pss, "", "", 1),
        ("Memory a worker, uncached servers: VmRSS (MiB)", n_urss, w_urss, "", "", 1),
    ]
    for label, n, w, ratios_of, issue, digits in rows:
        ratio = f"{n / w:.2f}×" if w else "–"
        values = per_round.get(ratios_of)
        spread = f"{median(values):.2f}× ({min(values):.2f}–{max(values):.2f})" if values else ""
        lines.append(f"| {label} | {n:,.{digits}f} | {w:,.{digits}f} | {ratio} | {spread} | {issue} |")
    lines += [
        "",
        "Others' share of the CPU during the measurements (median / worst): "
        + "; ".join(f"{name} {fmt_share(v['others_median'])} / {fmt_share(v['others_max'])}" for name, v in s.items())
        + f". Load average before the run {report['load_before']}, after {report['load_after']}."
        + (
            " Errors: " + ", ".join(f"{k} {v['errors']}" for k, v in s.items() if v["errors"])
            if any(v["errors"] for v in s.values())
            else " No errors or non-2xx responses."
        ),
        "",
        "## Verdicts",
        "",
        "| goal | measured | verdict |",
        "| --- | --- | --- |",
    ]
    for goal, measured, verdict in report["verdicts"]:
        lines.append(f"| {goal} | {measured} | **{verdict}** |")
    lines += ["", "## Every measurement", ""]
    lines += [
        "| round | server | conn | requests | req/s | p50 ms | p99 ms | gunicorn CPU ms/req | PostgreSQL CPU ms/req "
        "| others | load | tries |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |",
    ]
    for m in report["measurements"]:
        others = fmt_share(m.others) + (f" ({m.busiest})" if m.busiest and m.others > 0.02 else "")
        lines.append(
            f"| {m.round} | {m.server} | {m.connections} | {m.requests:,} | {m.rps:,.0f} | {m.p50_ms:.2f} "
            f"| {m.p99_ms:.2f} | {m.server_cpu_ms:.2f} | {m.db_cpu_ms:.2f} | {others} | {m.load} | {m.tries} |"
        )
    if report["profiles"]:
        lines += [
            "",
            "## Where the uncached page's time goes (in-process)",
            "",
            "`bench/wagtail/inprocess.py`: 200 requests through Django's test client in one process (all the "
            "middleware, nothing cached, no HTTP server), SQL timed around each statement; then 200 more under "
            "cProfile, self time grouped by where the code lives (cProfile slows Python code down, so its "
            "total is higher than the plain one; the shares are what counts).",
            "",
            "| | Newsroom | Wagtail |",
            "| --- | ---: | ---: |",
        ]
        n_prof, w_prof = report["profiles"].get("newsroom"), report["profiles"].get("wagtail")
        if n_prof and w_prof:
            lines.append(f"| wall time per request (ms) | {n_prof['wall_ms']:.2f} | {w_prof['wall_ms']:.2f} |")
            lines.append(
                f"| SQL statements per request | {n_prof['sql_statements']:.0f} | {w_prof['sql_statements']:.0f} |"
            )
            lines.append(f"| time in SQL per request (ms) | {n_prof['sql_ms']:.2f} | {w_prof['sql_ms']:.2f} |")
            lines.append(
                f"| Python time (wall − SQL, ms) | {n_prof['wall_ms'] - n_prof['sql_ms']:.2f} "
                f"| {w_prof['wall_ms'] - w_prof['sql_ms']:.2f} |"
            )
            areas = list(dict.fromkeys([*n_prof["areas_ms"], *w_prof["areas_ms"]]))
            for area in areas:
                n_ms, w_ms = n_prof["areas_ms"].get(area, 0.0), w_prof["areas_ms"].get(area, 0.0)
                lines.append(
                    f"| profiled self time: {area} (ms) | {n_ms:.2f} ({n_ms / n_prof['profiled_ms']:.0%}) "
                    f"| {w_ms:.2f} ({w_ms / w_prof['profiled_ms']:.0%}) |"
                )
        for site, prof in report["profiles"].items():
            if not prof:
                continue
            lines += ["", f"### {site.capitalize()}: the statements of one request", ""]
            lines += ["| ms | SQL |", "| ---: | --- |"]
            for statement in prof["statements_of_one_request"]:
                sql = statement["sql"].replace("|", "\\|")
                lines.append(f"| {statement['ms']:.2f} | `{sql[:220]}{'…' if len(sql) > 220 else ''}` |")
            if prof.get("own_functions"):
                lines += ["", f"The site's own code by cumulative time ({site}, under cProfile, ms per request):", ""]
                lines += ["| cumulative | function |", "| ---: | --- |"]
                for fn in prof["own_functions"][:12]:
                    lines.append(f"| {fn['cumulative_ms']:.2f} | `{fn['function']}` |")
            lines += ["", f"Top functions by self time ({site}, under cProfile, ms per request):", ""]
            lines += ["| self | cumulative | function | area |", "| ---: | ---: | --- | --- |"]
            for fn in prof["top_functions"][:10]:
                function = fn["function"].replace("|", "\\|")
                lines.append(f"| {fn['self_ms']:.2f} | {fn['cumulative_ms']:.2f} | `{function}` | {fn['area']} |")
    if report.get("notes"):
        lines += ["", report["notes"]]
    return "\n".join(lines) + "\n"


def write_results(report):
    notes = HERE / "notes.md"  # the hand-written reading of the committed run, kept verbatim
    report["notes"] = notes.read_text().strip() if notes.exists() else ""
    RESULTS.write_text(markdown(report))
    say(f"\nWrote {RESULTS.relative_to(BASE_DIR)}")


def machine():
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        found = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu = found.group(1) if found else cpu
    memory_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    return f"{os.cpu_count()} × {cpu}, {memory_kb / 1024 / 1024:.0f} GiB, Linux {platform.release()}"


def services():
    pg = output(["psql", "-h", LOOPBACK, "-U", "postgres", "-d", "postgres", "-tAc", "SHOW server_version"])
    redis = re.search(r"redis_version:(\S+)", output(["redis-cli", "info", "server"]))
    return f"PostgreSQL {pg.split()[0]}, Redis {redis.group(1) if redis else '?'}"


def wrk_version():
    result = run(["wrk", "-v"], capture_output=True, text=True)
    found = re.search(r"wrk (\S+)", result.stdout + result.stderr)
    return found.group(1) if found else "?"


# --- main ----------------------------------------------------------------------------------------


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=4, help="interleaved rounds, order alternating (default 4)")
    parser.add_argument("--duration", type=int, default=6, help="seconds per wrk run (default 6)")
    parser.add_argument("--venv", type=Path, default=WAGTAIL_VENV, help=f"Wagtail's virtualenv ({WAGTAIL_VENV})")
    parser.add_argument("--upgrade", action="store_true", help="pip install --upgrade in the Wagtail virtualenv")
    parser.add_argument("--patience", type=int, default=120, help="seconds to wait for a quiet machine (default 120)")
    parser.add_argument("--retries", type=int, default=2, help="repeats of a noisy measurement (default 2)")
    parser.add_argument("--no-profile", action="store_true", help="skip the in-process profiles")
    parser.add_argument("--no-write", action="store_true", help=f"print only; do not write {RESULTS.name}")
    parser.add_argument("--keep", action="store_true", help="keep the two databases and the temporary folder")
    parser.add_argument(
        "--rewrite",
        action="store_true",
        help=f"only write {RESULTS.name} again from the last run's figures ({LAST_REPORT}), with notes.md as it is now",
    )
    parser.add_argument("--export-story", metavar="JSON", help=argparse.SUPPRESS)
    return parser.parse_args()


def main():
    args = parse_args()
    if args.export_story:
        export_story(args.export_story)
        return
    if args.rewrite:
        report = json.loads(LAST_REPORT.read_text())
        report["measurements"] = [Measurement(**m) for m in report["measurements"]]
        write_results(report)
        return
    ensure_command("wrk", "wrk", required=True)
    run(["redis-cli", "ping"], check=True, capture_output=True)
    python, wagtail_versions = ensure_wagtail_venv(args.venv, args.upgrade)
    wagtail_major = int(wagtail_versions["wagtail"].split(".")[0])
    say(f"Wagtail {wagtail_versions['wagtail']} (Django {wagtail_versions['Django']}) in {args.venv}")
    newsroom_versions = package_versions(PYTHON, ["Django", "gunicorn", "psycopg", "redis", "django-redis", "Pillow"])
    state = Path(tempfile.mkdtemp(prefix="wagcmp-"))
    secret_key = secrets.token_urlsafe(50)
    n_env, w_env = newsroom_env(state, secret_key), wagtail_env(state, secret_key)
    site_dir = state / "wagtail-site"
    procs, meter = Processes(), Meter()
    meter.databases = {NEWSROOM_DB: "newsroom", WAGTAIL_DB: "wagtail"}
    signal.signal(signal.SIGTERM, raise_interrupt)
    load_before = load_average()
    try:
        story_json = state / "story.json"
        path = set_up_newsroom(n_env, story_json)
        set_up_wagtail(python, w_env, site_dir, story_json)
        story = json.loads(story_json.read_text())["story"]

        say("\n== Servers")
        flush_redis()
        configurations = {
            ("newsroom", "uncached"): (PYTHON, n_env, BASE_DIR),
            ("wagtail", "uncached"): (python, w_env, site_dir),
            ("newsroom", "cached"): (PYTHON, {**n_env, "CACHE_URL": NEWSROOM_CACHE}, BASE_DIR),
            ("wagtail", "cached"): (python, {**w_env, "WAGCMP_CACHE_URL": WAGTAIL_CACHE}, site_dir),
        }
        servers = {
            f"{site}-{mode}": start_server(procs, meter, site, mode, py, env, cwd, path, state)
            for (site, mode), (py, env, cwd) in configurations.items()
        }

        pages, parts = {}, {}
        for name in ("newsroom-uncached", "wagtail-uncached"):
            status, _, html = get(servers[name].base + path)
            site = servers[name].site
            pages[site], parts[site] = html, TextParts.check(html, story)
            (state / f"{site}.html").write_bytes(html)
            say(
                f"{site}: {status}, {len(html):,} bytes; "
                + ", ".join(f"{k} {'✓' if v else '✗'}" for k, v in parts[site].items())
            )

        say("\n== Warm-up (2 s of each)")
        flush_redis()
        for server in servers.values():
            connections = 1 if server.mode == "uncached" else 64
            wrk(server.base + path, threads=1 if connections == 1 else 2, connections=connections, duration=2)
        keys = {"newsroom": redis_keys(NEWSROOM_CACHE), "wagtail": redis_keys(WAGTAIL_CACHE)}
        say(f"Redis keys after the warm-up: Newsroom db 7 {keys['newsroom']}, Wagtail db 8 {keys['wagtail']}")
        if not all(keys.values()):
            sys.exit("a cached server stored nothing in Redis: its cache is not working")

        measurements = []
        for round_number in range(1, args.rounds + 1):
            order = ("newsroom", "wagtail") if round_number % 2 else ("wagtail", "newsroom")
            say(f"\n== Round {round_number} of {args.rounds} (order: {', '.join(order)}; load {load_average()})")
            for mode, connections in (("uncached", 1), ("cached", 64)):
                for site in order:
                    measurements.append(
                        measure(
                            meter,
                            servers[f"{site}-{mode}"],
                            round_number,
                            connections=connections,
                            duration=args.duration,
                            patience=args.patience,
                            retries=args.retries,
                        )
                    )

        memory_by_server = {name: [memory(pid) for pid in s.workers()] for name, s in servers.items()}
        for name, values in memory_by_server.items():
            say(f"{name}: workers " + ", ".join(f"RSS {r:.1f} MiB / PSS {p:.1f} MiB" for r, p in values))

        profiles = {}
        if not args.no_profile:
            say("\n== In-process profiles of the uncached pages")
            profiles["newsroom"] = inprocess_profile(PYTHON, n_env, BASE_DIR, path)
            profiles["wagtail"] = inprocess_profile(python, w_env, site_dir, path)
            for site, prof in profiles.items():
                if prof:
                    say(
                        f"{site}: {prof['wall_ms']:.2f} ms a request, {prof['sql_statements']:.0f} SQL statements "
                        f"taking {prof['sql_ms']:.2f} ms"
                    )

        summary = summarise(measurements)
        report = {
            "when": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "rounds": args.rounds,
            "duration": args.duration,
            "machine": machine(),
            "commit": output(["git", "rev-parse", "--short", "HEAD"], cwd=BASE_DIR),
            "newsroom": newsroom_versions,
            "wagtail": wagtail_versions,
            "wagtail_note": "" if wagtail_major == 8 else f"; the issue names Wagtail 8, PyPI's is {wagtail_major}",
            "services": services(),
            "wrk": wrk_version(),
            "path": path,
            "sizes": {site: len(html) for site, html in pages.items()},
            "parts": parts,
            "summary": summary,
            "memory": memory_by_server,
            "measurements": measurements,
            "profiles": {k: v for k, v in profiles.items() if v},
            "load_before": load_before,
            "load_after": load_average(),
        }
        report["verdicts"] = verdicts(summary, memory_by_server)
        LAST_REPORT.write_text(json.dumps({**report, "measurements": [asdict(m) for m in measurements]}))
        say("\n== Verdicts")
        for goal, measured, verdict in report["verdicts"]:
            say(f"{goal}: {measured}: {verdict}")
        if not args.no_write:
            write_results(report)
    finally:
        procs.stop_all()
        if args.keep:
            say(f"Kept the databases {NEWSROOM_DB} and {WAGTAIL_DB}, and {state}")
        else:
            dropdb(NEWSROOM_DB)
            dropdb(WAGTAIL_DB)
            shutil.rmtree(state, ignore_errors=True)
            say(f"Dropped the databases {NEWSROOM_DB} and {WAGTAIL_DB}; removed {state}")


if __name__ == "__main__":
    main()
