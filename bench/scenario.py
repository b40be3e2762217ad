"""The newsroom at work: readers over the site, quiet, then while reporters, moderators and editors work.

Readers (``readers.lua``) pick pages from the URLs the sitemaps list plus
listing pages (further section pages, bylines), weighted by rank as on a
real site: the home page and the sections first, then stories newest
first, tags and old pages in the long tail (weight 1/rank); by default the
first 100 of them (``--reader-pages``), each read once before the warm-up so
that the quiet phase starts from a warm cache: what the scenario measures is
what the newsroom's work costs readers, not first reads of the long tail.
The same readers are measured twice in one run, after a warm-up: with nobody working,
then while ``bench/work.py`` saves a draft every 2 s, approves a reply every
10 s and publishes a story every 60 s in its own process. Each response is
counted by its ``X-Page-Cache`` header, for the hit ratio.
"""

import json
import re
import urllib.parse

from bench.environment import PYTHON, say
from bench.load import CONNECTIONS, GZIP, metered, say_line, summarise, wrk
from bench.servers import get, tail

LISTING_PAGES = (2, 3)  # further pages of each section, as readers page through them


def sitemap_paths(base):
    """Every path the sitemap index's children list, in their order."""
    status, _, index = get(f"{base}/sitemap.xml")
    if status != 200:
        raise RuntimeError(f"/sitemap.xml answered {status}")
    paths = []
    for child in re.findall(r"<loc>([^<]+)</loc>", index.decode()):
        _, _, body = get(base + _path(child))
        paths += [_path(url) for url in re.findall(r"<loc>([^<]+)</loc>", body.decode())]
    return paths


def _path(url):
    parts = urllib.parse.urlsplit(url.replace("&amp;", "&"))
    return parts.path + (f"?{parts.query}" if parts.query else "")


def reader_pages(base, authors):
    """``[(weight, path)]``: the site in the order readers favour it, weighted 1/rank."""
    paths = sitemap_paths(base)
    tags = [path for path in paths if path.startswith("/tag/")]
    stories = [path for path in paths if path.count("/") == 3 and not path.startswith("/tag/")]
    fronts = [path for path in paths if path not in stories and path not in tags]
    sections = [path for path in fronts if path != "/"]
    listings = [f"{section}?page={n}" for n in LISTING_PAGES for section in sections]
    bylines = [f"/author/{urllib.parse.quote(name)}/" for name in authors]
    ranked = fronts + stories[::-1] + listings + bylines + tags  # the sitemap lists stories oldest first
    return [(1 / rank, path) for rank, path in enumerate(dict.fromkeys(ranked), 1)]


def write_pages(pages, path):
    path.write_text("".join(f"{weight:.9f} {page}\n" for weight, page in pages))
    return path


def run_work_phase(base, meter, processes, env, *, duration, log_path, readers):
    """The readers for ``duration`` seconds while ``bench.work`` works; (wrk's measurement, the work's summary)."""
    process = processes.start(
        "newsroom at work", [PYTHON, "-m", "bench.work", str(duration)], env=env, log_path=log_path, piped=True
    )
    if process.stdout.readline().strip() != "READY":
        raise RuntimeError(f"bench.work did not start; the end of {log_path}:\n{tail(log_path)}")
    meter.groups.add(process.pid)
    process.stdin.write("go\n")
    process.stdin.flush()
    measured = metered(meter, base + "/", drain_base=base, **readers)
    summary = {}
    for line in process.stdout:
        if line.startswith("WORK_JSON "):
            summary = json.loads(line.removeprefix("WORK_JSON "))
    process.wait(timeout=60)
    return measured, summary


def newsroom_at_work(base, meter, processes, env, *, workdir, pages, duration, warmup, log_path):
    """Warm-up, the quiet phase, the work phase: a dict for the report."""
    paths_file = write_pages(pages, workdir / "reader-pages.txt")
    readers = {
        "connections": CONNECTIONS,
        "duration": duration,
        "script": "readers.lua",
        "env": {"BENCH_PATHS": str(paths_file)},
        "headers": GZIP,
    }
    say(f"\nThe newsroom at work: {len(pages):,} pages; warm-up {warmup}s, then {duration}s quiet, {duration}s working")
    for _, path in pages:  # every page read once: the quiet phase starts warm
        get(base + path, headers=GZIP)
    wrk(base + "/", **{**readers, "duration": warmup})
    quiet = metered(meter, base + "/", drain_base=base, **readers)
    say_line("readers, nobody working", quiet)
    working, work = run_work_phase(base, meter, processes, env, duration=duration, log_path=log_path, readers=readers)
    say_line("readers, the newsroom at work", working)
    return {
        "pages": len(pages),
        "quiet": phase(quiet),
        "working": phase(working),
        "work": work,
        "driven_by": "bench/work.py, a separate Python process saving through the models",
        "raw": {"quiet": quiet, "working": working},
    }


def phase(measured):
    return {**summarise(measured), "cache": measured.get("cache", {}), "foreign_cpu": measured["foreign_cpu"]}


def hit_ratio(cache_counts):
    """The share of requests answered from the page cache: hits, and stale copies sent while one request renders."""
    answered = sum(cache_counts.values())
    return (cache_counts.get("hit", 0) + cache_counts.get("stale", 0)) / answered if answered else None


def check_pages(base, pages, sample=20):
    """A few of the pages, fetched once: they must answer 200 (a broken list would measure 404s)."""
    step = max(1, len(pages) // sample)
    return [(path, status) for _, path in pages[::step] if (status := get(base + path)[0]) != 200]
