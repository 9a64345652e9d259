"""The results page on a slow phone: Largest Contentful Paint and Total Blocking Time in Chromium.

    .venv/bin/python scripts/phone_lcp.py [BASE_URL] [--runs N]   (http://127.0.0.1:8000, 1)

Drives /usr/bin/chromium (CHROMIUM_PATH) with Playwright against a running server (load the demo
directory first) and throttles it through the DevTools protocol the way Lighthouse's mobile
profile does: 150 ms round trip, 1.6 Mbps down, 750 kbps up, the CPU 4x slower, a 412x915 phone
screen at 2.625 device pixels. Each results URL is opened twice: a first visit in a fresh context
(empty cache), then, in the same context, a repeat visit to the next URL of the list, so the
static files come from the cache as they would for someone refining a search.

LCP is the last 'largest-contentful-paint' entry; TBT sums, over the long tasks between First
Contentful Paint and quiescence (network idle, then a second with no new long task), each task's
time beyond 50 ms. Both observers are registered before the page's own HTML is parsed.

Prints a table against issue 20's targets (LCP <= 2.0 s first visit, <= 1.0 s repeat) and, for
the first visit, what the page fetched and which of it held back the first paint. Exits 1 only
when a page fails to load, the observers never report or the throttling did not take effect: a
slow figure is for a person to read, not a reason to fail CI.
"""

import argparse
import os
import statistics
import sys
import time
import urllib.request
from dataclasses import dataclass, field, replace

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# One search of each kind on the demo directory: a ZIP code, a city with a facet, a keyword.
SEARCHES = [
    "/?location=94110&radius=25",
    "/?location=Los+Angeles%2C+CA&radius=25&level=residential",
    "/?q=recovery",
]
RTT_MS = 150
DOWN_BPS = 1_600_000
UP_BPS = 750_000
CPU_SLOWDOWN = 4
PHONE = {
    "viewport": {"width": 412, "height": 915},
    "device_scale_factor": 2.625,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/130.0.0.0 Mobile Safari/537.36"
    ),
}
TARGET_MS = {"first": 2000, "repeat": 1000}

# Runs in every new document before its HTML: buffered observers still miss nothing, and the
# long-task observer exists before the first long task ends.
OBSERVERS = """
(() => {
  const seen = window.__phone = {lcp: null, fcp: null, longTasks: [], errors: []};
  const describe = (el) => {
    if (!el) return "(element removed)";
    let name = el.tagName.toLowerCase();
    if (el.id) name += "#" + el.id;
    if (el.classList.length) name += "." + [...el.classList].join(".");
    const text = (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60);
    return text ? name + ' "' + text + '"' : name;
  };
  const observe = (type, onEntry) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(onEntry))
        .observe({type: type, buffered: true});
    } catch (error) {
      seen.errors.push(type + ": " + error);
    }
  };
  observe("largest-contentful-paint", (e) => {
    seen.lcp = {time: e.startTime, size: e.size, element: describe(e.element), url: e.url};
  });
  observe("paint", (e) => {
    if (e.name === "first-contentful-paint") seen.fcp = e.startTime;
  });
  observe("longtask", (e) => seen.longTasks.push([e.startTime, e.duration]));
})();
"""

# What the page itself knows once it is quiet: the observers' findings and its resource timings.
READ_BACK = """
() => {
  const nav = performance.getEntriesByType("navigation")[0];
  return {
    ...window.__phone,
    now: performance.now(),
    server: nav.responseStart,
    htmlEnd: nav.responseEnd,
    htmlBytes: nav.encodedBodySize,
    domContentLoaded: nav.domContentLoadedEventEnd,
    load: nav.loadEventEnd,
    resources: performance.getEntriesByType("resource").map((r) => ({
      name: r.name, start: r.startTime, end: r.responseEnd, bytes: r.transferSize,
      blocking: r.renderBlockingStatus || "", type: r.initiatorType,
    })),
  };
}
"""


class PageFailed(Exception):
    """The page or the measurement is broken (not merely slow): CI fails on this."""


@dataclass
class Network:
    """Requests and bytes of one navigation as the DevTools protocol saw them."""

    sent: set = field(default_factory=set)
    cached: set = field(default_factory=set)
    failed: list = field(default_factory=list)
    bytes: int = 0

    def listen(self, cdp) -> None:
        cdp.on("Network.requestWillBeSent", lambda e: self.sent.add(e["requestId"]))
        cdp.on("Network.requestServedFromCache", lambda e: self.cached.add(e["requestId"]))
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", lambda e: self.failed.append(e.get("errorText", "")))

    def reset(self) -> None:
        self.sent.clear()
        self.cached.clear()
        self.failed.clear()
        self.bytes = 0

    def _response(self, event) -> None:
        response = event["response"]
        if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
            self.cached.add(event["requestId"])

    def _finished(self, event) -> None:
        self.bytes += event.get("encodedDataLength", 0)


@dataclass
class Visit:
    url: str
    kind: str  # "first" or "repeat"
    # Navigation Timing's responseStart. Chromium adds the emulated latency above the network stack,
    # after this is recorded, so it is about the server's own time (seen: 12 ms for a cached page).
    server: float
    fcp: float
    lcp: float
    tbt: float
    kilobytes: float
    requests: int
    cached: int
    element: str
    resources: list
    timeline: dict


def blocking_time(tasks: list, start: float, end: float) -> float:
    """Lighthouse's TBT: each long task's time past 50 ms, counting only its part after `start`."""
    total = 0.0
    for task_start, duration in tasks:
        clipped = min(task_start + duration, end) - max(task_start, start)
        total += max(0.0, clipped - 50)
    return total


def wait_until_quiet(page, limit_s: float = 15) -> None:
    """Network idle, then one second with no new long task (the tail TBT must include)."""
    page.wait_for_load_state("networkidle")
    deadline = time.monotonic() + limit_s
    count = -1
    while time.monotonic() < deadline:
        page.wait_for_timeout(1000)
        now = page.evaluate("window.__phone ? window.__phone.longTasks.length : -1")
        if now == count:
            return
        count = now


def visit(page, network: Network, url: str, kind: str) -> Visit:
    network.reset()
    try:
        response = page.goto(url, wait_until="load", timeout=60_000)
    except Exception as error:  # a timeout, a refused connection, a crash of the tab
        raise PageFailed(f"{url}: {error}") from error
    if response is None or not response.ok:
        raise PageFailed(f"{url}: HTTP {response.status if response else 'no response'}")
    wait_until_quiet(page)
    seen = page.evaluate(READ_BACK)
    if seen["errors"] or seen["lcp"] is None or seen["fcp"] is None:
        raise PageFailed(f"{url}: the observers never reported ({seen['errors'] or 'no entry'})")
    # The HTML's last byte cannot come sooner than one round trip plus its size at 1.6 Mbps.
    least_ms = RTT_MS + seen["htmlBytes"] / (DOWN_BPS / 8) * 1000
    if seen["htmlEnd"] < 0.8 * least_ms:
        raise PageFailed(
            f"{url}: its HTML arrived in {seen['htmlEnd']:.0f} ms, under the {least_ms:.0f} ms "
            "the throttling allows, so the throttling did not apply"
        )
    if network.failed:
        raise PageFailed(f"{url}: requests failed: {network.failed}")
    lcp = seen["lcp"]
    return Visit(
        url=url,
        kind=kind,
        server=seen["server"],
        fcp=seen["fcp"],
        lcp=lcp["time"],
        tbt=blocking_time(seen["longTasks"], seen["fcp"], seen["now"]),
        kilobytes=network.bytes / 1024,
        requests=len(network.sent - network.cached),
        cached=len(network.cached & network.sent),
        element=lcp["url"] or lcp["element"],
        resources=seen["resources"],
        timeline={
            key: seen[key]
            for key in ["htmlEnd", "htmlBytes", "domContentLoaded", "load", "longTasks"]
        },
    )


def throttle(context, page) -> Network:
    """Slow this page's network and CPU to a mid-range phone on a poor mobile connection."""
    cdp = context.new_cdp_session(page)
    network = Network()
    network.listen(cdp)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": RTT_MS,
            "downloadThroughput": DOWN_BPS / 8,  # bytes per second
            "uploadThroughput": UP_BPS / 8,
            "connectionType": "cellular4g",
        },
    )
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    return network


def warm_server(base: str) -> None:
    """Ask for each page once, unthrottled: a visitor meets a server that has served before."""
    for path in SEARCHES:
        try:
            with urllib.request.urlopen(base + path, timeout=60) as response:
                response.read()
        except Exception as error:
            raise PageFailed(f"{base + path}: {error}") from error


def measure(base: str) -> list[Visit]:
    """One first and one repeat visit to each search, in the order of SEARCHES."""
    from playwright.sync_api import sync_playwright

    visits = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            for index, path in enumerate(SEARCHES):
                context = browser.new_context(service_workers="block", **PHONE)
                context.add_init_script(OBSERVERS)
                page = context.new_page()
                network = throttle(context, page)
                visits.append(visit(page, network, base + path, "first"))
                following = SEARCHES[(index + 1) % len(SEARCHES)]
                visits.append(visit(page, network, base + following, "repeat"))
                context.close()
        finally:
            browser.close()
    return visits


def median_visits(runs: list[list[Visit]]) -> list[Visit]:
    """Each row's median timings over the runs: on a shared machine one run is noisy."""
    rows = []
    for same in zip(*runs, strict=True):
        middle = sorted(same, key=lambda v: v.lcp)[len(same) // 2]
        rows.append(
            replace(
                middle,
                **{
                    name: statistics.median(getattr(v, name) for v in same)
                    for name in ["server", "fcp", "tbt"]
                },
            )
        )
    return rows


def report(visits: list[Visit], base: str, runs: int) -> None:
    print(
        f"Phone: {PHONE['viewport']['width']}x{PHONE['viewport']['height']} at "
        f"{PHONE['device_scale_factor']}x, {RTT_MS} ms RTT, {DOWN_BPS / 1e6:g} Mbps down, "
        f"{UP_BPS / 1e3:g} kbps up, CPU {CPU_SLOWDOWN}x slower; {base}; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (a busy machine slows the CPU more)"
    )
    if runs > 1:
        print(f"Medians of {runs} runs (the LCP element, KB and requests: the median-LCP run's)")
    print(
        f"{'url':<52} {'visit':<6} {'server':>6} {'FCP':>6} {'LCP ms':>7} {'TBT ms':>7} "
        f"{'KB':>7} {'requests':>8} {'cached':>6}"
    )
    for v in visits:
        path = v.url.removeprefix(base)
        print(
            f"{path:<52} {v.kind:<6} {v.server:6.0f} {v.fcp:6.0f} {v.lcp:7.0f} {v.tbt:7.0f} "
            f"{v.kilobytes:7.1f} {v.requests:8d} {v.cached:6d}"
        )
    print("\nLCP element:")
    for v in visits:
        print(f"  {v.url.removeprefix(base)} ({v.kind}): {v.element}")
    for kind, target in TARGET_MS.items():
        worst = max(v.lcp for v in visits if v.kind == kind)
        verdict = "met" if worst <= target else "MISSED"
        print(f"{kind} visit: worst LCP {worst:.0f} ms, target <= {target} ms: {verdict}")
    first = visits[0]
    t = first.timeline
    print(
        f"\nFirst visit to {first.url.removeprefix(base)}: HTML {t['htmlBytes'] / 1024:.1f} KB, "
        f"its last byte at {t['htmlEnd']:.0f} ms, DOMContentLoaded {t['domContentLoaded']:.0f}, "
        f"load {t['load']:.0f}; long tasks (start+ms): "
        + (", ".join(f"{start:.0f}+{ms:.0f}" for start, ms in t["longTasks"]) or "none")
    )
    print("What it fetched after its HTML:")
    for r in first.resources:
        name = r["name"].removeprefix(base)
        blocking = "render-blocking" if r["blocking"] == "blocking" else ""
        print(
            f"  {r['start']:6.0f}-{r['end']:6.0f} ms {r['bytes'] / 1024:6.1f} KB "
            f"{r['type']:<6} {blocking:<15} {name}"
        )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base_url", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--runs", type=int, default=1, help="report each figure's median")
    args = parser.parse_args(argv)
    base = args.base_url.rstrip("/")
    try:
        warm_server(base)
        runs = [measure(base) for _ in range(max(1, args.runs))]
    except PageFailed as error:
        print(f"phone_lcp: {error}", file=sys.stderr)
        return 1
    report(median_visits(runs), base, len(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
