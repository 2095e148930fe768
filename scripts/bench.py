"""`make bench`: the main pages under load, PDF rendering and concurrent voting.

Against PostgreSQL with a scale-1 bulk district (``seed_bulk --scale 1``), served by
gunicorn as in production (the Dockerfile's command, ``DJANGO_DEBUG=false``), loaded
by ``wrk`` from a second process with 8 concurrent clients:

1. creates the database (default ``aks_bench``) if missing, migrates it, seeds the
   bulk district once (skipped when one exists) and analyses the tables;
2. collects the static files into ``var/bench/static`` (production storage);
3. picks a typical body, meeting and minutes readable by everyone, and opens a
   session for a staff user (v-intern) of the district;
4. starts gunicorn on a free port, warms every URL up, runs ``wrk`` per URL and
   persona (anonymous and staff), stops gunicorn;
5. runs ``scripts/bench_pdf.py`` (30 and 300 items) and ``scripts/bench_votes.py``
   (500 voters in one poll);
6. writes ``var/bench.json`` and prints a table.

The trivial view is ``/healthz`` (one ``SELECT 1``, no broker with tasks eager):
a request through the full middleware stack that does no work. Each page's
throughput is given as a ratio of it; the login page (the base layout with a form,
no query) is listed too, as the cost of an empty page.

    .venv/bin/python scripts/bench.py [--duration 10] [--database-url URL]
"""

import argparse
import datetime
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess  # noqa: S404 - runs our own tools with fixed arguments
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
WORK = VAR / "bench"
BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/aks_bench"
CLIENTS = 8
THREADS = 2
# Targets from issue #9 (scale 1, 2 cores, 8 concurrent clients).
TARGET_P95_MS = 50.0
TARGET_RATIO = 0.25
TARGET_VOTE_SECONDS = 5.0
SEARCH_QUERY = "Kooperationen"

# wrk reports p50/p75/p90/p99 with --latency; this script gives p95 and the errors.
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, '
    .. '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, '
    .. '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(command: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, env=env, cwd=ROOT, check=True, **kwargs)  # noqa: S603


# --- Environment ------------------------------------------------------------------------


def base_env(database_url: str, secret_key: str) -> dict:
    """Production settings for a local run: what docker-compose gives the web service."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.pop("REDIS_URL", None)  # tasks run eagerly in-process; no broker involved
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "aks.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secret_key,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            # Requests carry "X-Forwarded-Proto: https" like the TLS proxy's; the
            # redirect is off as well so a forgotten header cannot turn into 301s.
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_STATIC_ROOT": str(WORK / "static"),
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": database_url,
            "PYTHONPATH": str(ROOT),
            "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "3"),  # the Dockerfile's
        }
    )
    return env


def ensure_database(database_url: str) -> None:
    parts = urllib.parse.urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        sys.exit(f"unexpected database name {name!r}")
    args = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    if parts.username:
        args += ["-U", parts.username]
    env = dict(os.environ)
    if parts.password:
        env["PGPASSWORD"] = parts.password
    query = f"SELECT 1 FROM pg_database WHERE datname = '{name}'"  # noqa: S608 - checked above
    command = [shutil.which("psql") or "psql", *args, "-d", "postgres", "-tAc", query]
    exists = subprocess.run(  # noqa: S603
        command, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    if exists != "1":
        log(f"creating database {name}")
        subprocess.run([shutil.which("createdb") or "createdb", *args, name], env=env, check=True)  # noqa: S603


def prepare_database(env: dict, scale: float) -> None:
    log("migrating")
    run([str(BIN / "python"), "manage.py", "migrate", "--no-input", "-v0"], env)
    check = "from aks.portal.bulk import bulk_run_exists; print(int(bulk_run_exists()))"
    seeded = run(
        [str(BIN / "python"), "manage.py", "shell", "-c", check],
        env,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if seeded.endswith("1"):
        log("bulk district present: not seeding again")
    else:
        log(f"seeding the bulk district at scale {scale} (takes about a minute)")
        run([str(BIN / "python"), "manage.py", "seed_bulk", "--scale", str(scale)], env)
    # Fresh planner statistics, as autovacuum would have them on a live database.
    log("VACUUM ANALYZE")
    run(
        [
            str(BIN / "python"),
            "manage.py",
            "shell",
            "-c",
            "from django.db import connection\nconnection.cursor().execute('VACUUM ANALYZE')",
        ],
        env,
    )
    log("collecting static files")
    run([str(BIN / "python"), "manage.py", "collectstatic", "--no-input", "-v0"], env)


# --- What to request --------------------------------------------------------------------

PICK = r"""
import json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from importlib import import_module
from aks.accounts import roles
from aks.portal.bulk import bulk_user, typical_objects

chosen = typical_objects()
staff = bulk_user(roles.V_INTERN)
engine = import_module(settings.SESSION_ENGINE)
session = engine.SessionStore()
session[SESSION_KEY] = str(staff.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = staff.get_session_auth_hash()
session.create()
chosen["staff"] = staff.email
chosen["cookie"] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
print("PICK " + json.dumps(chosen))
"""


def pick(env: dict) -> dict:
    out = run(
        [str(BIN / "python"), "manage.py", "shell", "-c", PICK],
        env,
        capture_output=True,
        text=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("PICK "))
    return json.loads(line[5:])


def pages(chosen: dict) -> list[tuple[str, str, bool]]:
    """(name, path, staff only)."""
    query = urllib.parse.urlencode({"q": SEARCH_QUERY})
    return [
        ("trivial (/healthz)", "/healthz", False),
        ("empty page (login)", "/konto/anmelden/", False),
        ("home", "/", False),
        ("body", f"/gremien/{chosen['body']}/", False),
        ("meeting list", "/sitzungen/", False),
        ("meeting", f"/sitzungen/{chosen['meeting']}/", False),
        ("minutes", f"/sitzungen/{chosen['meeting']}/protokoll/", False),
        ("decisions", "/gremien/beschluesse/", False),
        ("spaces", "/raeume/", False),
        ("map geojson", "/raeume/karte.geojson", False),
        ("search", f"/suche/?{query}", False),
        ("dashboard", "/uebersicht/", True),
    ]


# --- gunicorn ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    def __init__(self, env: dict):
        self.env = env
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.log = WORK / "gunicorn.log"

    def __enter__(self) -> "Gunicorn":
        # The Dockerfile's CMD, bound to localhost on a free port.
        command = [
            str(BIN / "gunicorn"),
            "aks.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--worker-tmp-dir",
            "/dev/shm",  # noqa: S108 - as in the Dockerfile
            "--access-logfile",
            "-",
            "--timeout",
            "60",
        ]
        log(f"starting gunicorn on port {self.port} ({self.env['WEB_CONCURRENCY']} workers)")
        self.process = subprocess.Popen(  # noqa: S603
            command,
            env=self.env,
            cwd=ROOT,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log}")
            try:
                if self.get("/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer; see {self.log}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            log("stopping gunicorn")
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def settle(self, limit: float = 60.0) -> None:
        """Wait until the requests still queued from the last run are answered.

        wrk stops sending when its time is up, but gunicorn still works through what
        it has accepted; the next measurement must not start behind that backlog.
        """
        deadline = time.monotonic() + limit
        quick = 0
        while quick < 3 and time.monotonic() < deadline:
            started = time.monotonic()
            self.get("/healthz")
            quick = quick + 1 if time.monotonic() - started < 0.05 else 0

    def get(self, path: str, cookie: str | None = None) -> tuple[int, int, str]:
        import http.client

        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path, headers=headers(cookie))
            response = connection.getresponse()
            body = response.read()
            return response.status, len(body), response.getheader("Location") or ""
        finally:
            connection.close()


def headers(cookie: str | None) -> dict:
    result = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "Accept-Language": "de"}
    if cookie:
        result["Cookie"] = cookie
    return result


def wrk(url: str, cookie: str | None, seconds: int) -> dict:
    script = WORK / "report.lua"
    command = [
        "wrk",
        f"-c{CLIENTS}",
        f"-t{THREADS}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "--latency",
        "-s",
        str(script),
    ]
    for name, value in headers(cookie).items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(  # noqa: S603
        [*command, url], capture_output=True, text=True, check=True
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH "))
    data = json.loads(line[6:])
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    data["non_2xx"] = int(non_2xx.group(1)) if non_2xx else 0
    return data


def measure(
    server: Gunicorn, chosen: dict, seconds: int, warmup: int, only: list[str] | None
) -> list[dict]:
    personas = [("anonymous", None), ("staff", chosen["cookie"])]
    plan = []
    for name, path, staff_only in pages(chosen):
        # The two baselines are always measured: the ratios need them.
        if only and name not in only and path not in ("/healthz", "/konto/anmelden/"):
            continue
        for persona, cookie in personas:
            if staff_only and cookie is None:
                continue
            if path.startswith("/konto/") and cookie is not None:
                continue  # the login page redirects a logged-in user
            status, size, location = server.get(path, cookie)
            if status != 200:
                raise RuntimeError(f"{persona} {path}: HTTP {status} {location}")
            plan.append((name, path, persona, cookie, size))
    log(f"warming up {len(plan)} URLs ({warmup} s each)")
    for _name, path, _persona, cookie, _size in plan:
        wrk(server.base + path, cookie, warmup)
        server.settle()
    results = []
    for name, path, persona, cookie, size in plan:
        data = wrk(server.base + path, cookie, seconds)
        server.settle()
        errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
        row = {
            "page": name,
            "path": path,
            "persona": persona,
            "requests": data["requests"],
            "rps": round(data["requests"] / (data["duration_us"] / 1e6), 1),
            "p50_ms": round(data["p50_us"] / 1000, 1),
            "p95_ms": round(data["p95_us"] / 1000, 1),
            "p99_ms": round(data["p99_us"] / 1000, 1),
            "bytes": size,
            "errors": errors,
            "error_kinds": {
                k: data[k] for k in ("connect", "read", "write", "status", "timeout") if data[k]
            },
        }
        results.append(row)
        log(
            f"{persona:<9} {name:<20} {row['rps']:>7.1f} req/s  p50 {row['p50_ms']:>6.1f} ms  "
            f"p95 {row['p95_ms']:>6.1f} ms  errors {errors}"
        )
    trivial = {r["persona"]: r["rps"] for r in results if r["path"] == "/healthz"}
    empty = next(r["rps"] for r in results if r["path"].startswith("/konto/"))
    for row in results:
        row["ratio_to_trivial"] = round(row["rps"] / trivial[row["persona"]], 3)
        row["ratio_to_empty_page"] = round(row["rps"] / empty, 3)
        row["meets_p95"] = row["p95_ms"] <= TARGET_P95_MS
        row["meets_ratio"] = row["ratio_to_trivial"] >= TARGET_RATIO
    return results


# --- PDF and votes ----------------------------------------------------------------------


def pdf_bench(env: dict) -> list[dict]:
    """scripts/bench_pdf.py (its own throwaway SQLite database), parsed."""
    log("PDF rendering (scripts/bench_pdf.py --sizes 30 300)")
    pdf_env = {k: v for k, v in env.items() if k not in ("DATABASE_URL", "DJANGO_DEBUG")}
    out = run(
        [str(BIN / "python"), "scripts/bench_pdf.py", "--sizes", "30", "300", "--repeat", "3"],
        pdf_env,
        capture_output=True,
        text=True,
    ).stdout
    rows = []
    for line in out.splitlines():
        fields = line.split()
        if len(fields) == 6 and fields[0] in ("agenda", "minutes") and fields[1].isdigit():
            rows.append(
                {
                    "document": fields[0],
                    "items": int(fields[1]),
                    "entries": int(fields[2]),
                    "html_s": float(fields[3]),
                    "pdf_s": float(fields[4]),
                    "pages": int(fields[5]),
                }
            )
    return rows


def vote_bench(env: dict) -> list[dict]:
    log("500 concurrent voters (scripts/bench_votes.py)")
    out = run(
        [str(BIN / "python"), "scripts/bench_votes.py", "--voters", "500", "--json"],
        env,
        capture_output=True,
        text=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("VOTES "))
    return json.loads(line[6:])


# --- Report -----------------------------------------------------------------------------


def machine() -> dict:
    memory = 0
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) // 1024
    cpu = platform.processor()
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {"nproc": os.cpu_count(), "memory_mib": memory, "cpu": cpu}


def table(report: dict) -> str:
    lines = [
        f"| page | persona | req/s | p50 ms | p95 ms | × trivial | "
        f"p95 ≤ {TARGET_P95_MS:.0f} ms | ≥ {TARGET_RATIO:.0%} |",
        "|---|---|---:|---:|---:|---:|:-:|:-:|",
    ]
    for r in report["pages"]:
        lines.append(
            f"| {r['page']} | {r['persona']} | {r['rps']:.1f} | {r['p50_ms']:.1f} | "
            f"{r['p95_ms']:.1f} | {r['ratio_to_trivial']:.2f} | "
            f"{'yes' if r['meets_p95'] else '**no**'} | {'yes' if r['meets_ratio'] else '**no**'} |"
        )
    lines += [
        "",
        "| document | items | entries | HTML s | PDF s | pages |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in report["pdf"]:
        lines.append(
            f"| {r['document']} | {r['items']} | {r['entries']} | {r['html_s']:.3f} | "
            f"{r['pdf_s']:.3f} | {r['pages']} |"
        )
    lines += [
        "",
        "| poll | voters | accepted | stored | lost | errors | seconds | votes/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in report["votes"]:
        lines.append(
            f"| {r['poll']} | {r['voters']} | {r['accepted']} | {r['stored']} | {r['lost']} | "
            f"{r['errors']} | {r['seconds']:.2f} | {r['votes_per_second']:.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per URL")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per URL")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="PostgreSQL database to use (created and seeded if needed)",
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--skip-pdf", action="store_true")
    parser.add_argument("--skip-votes", action="store_true")
    parser.add_argument("--only", nargs="*", help="page names to measure (default: all)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk (make bench does that)")

    started = time.monotonic()
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "report.lua").write_text(WRK_REPORT)
    env = base_env(args.database_url, secrets.token_urlsafe(50))
    ensure_database(args.database_url)
    prepare_database(env, args.scale)
    chosen = pick(env)
    log(
        f"body {chosen['body']} ({chosen['body_members']} memberships), meeting "
        f"{chosen['meeting']} ({chosen['agenda_items']} agenda items, "
        f"{chosen['minute_entries']} minute entries), staff {chosen['staff']}"
    )
    load_before = os.getloadavg()
    with Gunicorn(env) as server:
        results = measure(server, chosen, args.duration, args.warmup, args.only)
    load_after = os.getloadavg()
    report = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine(),
        # Other work on the machine skews every figure; the 1-minute load says how much.
        "load_average": {
            "before": [round(x, 2) for x in load_before],
            "after": [round(x, 2) for x in load_after],
        },
        "command": "make bench",
        "setup": {
            "database": urllib.parse.urlsplit(args.database_url).path.lstrip("/"),
            "scale": args.scale,
            "server": f"gunicorn, {env['WEB_CONCURRENCY']} sync workers, DJANGO_DEBUG=false",
            "load": f"wrk -c{CLIENTS} -t{THREADS} -d{args.duration}s, {args.warmup} s warm-up",
            "trivial_view": "/healthz",
            "search_query": SEARCH_QUERY,
            "chosen": {k: v for k, v in chosen.items() if k != "cookie"},
        },
        "targets": {
            "p95_ms": TARGET_P95_MS,
            "ratio_to_trivial": TARGET_RATIO,
            "votes_seconds": TARGET_VOTE_SECONDS,
        },
        "pages": results,
        "pdf": [] if args.skip_pdf else pdf_bench(env),
        "votes": [] if args.skip_votes else vote_bench(env),
    }
    report["seconds"] = round(time.monotonic() - started)
    (VAR / "bench.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print()
    print(table(report))
    print(f"\nwritten var/bench.json in {report['seconds']} s")


if __name__ == "__main__":
    main()
