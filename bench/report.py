"""The goals of issue 12 judged against a run, and the one results file: ``bench/results/latest.md`` (+ ``.json``)."""

import json

from bench.environment import RESULTS_DIR
from bench.load import CONNECTIONS, NOISE_LIMIT, WRK_THREADS
from bench.scenario import hit_ratio

GOALS = {
    "work_share": 0.90,
    "work_p99_ms": 60.0,
    "cached_vs_static": 0.70,
    "first_article_ms": 60.0,
    "first_related_ms": 80.0,
    "deep_page_factor": 1.5,
    "microcache_share": 0.50,
}


def judged(key, goal, measured, ok):
    verdict = "n/a" if ok is None else ("PASS" if ok else "FAIL")
    return {"key": key, "goal": goal, "measured": measured, "verdict": verdict}


def _ratio(results, name, reference):
    """(ratio of requests/s, text) of two targets, with the servers' CPU per request beside it."""
    mine, theirs = results.get(name), results.get(reference)
    if not (mine and theirs and theirs["rps"]):
        return None, "not measured"
    text = f"{mine['rps']:,.0f} vs {theirs['rps']:,.0f} req/s: {mine['rps'] / theirs['rps']:.0%}"
    if mine["cpu_ms"] and theirs["cpu_ms"]:
        text += f" (server CPU per request {mine['cpu_ms']:.2f} vs {theirs['cpu_ms']:.2f} ms)"
    return mine["rps"] / theirs["rps"], text


def evaluate(results, scenario, renders):
    """Each goal of issue 12 (and issue 5's microcache goal, still meaningful) against the run."""
    goals = []
    if scenario:
        quiet, working = scenario["quiet"], scenario["working"]
        share = working["rps"] / quiet["rps"] if quiet["rps"] else 0.0
        ratio = hit_ratio(working["cache"])
        goals.append(
            judged(
                "work",
                f"the newsroom at work: ≥ {GOALS['work_share']:.0%} of the quiet throughput, p99 < "
                f"{GOALS['work_p99_ms']:.0f} ms ({scenario['pages']:,} pages, {CONNECTIONS} connections)",
                f"{working['rps']:,.0f} vs {quiet['rps']:,.0f} req/s: {share:.0%}; p99 {working['p99_ms']:.1f} ms "
                f"(quiet {quiet['p99_ms']:.1f} ms); page-cache hits {_percent(ratio)} "
                f"(quiet {_percent(hit_ratio(quiet['cache']))})",
                share >= GOALS["work_share"] and working["p99_ms"] < GOALS["work_p99_ms"],
            )
        )
    else:
        goals.append(judged("work", "the newsroom at work", "not run", None))
    for name, reference, what in (
        ("cached-article", "static", "plain"),
        ("cached-article-gzip", "static-gzip", "gzip, as browsers ask"),
    ):
        ratio, text = _ratio(results, name, reference)
        goals.append(
            judged(
                name,
                f"article from the page cache through gunicorn ≥ {GOALS['cached_vs_static']:.0%} of a static file "
                f"(whitenoise) through the same gunicorn ({what})",
                text,
                None if ratio is None else ratio >= GOALS["cached_vs_static"],
            )
        )
    for name, goal in (("article", "first_article_ms"), ("related", "first_related_ms")):
        page = renders.get(name)
        goals.append(
            judged(
                name,
                f"first render of the {page['label'] if page else name} under {GOALS[goal]:.0f} ms (in-process, "
                "nothing cached)",
                _first_render(page),
                None if page is None else page["first_ms"] < GOALS[goal],
            )
        )
    first, deep = renders.get("section"), renders.get("section500")
    if first and deep:
        factor = deep["first_ms"] / first["first_ms"]
        goals.append(
            judged(
                "section500",
                f"section page 500 within {GOALS['deep_page_factor']}× of page 1 (first render, in-process)",
                f"{deep['first_ms']:.1f} ms vs {first['first_ms']:.1f} ms: {factor:.2f}×",
                factor <= GOALS["deep_page_factor"],
            )
        )
    ratio, text = _ratio(results, "nginx-article", "nginx-static")
    goals.append(
        judged(
            "nginx",
            f"(issue 5) article through the nginx microcache ≥ {GOALS['microcache_share']:.0%} of nginx serving "
            "a static file",
            text if ratio is not None else "nginx not run",
            None if ratio is None else ratio >= GOALS["microcache_share"],
        )
    )
    return goals


def _percent(value):
    return "—" if value is None else f"{value:.1%}"


def _first_render(page):
    if page is None:
        return "not measured"
    return (
        f"{page['first_ms']:.1f} ms, {page['first_queries']} queries, {page['first_sql_ms']:.1f} ms of SQL; "
        f"slowest statement {page['slowest_ms']:.1f} ms"
    )


def table_rows(targets, results):
    rows = []
    for target in targets:
        result = results.get(target.name)
        if result is not None:
            rows.append(
                {
                    "name": target.name,
                    "target": target.label,
                    "path": target.path,
                    "connections": target.connections,
                    "sql_queries": target.sql_queries,
                    "cache": target.cache_status,
                    **{key: round(value, 2) if isinstance(value, float) else value for key, value in result.items()},
                }
            )
    return rows


def text_summary(report):
    lines = [f"{'target':<46} {'conn':>4} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6} {'others':>6}"]
    for row in report["rows"]:
        lines.append(
            f"{row['target'][:46]:<46} {row['connections']:>4} {row['rps']:>9,.1f} {row['p50_ms']:>8.2f} "
            f"{row['p99_ms']:>8.2f} {row['errors']:>6} {row['foreign_cpu_max']:>6.0%}"
        )
    lines += ["", "Goals:", *[f"  {g['verdict']:<5} {g['goal']}: {g['measured']}" for g in report["goals"]]]
    return "\n".join(lines + [f"  note: {note}" for note in report["notes"]])


def markdown(report):
    machine, dataset, settings = report["machine"], report["dataset"], report["settings"]
    out = [
        "# Newsroom benchmark",
        "",
        f"`make bench`, {report['started']}, on `{machine['host']}` ({machine['cpu']}, {machine['usable_cores']} "
        f"cores) at commit `{machine['commit']}`. What a run does and what each goal means: `bench/README.md`.",
        "",
        "## Goals (issue 12)",
        "",
        "| goal | measured | verdict |",
        "|---|---|---|",
        *[f"| {goal['goal']} | {goal['measured']} | **{goal['verdict']}** |" for goal in report["goals"]],
        "",
        *_suggestions_section(report),
        *_scenario_section(report.get("scenario")),
        "## Targets",
        "",
        f"wrk, {WRK_THREADS} threads, {CONNECTIONS} connections unless stated, loopback; {settings['rounds']} "
        f"interleaved rounds of {settings['duration']}s per target after a {settings['warmup']}s warm-up, each "
        "figure the median of the rounds. gunicorn `-c deploy/gunicorn.conf.py`, 2 sync workers, DEBUG=False, "
        "PostgreSQL, Redis. *Full render*: the gunicorn with `PAGE_CACHE_SECONDS=0`, which keeps nothing (no page, "
        "no fragment), so every request renders the page from the database.",
        "",
        "| target | conn | req/s | p50 ms | p99 ms | errors | SQL/request | page cache | server CPU ms/req "
        "| others' CPU |",
        "|---|--:|--:|--:|--:|--:|--:|---|--:|--:|",
    ]
    for row in report["rows"]:
        cpu = f"{row['cpu_ms']:.2f}" if row["cpu_ms"] else "—"
        out.append(
            f"| {row['target']} | {row['connections']} | {row['rps']:,.0f} | {row['p50_ms']:.2f} | "
            f"{row['p99_ms']:.2f} | {row['errors']} | {row['sql_queries']} | {row['cache']} | {cpu} | "
            f"{row['foreign_cpu_max']:.0%} |"
        )
    out += [
        "",
        "*server CPU ms/req*: CPU time of the servers under test (gunicorn, nginx, Redis, the bench database's "
        "PostgreSQL backends) per request. *others' CPU*: the largest share of the machine that processes not the "
        f"benchmark's took during a kept run (over {NOISE_LIMIT:.0%} a run is taken again, keeping the quietest); "
        f"before the rounds, {report['quiet_before']:.0%}. {report.get('posting_note', '')}",
        "",
        *_renders_section(report["renders"], report.get("others_in_process", 0.0)),
        "## Machine and dataset",
        "",
        ", ".join(f"{key} {value}" for key, value in machine.items() if key not in ("host", "cpu", "commit")) + ".",
        "",
        f"Stories: {dataset['articles']:,} ({dataset['published']:,} published, {dataset['generated']:,} generated); "
        f"sections {', '.join(f'{slug} {n:,}' for slug, n in dataset['sections'].items())}. Replies: "
        f"{dataset['comments']:,} ({dataset['approved_comments']:,} approved). The article: `{dataset['article']}`, "
        f"{dataset['article_replies']} approved replies, {dataset['article_tags']} tags.",
    ]
    if report["notes"]:
        out += ["", "## Notes", "", *[f"- {note}" for note in report["notes"]]]
    out += ["", f"This run took {report['wall_seconds'] / 60:.1f} minutes.", ""]
    return "\n".join(out)


def _scenario_section(scenario):
    if not scenario:
        return []
    out = [
        "## The newsroom at work",
        "",
        f"Readers over {scenario['pages']:,} pages (the first of the sitemaps' URLs and listing pages in rank order, "
        f"each read once before the warm-up, weighted 1/rank), {CONNECTIONS} connections, gzip; "
        f"the same readers with nobody working, then while "
        f"{scenario['driven_by']}.",
        "",
        "| phase | req/s | p50 ms | p99 ms | page-cache hits | hit / stale / miss / none | errors | server CPU ms/req "
        "| others' CPU |",
        "|---|--:|--:|--:|--:|---|--:|--:|--:|",
    ]
    for name, phase in (("nobody working", scenario["quiet"]), ("the newsroom at work", scenario["working"])):
        counts = phase["cache"]
        out.append(
            f"| {name} | {phase['rps']:,.0f} | {phase['p50_ms']:.2f} | {phase['p99_ms']:.2f} | "
            f"{_percent(hit_ratio(counts))} | {counts.get('hit', 0):,} / {counts.get('stale', 0):,} / "
            f"{counts.get('miss', 0):,} / "
            f"{counts.get('none', 0):,} | {phase['errors']} | {phase['cpu_ms'] or 0:.2f} | {phase['foreign_cpu']:.0%} |"
        )
    actions = scenario["work"].get("actions", {})
    done = "; ".join(f"{role} {a['count']} (slowest {a['slowest_ms']:.0f} ms)" for role, a in actions.items())
    return [*out, "", f"Work done in {scenario['work'].get('seconds', '?')}s: {done or 'nothing recorded'}.", ""]


def _renders_section(renders, others):
    if not renders:
        return []
    out = [
        "## Where the time goes (in-process)",
        "",
        "Each page through Django's test client with the page-cache middleware out. *First render*: the cache "
        "emptied before each (median of 5). *Warm cache*: rendered again with the related ids and the reply "
        "thread still in the cache (median of 5). SQL: time waiting for PostgreSQL. Other processes used "
        f"{others:.0%} of the machine's CPU meanwhile.",
        "",
        "| page | first render ms | SQL ms | queries | slowest statement ms | warm cache ms | SQL ms | queries "
        "| plan notes |",
        "|---|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for page in renders.values():
        out.append(
            f"| {page['label']} | {page['first_ms']} | {page['first_sql_ms']} | {page['first_queries']} | "
            f"{page['slowest_ms']} | {page['warm_ms']} | {page['warm_sql_ms']} | {page['warm_queries']} | "
            f"{'; '.join(page['plan_warnings']) or '—'} |"
        )
    out += ["", "Each first render's slowest statement (all statements and plans: `latest.json`):", ""]
    for page in renders.values():
        sql = page["slowest_sql"]
        out.append(f"- {page['label']} ({page['slowest_ms']} ms): `{sql[:240]}{'…' if len(sql) > 240 else ''}`")
    return [*out, ""]


def _suggestions_section(report):
    failed = {goal["key"] for goal in report["goals"] if goal["verdict"] == "FAIL"}
    lines = [text for key, text in suggestions(report).items() if key in failed]
    if not lines:
        return []
    return ["Where a goal fails, what this run's numbers point at:", "", *[f"- {line}" for line in lines], ""]


def suggestions(report):
    """Per goal, what the run's own numbers say about where the time goes (shown for the goals that fail)."""
    rows = {row["name"]: row for row in report["rows"]}
    renders, scene, out = report["renders"], report.get("scenario"), {}
    hit, story = rows.get("cached-article-gzip"), renders.get("story")
    if scene and hit and story:
        working, quiet = scene["working"], scene["quiet"]
        misses = 1 - (hit_ratio(working["cache"]) or 0)
        spent = misses * story["first_ms"] / (misses * story["first_ms"] + (1 - misses) * (hit["cpu_ms"] or 0))
        out["work"] = (
            f"{misses:.0%} of the readers' requests missed the page cache while the newsroom worked "
            f"({1 - (hit_ratio(quiet['cache']) or 0):.0%} with nobody working): the long tail of {scene['pages']:,} "
            f"pages is mostly read once, and the publication emptied every page. A miss renders the page (a "
            f"generated story's first render: {story['first_ms']} ms in-process, {story['first_sql_ms']} ms of it SQL, "
            f"the slowest statement {story['slowest_ms']} ms) where a hit costs {hit['cpu_ms']:.2f} ms of server "
            f"CPU, so misses take most of the servers' time (roughly {spent:.0%}, counting a miss as that first "
            f"render) and {CONNECTIONS} connections queue behind "
            f"two sync workers: p99 {working['p99_ms']:.0f} ms, {quiet['p99_ms']:.0f} ms with nobody working."
        )
    sizes = report["dataset"].get("article_bytes", {})
    plain, plain_static = rows.get("cached-article"), rows.get("static")
    gzipped, gzipped_static = rows.get("cached-article-gzip"), rows.get("static-gzip")
    if plain and plain_static and plain["cpu_ms"] and plain_static["cpu_ms"]:
        out["cached-article"] = (
            f"a hit on the plain page ({sizes.get('plain', 0) / 1024:.0f} KB) costs {plain['cpu_ms']:.2f} ms of "
            f"server CPU per request, whitenoise's file {plain_static['cpu_ms']:.2f} ms: on every hit the page's "
            "body comes from Redis and through Python, where whitenoise sends a file; the bigger the page, the "
            "bigger the gap."
        )
    if gzipped and gzipped_static and gzipped["cpu_ms"] and gzipped_static["cpu_ms"]:
        out["cached-article-gzip"] = (
            f"gzipped ({sizes.get('gzip', 0) / 1024:.0f} KB): a hit {gzipped['cpu_ms']:.2f} ms of server CPU, "
            f"whitenoise's `.gz` {gzipped_static['cpu_ms']:.2f} ms."
        )
    for name in ("article", "related", "section500"):
        page = renders.get(name)
        if page:
            notes = "; ".join(page["plan_warnings"]) or "no warning in its plan"
            out[name] = (
                f"{page['label']}: {page['first_ms']} ms on a first render, {page['first_sql_ms']} ms of it SQL in "
                f"{page['first_queries']} queries, the slowest {page['slowest_ms']} ms ({notes}): "
                f"`{page['slowest_sql'][:90]}…`; rendered again with the cache warm, {page['warm_ms']} ms "
                f"({page['warm_sql_ms']} ms SQL)."
            )
    return out


def write(report):
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "latest.md").write_text(markdown(report))
    (RESULTS_DIR / "latest.json").write_text(json.dumps(report, indent=1, default=str) + "\n")
