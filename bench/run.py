"""``make bench``: Newsroom as deployed, under load on loopback, judged against the goals of issue 12.

The steps, each in its own module: the set-up and the dataset
(``environment``, ``dataset``), the servers (``servers``), the wrk targets
(``load``, ``posting``), the newsroom at work (``scenario``, ``work``), the
in-process first renders (``inprocess``) and the one results file
(``report``: ``bench/results/latest.md`` and ``.json``). ``bench/README.md``
says what a run does and what each goal means.
"""

import argparse
import datetime
import re
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as ``bench/run.py``: import the bench package from the project's root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import posting, report, scenario, servers, work
from bench.environment import (
    BASE_DIR,
    RESULTS_DIR,
    ensure_database,
    machine_description,
    manage,
    production_environment,
    say,
    setup_django,
    warn,
)
from bench.load import CONNECTIONS, GZIP, NOISE_LIMIT, CpuMeter, Target, measure, median_of

DEEP_PAGE = 500
THREAD_REPLIES = 200
ARTICLE_TAGS = 10


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds over all targets (default 3)")
    parser.add_argument("--duration", type=int, default=5, help="seconds per measurement (default 5)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per target (default 2)")
    parser.add_argument("--work-seconds", type=int, default=60, help="each phase of the newsroom at work (60)")
    parser.add_argument("--work-warmup", type=int, default=30, help="readers' warm-up before it (default 30)")
    parser.add_argument(
        "--reader-pages",
        type=int,
        default=100,
        help="the pages readers read in it: the first N of the site in rank order (default 100; 0: every page)",
    )
    parser.add_argument("--articles", type=int, default=10_000, help="generated stories, at least")
    parser.add_argument("--comments", type=int, default=100_000, help="replies, at least")
    parser.add_argument("--quiet-wait", type=int, default=180, help="seconds to wait for a busy machine to calm")
    parser.add_argument("--noise-retries", type=int, default=2, help="times a noisy measurement is taken again")
    parser.add_argument("--only", nargs="*", help="measure only these targets (names as in latest.json)")
    parser.add_argument("--no-work", action="store_true", help="leave out the newsroom at work")
    parser.add_argument("--no-nginx", action="store_true", help="leave nginx out even when it is installed")
    parser.add_argument("--no-write", action="store_true", help="print the results but write no file")
    parser.add_argument("--seed-only", action="store_true", help="set up the database and the dataset, then stop")
    return parser.parse_args()


def prepare(args, env):
    """migrate, the demo, the load-test dataset and the article's thread; notes on what was done."""
    ensure_database()
    # collectstatic first, as a deploy does: with DEBUG off, the URLconf resolves static URLs while importing.
    manage(env, "collectstatic", "--noinput", "-v", "0")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "seed_demo", "--if-empty")
    setup_django(env)
    from bench import dataset  # Django's models, once Django is set up

    started = time.monotonic()
    stories, replies = dataset.ensure(articles=args.articles, comments=args.comments, deep_page=DEEP_PAGE)
    notes = []
    if stories or replies:
        notes.append(f"made {stories:,} stories and {replies:,} replies in {time.monotonic() - started:.0f}s")
    story = dataset.choose_article()
    if story is None:
        sys.exit("No published story to measure.")
    notes += dataset.ensure_thread(story, replies=THREAD_REPLIES, tags=ARTICLE_TAGS)
    left = work.forget()
    if any(left):
        say(f"Removed what an earlier run left: {left[0]} stories, {left[1]} replies.")
    from django.db import connection

    with connection.cursor() as cursor:  # fresh planner statistics, as autovacuum would have them on a live site
        cursor.execute("VACUUM ANALYZE")
    return story, notes


def build_targets(story, section, replies, *, with_nginx):
    article, static = story.get_absolute_url(), f"/static/{servers.STATIC_COPY}"
    targets = [
        Target("floor", "floor: /healthz/", "cached", "/healthz/"),
        Target("static", "static file (the article's HTML), whitenoise", "cached", static),
        Target("static-gzip", "static file, gzip, whitenoise", "cached", static, headers=GZIP),
        Target("cached-article", "article, page cache", "cached", article),
        Target("cached-article-gzip", "article, page cache, gzip", "cached", article, headers=GZIP),
        Target("cached-home", "home, page cache", "cached", "/"),
        Target("cached-section", f"section /{section}/, page cache", "cached", f"/{section}/"),
    ]
    full = [
        ("article", f"article ({replies} replies)", article),
        ("related", "related page", f"{article}related/"),
        ("home", "home", "/"),
        ("section", f"section /{section}/", f"/{section}/"),
        ("section500", f"section /{section}/, page {DEEP_PAGE}", f"/{section}/?page={DEEP_PAGE}"),
    ]
    targets += [Target(f"full-{key}", f"{label}, full render", "full", path) for key, label, path in full]
    targets += [Target("full-article-1conn", "article, full render, 1 connection", "full", article, connections=1)]
    targets += [Target("post", "post a reply", "cached", None, script="post.lua")]
    if with_nginx:
        targets += [
            Target("nginx-article", "article via nginx microcache", "nginx", article),
            Target("nginx-static", "nginx static file (the article's HTML)", "nginx", "/bench-static/article.html"),
        ]
    return targets


def article_html(path):
    """The article page as the servers will send it, rendered here: the static file to compare with."""
    from django.core.cache import cache
    from django.test import Client, override_settings

    with override_settings(ALLOWED_HOSTS=["testserver"]):
        html = Client().get(path).content
    cache.clear()
    return html


def start_servers(processes, meter, env, story, workdir, *, with_nginx):
    logs = {name: RESULTS_DIR / f"{name}.log.tmp" for name in ("gunicorn-cached", "gunicorn-full", "nginx")}
    copy = servers.write_static_copy(env["STATIC_ROOT"], article_html(story.get_absolute_url()))
    sizes = {"plain": copy.stat().st_size, "gzip": copy.with_name(copy.name + ".gz").stat().st_size}
    bases = {
        # The posting test runs here: one proxy's worth of X-Forwarded-For is trusted, as behind nginx.
        "cached": servers.start_gunicorn(
            processes, meter, "gunicorn-cached", {**env, "TRUSTED_PROXIES": "127.0.0.1"}, logs["gunicorn-cached"]
        ),
        "full": servers.start_gunicorn(
            processes, meter, "gunicorn-full", {**env, "PAGE_CACHE_SECONDS": "0"}, logs["gunicorn-full"]
        ),
    }
    if with_nginx:
        nginx = servers.start_nginx(processes, meter, bases["cached"], workdir, copy, logs["nginx"])
        if nginx:
            bases["nginx"] = nginx
    return bases, logs, sizes


def set_up_posting(targets, base, story, min_seconds):
    post = next((t for t in targets if t.script == "post.lua"), None)
    if post is None:
        return ""
    form, problem = posting.prepare_posting(base, story.get_absolute_url(), min_seconds)
    if problem:
        warn(problem)
        return f"Posting skipped: {problem}."
    post.path, post.sql_queries = form["path"], str(form["check"]["sql_queries"])
    post.env = {"BENCH_POST_PATH": form["path"], "BENCH_POST_FIELDS": form["fields"]}
    return (
        f"*post a reply*: a first reply posted by hand answered {form['check']['status']}; in wrk each request has "
        "its own email, text and X-Forwarded-For address (TRUSTED_PROXIES=127.0.0.1), every other spam rule on."
    )


def pages_in_process(targets):
    """The full-render targets, and the pages readers miss most in the long tail: a tag, a byline, a story."""
    from django.db.models import Count

    from articles.models import Article, Tag

    pages = {
        t.name.removeprefix("full-"): (t.label.removesuffix(", full render"), t.path)
        for t in targets
        if t.server == "full" and t.connections == CONNECTIONS
    }
    tag = Tag.objects.annotate(stories=Count("tagged_articles")).order_by("-stories").first()
    byline = Article.objects.published().values("authors__username").annotate(n=Count("pk")).order_by("-n").first()
    story = Article.objects.published().filter(slug__startswith="generated-").select_related("section").first()
    if tag:
        pages["tag"] = (f"tag /tag/{tag.slug}/ ({tag.stories:,} stories)", tag.get_absolute_url())
    if byline and byline["authors__username"]:
        name = byline["authors__username"]
        pages["byline"] = (f"byline /author/{name}/ ({byline['n']:,} stories)", f"/author/{name}/")
    if story:
        pages["story"] = ("a generated story", story.get_absolute_url())
    return pages


def reader_pages(base, limit):
    from articles.models import Article

    authors = Article.objects.published().values_list("authors__username", flat=True).distinct()
    pages = scenario.reader_pages(base, sorted(name for name in authors if name))
    pages = pages[:limit] if limit else pages
    broken = scenario.check_pages(base, pages)
    if broken:
        warn(f"some reader pages do not answer 200: {broken[:5]}")
    return pages


def main():
    args = parse_args()
    started_at, started = datetime.datetime.now().astimezone(), time.monotonic()
    signal.signal(signal.SIGTERM, servers.raise_interrupt)
    signal.signal(signal.SIGHUP, servers.raise_interrupt)
    RESULTS_DIR.mkdir(exist_ok=True)
    servers.ensure_command("wrk", "wrk", required=True)
    with_nginx = not args.no_nginx and servers.ensure_command("nginx", "nginx", required=False) is not None
    env = production_environment()
    story, notes = prepare(args, env)
    from django.conf import settings
    from django.db import connections

    from bench import dataset, inprocess

    if args.seed_only:
        say(f"Dataset: {dataset.counts()}")
        return

    counts = dataset.counts()
    replies = story.comments.filter(status="approved").count()
    data = {**counts, "article": story.get_absolute_url(), "article_replies": replies}
    data["article_tags"] = story.tags.count()
    machine = machine_description()
    targets = build_targets(story, counts["biggest_section"], replies, with_nginx=with_nginx)
    if args.only:
        targets = [t for t in targets if t.name in args.only]
    processes, meter = servers.Processes(), CpuMeter()
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    scene, quiet_before, posting_note, logs = None, 0.0, "", {}
    try:
        with_nginx = with_nginx and any(t.server == "nginx" for t in targets)
        bases, logs, data["article_bytes"] = start_servers(processes, meter, env, story, workdir, with_nginx=with_nginx)
        if with_nginx and "nginx" not in bases:
            notes.append("nginx would not start with the recipe's settings; its targets were skipped")
        posting_note = set_up_posting(targets, bases["cached"], story, settings.COMMENTS_MIN_SECONDS)
        pages = reader_pages(bases["cached"], args.reader_pages) if not args.no_work else []
        connections.close_all()
        quiet_before, noisy = meter.wait_for_quiet(args.quiet_wait)
        if quiet_before > NOISE_LIMIT:
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
        if pages:
            meter.wait_for_quiet(args.quiet_wait)
            scene = scenario.newsroom_at_work(
                bases["cached"],
                meter,
                processes,
                env,
                workdir=workdir,
                pages=pages,
                duration=args.work_seconds,
                warmup=args.work_warmup,
                log_path=RESULTS_DIR / "work.log.tmp",
            )
    finally:
        processes.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)
        work.forget()

    results = {t.name: median_of(t) for t in targets if t.runs}
    say("\nRendering the pages in-process…")
    meter.wait_for_quiet(args.quiet_wait)
    before = meter.snapshot()
    renders = inprocess.render_pages(pages_in_process(targets))
    others_in_process = round(meter.foreign_share(before, meter.snapshot()), 3)
    notes += run_notes(targets, results, logs, scene)
    outcome = {
        "started": started_at.isoformat(timespec="seconds"),
        "wall_seconds": round(time.monotonic() - started, 1),
        "machine": machine,
        "dataset": data,
        "settings": {
            "rounds": args.rounds,
            "duration": args.duration,
            "warmup": args.warmup,
            "work_seconds": args.work_seconds,
            "work_warmup": args.work_warmup,
        },
        "quiet_before": round(quiet_before, 3),
        "goals": report.evaluate(results, scene, renders),
        "scenario": scene,
        "rows": report.table_rows(targets, results),
        "renders": renders,
        "others_in_process": others_in_process,
        "notes": notes,
        "posting_note": posting_note,
    }
    say("\n" + report.text_summary(outcome))
    if not args.no_write:
        report.write(outcome)
        say(f"\nWrote {(RESULTS_DIR / 'latest.md').relative_to(BASE_DIR)} and latest.json")
    say(f"Done in {(time.monotonic() - started) / 60:.1f} minutes.")


def run_notes(targets, results, logs, scene):
    notes = []
    noisy = [run for target in targets for run in target.runs if run.get("foreign_cpu", 0) > NOISE_LIMIT]
    if noisy:
        notes.append(
            f"{len(noisy)} of {sum(len(t.runs) for t in targets)} kept measurements ran while other processes used "
            f"more than {NOISE_LIMIT:.0%} of the CPU: their requests/s are lower than this machine gives alone"
        )
    for target in targets:
        result = results.get(target.name)
        if result and result["errors"]:
            notes.append(f"{target.label}: {result['errors']:,} errors; statuses {result['statuses']}")
    if scene and any(status != "200" for phase in ("quiet", "working") for status in scene["raw"][phase]["statuses"]):
        notes.append(f"reader statuses: {[scene['raw'][p]['statuses'] for p in ('quiet', 'working')]}")
    for name, path in {**logs, "work": RESULTS_DIR / "work.log.tmp"}.items():
        if path.exists() and re.search(r"Traceback|ERROR", path.read_text(errors="replace")):
            notes.append(f"{name} logged errors: see {path.relative_to(BASE_DIR)}")
    return notes


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("Interrupted; every server this run started has been stopped.")
