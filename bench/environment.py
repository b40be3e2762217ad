"""What every process of a benchmark run shares: paths, the bench database and Redis, production settings."""

import importlib.metadata
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "bench"
RESULTS_DIR = BENCH_DIR / "results"
PYTHON = sys.executable

DATABASE = "newsroom_bench"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
CACHE_URL = "redis://127.0.0.1:6379/5"
LOOPBACK = "127.0.0.1"
# Replies and stories the benchmark makes while it runs (the posting test, the newsroom at work), removed after.
BENCH_EMAIL_DOMAIN = "bench.invalid"


def say(message=""):
    print(message, flush=True)


def warn(message):
    say(f"WARNING: {message}")


def state_dir():
    """Where the bench database's media and collected static files live: outside the work tree."""
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    path = root / "newsroom-bench" / DATABASE
    path.mkdir(parents=True, exist_ok=True)
    return path


def production_environment():
    """Settings as in production (DEBUG off, PostgreSQL, Redis), for manage.py, the servers and the work."""
    env = dict(os.environ)
    for name in ("PAGE_CACHE_SECONDS", "TRUSTED_PROXIES", "COMMENTS_FLOOD_SECONDS", "GUNICORN_BIND"):
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


def setup_django(env):
    """This process as one more of the run's: the bench database and Redis, production settings."""
    os.environ.update(env)
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def run(command, **kwargs):
    """subprocess.run for our own fixed commands (no shell, nothing a user typed)."""
    return subprocess.run(command, **kwargs)  # noqa: S603


def manage(env, *args, check=True):
    say(f"$ manage.py {' '.join(args)}")
    return run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=check)


def ensure_database():
    query = "SELECT datname FROM pg_database"
    psql = ["psql", "-h", LOOPBACK, "-U", "postgres", "-d", "postgres", "-tAc", query]
    if DATABASE not in run(psql, capture_output=True, text=True, check=True).stdout.split():
        say(f"Creating the database {DATABASE}…")
        run(["createdb", "-h", LOOPBACK, "-U", "postgres", DATABASE], check=True)


def machine_description():
    """The machine and the versions of everything measured, for the report (Django must be set up)."""
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
    git = run(["git", "describe", "--always"], cwd=BASE_DIR, capture_output=True, text=True)
    # The results file itself changes with every run: only changes to what is measured make the commit dirty.
    changed = run(
        ["git", "status", "--porcelain", "-uno", "--", ".", ":!bench/results"], cwd=BASE_DIR, capture_output=True
    )
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
        "commit": git.stdout.strip() + ("-dirty" if changed.stdout.strip() else ""),
    }
