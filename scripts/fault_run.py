"""The fault run's helper; scripts/fault_run.sh runs it (see there for the whole run).

proxy    a TCP proxy on loopback in front of PostgreSQL: SIGUSR1 takes the database away
         (the listening socket closed, every open connection cut), SIGUSR2 brings it back
prepare  the request mix (searches, detail pages, the API, HSDS, problem reports) from the
         database, and a CSRF token and cookie for the reports
check    the per-phase figures wrk printed, and the reports stored against those accepted;
         exits 1 if any phase failed its rule
"""

import argparse
import asyncio
import http.cookiejar
import json
import os
import re
import signal
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What each phase may answer: no server error at all while only Redis is in trouble; while the
# database is away, the friendly 503 and nothing worse.
DATABASE_DOWN = "db_down"


def proxy(listen: int, target: int) -> None:
    asyncio.run(_proxy(listen, target))


async def _proxy(listen: int, target: int) -> None:
    live: set[asyncio.StreamWriter] = set()
    server = None

    async def pipe(reader, writer):
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def handle(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", target)
        except OSError:
            client_writer.close()
            return
        live.update((client_writer, server_writer))
        await asyncio.gather(pipe(client_reader, server_writer), pipe(server_reader, client_writer))
        live.difference_update((client_writer, server_writer))

    async def start():
        nonlocal server
        server = await asyncio.start_server(handle, "127.0.0.1", listen, reuse_address=True)

    def down():
        if server is not None:
            server.close()
        for writer in list(live):
            writer.transport.abort()  # a reset, as when the database host goes away
        live.clear()
        print("proxy: database unreachable", flush=True)

    def up():
        asyncio.ensure_future(start())
        print("proxy: database reachable", flush=True)

    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGUSR1, down)
    loop.add_signal_handler(signal.SIGUSR2, up)
    stop = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, stop.set_result, None)
    await start()
    print(f"proxy: 127.0.0.1:{listen} -> 127.0.0.1:{target}", flush=True)
    await stop


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finder.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(work: Path, base: str) -> None:
    _django()
    from programs.models import Program

    published = list(Program.objects.published().order_by("pk")[:100])
    zips = sorted({p.zip_code[:5] for p in published})
    facets = ["", "&payment=medicaid", "&level=outpatient", "&medication=buprenorphine"]
    lines = []
    for n in range(200):  # 5 searches, 2 detail pages, 1 API, 1 HSDS, 1 report in 10
        kind, program = n % 10, published[n % len(published)]
        if kind < 5:
            lines.append(f"GET /?location={zips[n % len(zips)]}{facets[n % len(facets)]}")
        elif kind < 7:
            lines.append(f"GET {program.get_absolute_url()}")
        elif kind == 7:
            lines.append(f"GET /api/v1/programs/?location={zips[n % len(zips)]}")
        elif kind == 8:
            lines.append("GET /hsds/services?per_page=10")
        else:
            lines.append(f"POST /programs/{program.slug}/report/")
    (work / "mix.txt").write_text("\n".join(lines) + "\n")
    # One token and cookie for the whole run: the CSRF cookie does not depend on Redis.
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(f"{base}/programs/{published[0].slug}/report/", timeout=30).read()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html.decode()).group(1)
    cookie = next(c.value for c in jar if c.name == "csrftoken")
    (work / "csrf").write_text(f"{token} {cookie}\n")
    print(f"{len(published)} programs in the mix of {len(lines)} requests")


def check(work: Path) -> int:
    _django()
    from reports.models import ProblemReport

    failed = []
    accepted = 0
    print(f"{'phase':<12} {'requests':>8} {'2xx-4xx':>8} {'503':>6} {'other 5xx':>9} "
          f"{'socket errs':>11} {'p50 ms':>7} {'p99 ms':>7} {'reports':>7}  /healthz")  # fmt: skip
    for phase_file in sorted(work.glob("phase-*.json")):
        phase = json.loads(phase_file.read_text())
        name, result = phase["name"], phase["result"]
        socket_errors = sum(result[k] for k in ("connect", "read", "write", "timeout"))
        accepted += result["reports_accepted"]
        print(f"{name:<12} {result['requests']:>8} {result['ok'] + result['client_errors'] + result['reports_accepted']:>8} "  # noqa: E501
              f"{result['status_503']:>6} {result['other_5xx']:>9} {socket_errors:>11} "
              f"{result['p50_ms']:>7.1f} {result['p99_ms']:>7.1f} {result['reports_accepted']:>7}"
              f"  {phase['healthz']}")  # fmt: skip
        if result["requests"] == 0:
            failed.append(f"{name}: no request answered")
        if result["other_5xx"] or socket_errors:
            failed.append(f"{name}: {result['other_5xx']} server errors, {socket_errors} socket")
        if name == DATABASE_DOWN:
            if not result["status_503"]:
                failed.append(f"{name}: the database outage never showed the 503 page")
            if not phase["friendly_page"]:
                failed.append(f"{name}: the 503 answer was not the friendly page")
        elif result["status_503"]:
            failed.append(f"{name}: {result['status_503']} answers 503")
    # The server's own count: wrk does not see the answers still in flight when a phase ends.
    access = (work / "access.log").read_text().splitlines()
    answered = sum(1 for line in access if re.search(r'"POST /programs/[^/]+/report/" 302 ', line))
    stored = ProblemReport.objects.filter(details__startswith="fault-report-").count()
    print(f"reports accepted: {answered} (wrk saw {accepted} of them); stored: {stored}")
    if stored != answered:
        failed.append(f"reports accepted {answered} != stored {stored}")
    for failure in failed:
        print(f"FAILED {failure}")
    print("fault run: " + ("FAILED" if failed else "passed"))
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("proxy")
    p.add_argument("--listen", type=int, required=True)
    p.add_argument("--target", type=int, default=5432)
    p = commands.add_parser("prepare")
    p.add_argument("--work", type=Path, required=True)
    p.add_argument("--base", required=True)
    p = commands.add_parser("check")
    p.add_argument("--work", type=Path, required=True)
    args = parser.parse_args()
    if args.command == "proxy":
        proxy(args.listen, args.target)
        return 0
    if args.command == "prepare":
        prepare(args.work, args.base)
        return 0
    return check(args.work)


if __name__ == "__main__":
    sys.exit(main())
