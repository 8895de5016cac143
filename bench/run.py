"""`make bench`: the site under real HTTP load, against a bare Django view on the same server.

Creates a PostgreSQL database (embedded_bench), loads the shipped content and
collects static files, then starts three gunicorns with the shipped
gunicorn.conf.py (2 workers x 4 threads) and production settings:

- the site, with Redis as its shared page store, as in production;
- the baseline: a bare Django view returning the guide part's bytes behind
  only the middleware `startproject` gives (bench/bare_settings.py);
- the site with no page store at all, so every request renders its page
  (bench/uncached_settings.py).

wrk measures each page over loopback for BENCH_SECONDS (5), in turn, in
BENCH_RUNS (3) rounds, and reports each page's median round: requests per
second, p50 and p99 latency, and the ratio to the bare view measured in the
same rounds. Absolute numbers on a shared machine swing from day to day; the
ratio is the figure to compare. The guide part's bytes are also served as a
static file through whitenoise, the floor for any Python answer. Then the
shipped nginx configuration (deploy/nginx/) goes in front of the site, as
compose.yaml runs it, and a cached guide part through it is compared with the
same nginx serving the same bytes from disk over the same TLS. Then 50
connections are held for 30 seconds to check for errors, a guide part is
weighed, and bench/search.py times search. Results are printed and written to
bench-results/latest.md.
"""

import contextlib
import datetime
import gzip
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
import urllib.request
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.servers import NGINX, nginx_in_front_of  # noqa: E402  (the tests' own edge runner)

ADMIN_URL = os.environ.get(
    "BENCH_ADMIN_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
DATABASE = "embedded_bench"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
REDIS_PREFIX = f"embedded-bench-{os.getpid()}"
DURATION = os.environ.get("BENCH_SECONDS", "5")
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
PART = "/guidance/nhs-organisations/recruiting-employing-and-hosting/"
PAGES = {
    "home page": "/",
    "guide part": PART,
    "case studies, filtered": "/case-studies/?setting=acute-trust",
    "search": "/search/?q=honorary+contract",
}
STATIC_PAGE = "/static/bench/page.html"
BARE_VIEW = "/bench/bare/"
HTTPS = "X-Forwarded-Proto: https"


def production_env(**extra):
    return {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_DEBUG"},
        "DJANGO_SECRET_KEY": "bench-only-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": ADMIN_URL.rsplit("/", 1)[0] + f"/{DATABASE}",
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": REDIS_PREFIX,
        "GUNICORN_ACCESS_LOG": "",
        "DJANGO_LOG_LEVEL": "WARNING",
        **extra,
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


class Server:
    """gunicorn with the shipped configuration, on a free port, answering `ready` when up."""

    def __init__(self, env, ready="/healthz"):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "embedded.wsgi",
             "--bind", "127.0.0.1:0"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            for line in self.process.stderr:
                if match := re.search(r"Listening at: (http://\S+)", line):
                    self.base = match.group(1)
                    break
            else:
                raise SystemExit("gunicorn did not start")
            # Keep reading its log, so that it never blocks on a full pipe.
            threading.Thread(target=self.process.stderr.read, daemon=True).start()
            self.fetch(ready)
        except BaseException:
            self.stop()
            raise

    def fetch(self, path):
        request = urllib.request.Request(self.base + path, headers={"X-Forwarded-Proto": "https"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read()

    def stop(self):
        self.process.terminate()
        self.process.wait()


def without_address(page, server):
    return page.replace(server.base.removeprefix("http://").encode(), b"")


def wrk(url, connections=16, seconds=DURATION):
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency",
         "-H", HTTPS, url],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    try:
        return parse_wrk(result.stdout)
    except (AttributeError, KeyError):
        raise SystemExit(f"Could not read wrk's report:\n{result.stdout}") from None


def to_ms(value):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def parse_wrk(output):
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
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


def measure(targets):
    """Each target in turn, RUNS rounds; each target's median round by requests/s."""
    rounds = {name: [] for name in targets}
    for number in range(1, RUNS + 1):
        for name, url in targets.items():
            rounds[name].append(wrk(url))
            print(f"round {number}, {name}: {rounds[name][-1]['rps']:,.0f}/s", flush=True)
    return {
        name: sorted(runs, key=lambda run: run["rps"])[len(runs) // 2]
        for name, runs in rounds.items()
    }


def page_weight(html):
    css = next((ROOT / "staticfiles" / "css").glob("main.*.css")).read_bytes()
    return len(gzip.compress(html)), len(gzip.compress(css)), len(html), len(css)


def load_average():
    with contextlib.suppress(OSError):
        return Path("/proc/loadavg").read_text().split()[:3]
    return ["?", "?", "?"]


def table(title, results, bare):
    lines = [f"| {title} | requests/s | p50 ms | p99 ms | vs bare view |", "|---|---|---|---|---|"]
    for name, result in results.items():
        lines.append(
            f"| {name} | {result['rps']:,.0f} | {result['p50']:.2f} | {result['p99']:.2f} "
            f"| {result['rps'] / bare:.2f} |"
        )
    return lines


def measure_edge(site):
    """The guide part through the shipped nginx configuration (a cache HIT after the first
    request) against the same nginx serving the same bytes as a file, both over TLS."""
    if not Path(NGINX).exists():
        print("nginx is not installed (apt-get install nginx-light): no edge figures")
        return {}
    folder = Path(tempfile.mkdtemp(prefix="embedded-bench-edge-"))
    (folder / "files").mkdir()
    try:
        with nginx_in_front_of(site.base, folder, static_root=folder / "files") as edge:
            trusted = ssl.create_default_context(cafile=folder / "cert.pem")
            trusted.check_hostname = False  # the throwaway certificate names localhost

            def fetch(url):
                with urllib.request.urlopen(url, context=trusted, timeout=30) as answer:
                    return answer.read(), answer.headers["X-Cache-Status"]

            page, _ = fetch(edge.base + PART)
            if fetch(edge.base + PART) != (page, "HIT"):
                raise SystemExit("The edge did not answer the guide part from its cache.")
            (folder / "files" / "page.html").write_bytes(page)
            if fetch(edge.static_base + "/page.html") != (page, None):
                raise SystemExit("nginx did not serve the guide part's bytes as a file.")
            return measure(
                {
                    "guide part through the edge (nginx cache)": edge.base + PART,
                    "baseline: nginx serving the same bytes as a file": edge.static_base
                    + "/page.html",
                }
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def edge_table(results):
    if not results:
        return []
    static = results["baseline: nginx serving the same bytes as a file"]["rps"]
    lines = [
        "| through nginx | requests/s | p50 ms | p99 ms | vs static file |",
        "|---|---|---|---|---|",
    ]
    for name, result in results.items():
        lines.append(
            f"| {name} | {result['rps']:,.0f} | {result['p50']:.2f} | {result['p99']:.2f} "
            f"| {result['rps'] / static:.2f} |"
        )
    return ["", *lines]


def main():
    if shutil.which("wrk") is None:
        raise SystemExit("make bench needs wrk, the HTTP load generator: apt-get install wrk")
    env = production_env()
    prepare(env)
    page_file = ROOT / "staticfiles" / "bench" / "page.html"
    page_file.parent.mkdir(parents=True, exist_ok=True)
    before = load_average()
    servers = []
    try:
        uncached = Server(production_env(DJANGO_SETTINGS_MODULE="bench.uncached_settings"))
        servers.append(uncached)
        page = uncached.fetch(PART)
        page_file.write_bytes(page)  # before the site starts, so whitenoise finds it
        site = Server(env)
        servers.append(site)
        bare_env = production_env(
            DJANGO_SETTINGS_MODULE="bench.bare_settings", BENCH_PAGE=str(page_file)
        )
        bare = Server(bare_env, ready=BARE_VIEW)
        servers.append(bare)
        if bare.fetch(BARE_VIEW) != page:
            raise SystemExit("The bare view does not return the guide part's bytes.")
        # A page prints its own address (links are absolute for print): compare without it.
        if without_address(site.fetch(PART), site) != without_address(page, uncached):
            raise SystemExit("The site and the uncached site return different guide parts.")
        for path in PAGES.values():
            site.fetch(path)  # cached, as readers would find them
        cached = measure(
            {
                **{name: site.base + path for name, path in PAGES.items()},
                "baseline: bare Django view": bare.base + BARE_VIEW,
                "baseline: static file (whitenoise)": site.base + STATIC_PAGE,
            }
        )
        rendered = measure({name: uncached.base + path for name, path in PAGES.items()})
        edge = measure_edge(site)
        load = wrk(site.base + PART, connections=50, seconds=30)
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(page_file.parent, ignore_errors=True)
        store = redis.Redis.from_url(REDIS_URL)
        for key in store.scan_iter(match=f"{REDIS_PREFIX}*"):
            store.delete(key)
    after = load_average()

    bare_rps = cached["baseline: bare Django view"]["rps"]
    gz_html, gz_css, raw_html, raw_css = page_weight(page)
    lines = [
        f"{datetime.date.today():%Y-%m-%d}, {os.cpu_count()} cores, load average "
        f"{' '.join(before)} before and {' '.join(after)} after; {len(page):,} byte guide part; "
        f"wrk -t2 -c16 on loopback, median of {RUNS} rounds of {DURATION}s; gunicorn "
        "2 workers x 4 threads, PostgreSQL, Redis, production settings.",
        "",
        *table("page (cached)", cached, bare_rps),
        "",
        *table("page (rendered every time)", rendered, bare_rps),
        *edge_table(edge),
        "",
        f"Load test, 50 connections for 30 s on a cached guide part: {load['requests']:,} "
        f"requests, {load['rps']:,.0f}/s, p99 {load['p99']:.2f} ms, {load['errors']} error "
        f"responses{', socket errors: ' + load['socket_errors'] if load['socket_errors'] else ''}.",
        f"Page weight of a guide part: {gz_html + gz_css:,} bytes compressed "
        f"(HTML {gz_html:,} + CSS {gz_css:,}; {raw_html + raw_css:,} uncompressed), "
        "no JavaScript, no web fonts.",
    ]
    report = "\n".join(lines)
    print("\n" + report)
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "latest.md").write_text(report + "\n")
    if os.environ.get("BENCH_SEARCH", "1") == "1":
        subprocess.run([sys.executable, "bench/search.py"], cwd=ROOT, check=True)
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    if load["errors"] or load["socket_errors"]:
        raise SystemExit("The load test saw errors.")


if __name__ == "__main__":
    main()
