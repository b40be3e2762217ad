"""wrk runs and noise control: targets measured in interleaved rounds, each figure the median of the rounds.

Latencies and counts come from ``report.lua``'s ``done`` hook as JSON, not
from wrk's rounded text. A measurement during which processes that are not
the benchmark's took more than NOISE_LIMIT of the CPU is taken again
(``CpuMeter``), keeping the quietest.
"""

import contextlib
import json
import os
import resource
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.environment import BENCH_DIR, DATABASE, run, say, warn
from bench.servers import get

CONNECTIONS = 64
WRK_THREADS = 2
# What a browser asks for: the compressed copy of a page.
GZIP = {"Accept-Encoding": "gzip, deflate, br"}
WRK_TIMEOUT = "10s"
# Share of the machine's CPU that processes other than ours may use during a measurement before it is retried.
NOISE_LIMIT = 0.10
SERVICE_PROCESSES = {"postgres", "redis-server"}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


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


def summarise(measured):
    seconds = measured["duration_us"] / 1e6
    errors, requests = measured["errors"], measured["requests"]
    cpu = measured.get("server_cpu_ms")
    return {
        "rps": requests / seconds if seconds else 0.0,
        "p50_ms": measured["latency_us"]["p50"] / 1000,
        "p99_ms": measured["latency_us"]["p99"] / 1000,
        "requests": requests,
        "errors": sum(errors.get(kind, 0) for kind in ("connect", "read", "write", "status", "timeout")),
        "cpu_ms": cpu / requests if cpu and requests else None,
    }


def added_up(runs, name):
    """A table that the Lua scripts count per request (``statuses``, ``cache``), summed over runs."""
    total = {}
    for measured in runs:
        for key, n in measured.get(name, {}).items():
            total[key] = total.get(key, 0) + n
    return dict(sorted(total.items()))


def median_of(target):
    rounds = [summarise(measured) for measured in target.runs]
    if not rounds:
        return None
    return {
        "rps": statistics.median(r["rps"] for r in rounds),
        "p50_ms": statistics.median(r["p50_ms"] for r in rounds),
        "p99_ms": statistics.median(r["p99_ms"] for r in rounds),
        "requests": sum(r["requests"] for r in rounds),
        "errors": sum(r["errors"] for r in rounds),
        "rounds_rps": [round(r["rps"], 1) for r in rounds],
        "statuses": added_up(target.runs, "statuses"),
        "foreign_cpu_max": max(measured.get("foreign_cpu", 0.0) for measured in target.runs),
        "cpu_ms": statistics.median(costs) if (costs := [r["cpu_ms"] for r in rounds if r["cpu_ms"]]) else None,
    }


def metered(meter, url, *, drain_base, **options):
    """One wrk run, with how much CPU the servers and everyone else used during it; then the queue drained."""
    before = meter.snapshot()
    measured = wrk(url, **options)
    after = meter.snapshot()
    measured["foreign_cpu"] = round(meter.foreign_share(before, after), 3)
    measured["server_cpu_ms"] = round(meter.server_ms(before, after), 1)
    measured["busiest_others"] = meter.busiest_others(before, after)
    drain(drain_base)
    return measured


def measure(targets, bases, meter, *, rounds, duration, warmup, retries):
    """A warm-up of every target, then ``rounds`` rounds over all of them, each round in a new order.

    A measurement during which other processes on the machine took more than
    NOISE_LIMIT of its CPU is taken again (up to ``retries`` times, and one
    extra round's worth in all, so a busy machine cannot stretch the run
    without end), keeping the quietest; each run records how much CPU others took.
    """
    measurable = [t for t in targets if t.server in bases and t.path]
    upstream = {"nginx": "cached"}
    say(f"\nWarm-up: {warmup}s per target…")
    for target in measurable:
        if target.script != "post.lua":
            wrk(bases[target.server] + target.path, connections=target.connections, duration=warmup,
                headers=target.headers)  # fmt: skip
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
                options = {"connections": target.connections, "duration": duration, "script": target.script}
                measured = metered(
                    meter,
                    bases[target.server] + target.path,
                    drain_base=bases[upstream.get(target.server, target.server)],
                    env=target.env,
                    headers=target.headers,
                    **options,
                )
                attempts.append(measured)
                if measured["foreign_cpu"] <= NOISE_LIMIT or retry_budget <= 0:
                    break
            kept = min(attempts, key=lambda candidate: candidate["foreign_cpu"])
            kept["attempts"] = len(attempts)
            target.runs.append(kept)
            say_line(target.label, kept, len(attempts))


def say_line(label, measured, attempts=1):
    line = summarise(measured)
    say(
        f"  {label:<46} {line['rps']:>9.1f} req/s  p50 {line['p50_ms']:>7.2f} ms  "
        f"p99 {line['p99_ms']:>8.2f} ms  errors {line['errors']}  others' CPU {measured['foreign_cpu']:.0%}"
        + (f" (best of {attempts})" if attempts > 1 else "")
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
