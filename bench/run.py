"""`make bench`: the site under real HTTP load, against its own baselines.

Starts gunicorn with production settings on PostgreSQL (and Redis, as in
production) with the shipped content, and measures it with wrk over loopback:
requests per second and p50/p99 latency for the home page, a guide part, the
case study list with a filter and a search, beside two baselines served by the
same gunicorn: the guide part's bytes as a static file through whitenoise, and
a bare Django view returning the same bytes. Then it times uncached guide part
renders in-process, holds 50 connections for 30 seconds to check for errors,
weighs a guide part page, and runs the search benchmark. Results are printed
and written to bench-results/latest.md.
"""

import gzip
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get(
    "BENCH_ADMIN_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
DATABASE = "embedded_bench"
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
DURATION = os.environ.get("BENCH_SECONDS", "5")
# Two cores share wrk, gunicorn, PostgreSQL and Redis, so single runs swing a lot:
# each page is measured this many times and the median run reported.
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
PART = "/guidance/nhs-organisations/recruiting-employing-and-hosting/"
PAGES = {
    "home page": "/",
    "guide part": PART,
    "case studies, filtered": "/case-studies/?setting=acute-trust",
    "search": "/search/?q=honorary+contract",
    "baseline: static file (whitenoise)": "/static/bench/page.html",
    "baseline: bare Django view": "/bench/bare/",
}


def production_env():
    return {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_DEBUG"},
        "DJANGO_SECRET_KEY": "bench-only-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": ADMIN_URL.rsplit("/", 1)[0] + f"/{DATABASE}",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
        "DJANGO_ROOT_URLCONF": "bench.urls",
        "GUNICORN_ACCESS_LOG": "",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def manage(*args, env):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(env):
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    manage("migrate", "--no-input", "-v", "0", env=env)
    manage("load_content", env=env)
    manage("collectstatic", "--no-input", "-v", "0", env=env)


def start(env):
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "gunicorn.conf.py",
            "embedded.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            if fetch("/healthz"):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def fetch(path):
    request = urllib.request.Request(BASE + path, headers={"X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def wrk(path, connections=16, seconds=DURATION):
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            "X-Forwarded-Proto: https",
            BASE + path,
        ],  # fmt: skip
        capture_output=True,
        text=True,
        check=True,
    )
    return parse_wrk(result.stdout)


def to_ms(value):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def parse_wrk(output):
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", output, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": to_ms(percentiles["50"]),
        "p99": to_ms(percentiles["99"]),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


RENDER_SCRIPT = """
import statistics, time
from django.core.cache import cache
from embedded.caching import VERSION_KEY, local
from django.test import Client
client = Client(HTTP_HOST="localhost", headers={"x-forwarded-proto": "https"})
timings = []
for _ in range(200):
    cache.clear()  # no stored pages; the content version is known, as on a running site
    local.clear()
    cache.set(VERSION_KEY, "bench", timeout=None)
    start = time.perf_counter()
    response = client.get("%s")
    timings.append((time.perf_counter() - start) * 1000)
    assert response.status_code == 200, response.status_code
timings.sort()
print(f"{statistics.median(timings):.2f} {timings[int(len(timings) * 0.95)]:.2f}")
"""


def uncached_render_ms(env):
    env = {**env, "REDIS_URL": ""}  # a local-memory cache, cleared before every request
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", RENDER_SCRIPT % PART],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if out.returncode:
        raise SystemExit(out.stderr)
    median, p95 = out.stdout.strip().splitlines()[-1].split()
    return float(median), float(p95)


def page_weight():
    html = fetch(PART)
    css = next((ROOT / "staticfiles" / "css").glob("main.*.css")).read_bytes()
    return len(gzip.compress(html)), len(gzip.compress(css)), len(html), len(css)


def main():
    if shutil.which("wrk") is None:
        raise SystemExit("make bench needs wrk, the HTTP load generator: apt-get install wrk")
    env = production_env()
    prepare(env)
    server = start(env)
    try:
        page = fetch(PART)
    finally:
        server.terminate()
        server.wait()
    baseline = ROOT / "staticfiles" / "bench" / "page.html"
    baseline.parent.mkdir(parents=True, exist_ok=True)
    baseline.write_bytes(page)
    server = start(env)
    results, lines = {}, []
    try:
        for name, path in PAGES.items():
            fetch(path)  # warm the cache, as readers would
            runs = sorted((wrk(path) for _ in range(RUNS)), key=lambda run: run["rps"])
            results[name] = runs[len(runs) // 2]
        load = wrk(PART + "?load", connections=50, seconds=30)
        gz_html, gz_css, raw_html, raw_css = page_weight()
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(baseline.parent, ignore_errors=True)
    render_median, render_p95 = uncached_render_ms(env)

    bare = results["baseline: bare Django view"]["rps"]
    static = results["baseline: static file (whitenoise)"]["rps"]
    lines.append(
        f"{len(page):,} byte guide part; wrk -t2 -c16, median of {RUNS} runs of {DURATION}s "
        "on loopback, "
        "gunicorn 2 workers x 4 threads, PostgreSQL + Redis, production settings.\n"
    )
    lines.append("| page | requests/s | p50 ms | p99 ms | vs bare view | vs static file |")
    lines.append("|---|---|---|---|---|---|")
    for name, result in results.items():
        lines.append(
            f"| {name} | {result['rps']:,.0f} | {result['p50']:.2f} | {result['p99']:.2f} "
            f"| {result['rps'] / bare:.0%} | {result['rps'] / static:.0%} |"
        )
    lines.append("")
    lines.append(
        f"Uncached guide part, rendered in-process (200 runs): median {render_median:.2f} ms, "
        f"p95 {render_p95:.2f} ms of server time."
    )
    socket_errors = f", socket errors: {load['socket_errors']}" if load["socket_errors"] else ""
    lines.append(
        f"Load test, 50 connections for 30 s on a guide part: {load['requests']:,} requests, "
        f"{load['rps']:,.0f}/s, p99 {load['p99']:.2f} ms, "
        f"{load['errors']} error responses{socket_errors}."
    )
    lines.append(
        f"Page weight of a guide part: {gz_html + gz_css:,} bytes compressed "
        f"(HTML {gz_html:,} + CSS {gz_css:,}; {raw_html + raw_css:,} uncompressed), "
        "no JavaScript, no web fonts."
    )
    report = "\n".join(lines)
    print("\n" + report)
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "latest.md").write_text(report + "\n")
    if (ROOT / "bench" / "search.py").exists():
        subprocess.run([sys.executable, "bench/search.py"], cwd=ROOT, check=True)
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    if load["errors"] or load["socket_errors"]:
        raise SystemExit("The load test saw errors.")


if __name__ == "__main__":
    main()
