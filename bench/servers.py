"""The servers a run starts and stops: gunicorn as deployed, nginx with the recipe's microcache, the tools.

Every process is started in its own process group and stopped on the way
out (Ctrl-C and SIGTERM included); servers' output goes to
``bench/results/*.log.tmp`` (not committed).
"""

import contextlib
import gzip
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.environment import BASE_DIR, LOOPBACK, PYTHON, run, say, warn

# The article's HTML as a static file, served by whitenoise from STATIC_ROOT and by nginx.
STATIC_COPY = "bench/article.html"


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

    def start(self, name, command, *, env, log_path, cwd=BASE_DIR, piped=False):
        """Start ``command``; its output goes to ``log_path``, or with ``piped`` only its errors, its standard
        input and output being pipes (text) for talking to it."""
        log = open(log_path, "w")  # noqa: SIM115 (kept open for the life of the process)
        streams = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE, "text": True} if piped else {"stdout": log}
        process = subprocess.Popen(  # noqa: S603
            command, cwd=cwd, env=env, stderr=log if piped else subprocess.STDOUT, start_new_session=True, **streams
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


def write_static_copy(static_root, html):
    """The article's HTML in STATIC_ROOT, plain and gzipped, before the servers start.

    gunicorn preloads the app, so whitenoise lists STATIC_ROOT once, in the
    master; a file written later would not be served. nginx serves the same
    folder (``gzip_static`` picks the ``.gz``).
    """
    path = Path(static_root) / STATIC_COPY
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(html)
    path.with_name(path.name + ".gz").write_bytes(gzip.compress(html))
    return path


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
    return f"""# Made by bench/servers.py from deploy/nginx.conf; thrown away after the run.
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


def start_nginx(processes, meter, app_base, workdir, static_copy, log_path):
    """nginx in front of ``app_base``, also serving ``static_copy``'s folder under /bench-static/."""
    recipe = (BASE_DIR / "deploy" / "nginx.conf").read_text()
    static_dir = static_copy.parent
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
    wait_until_up(f"{base}/bench-static/{static_copy.name}", process, log_path)
    say(f"nginx: {base} (pid {process.pid}, microcache in {workdir / 'cache'})")
    return base
