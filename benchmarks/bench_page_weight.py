"""What a learner on a slow connection waits for: the bytes of each page kind's first load, and the
time until its first chart is drawn over a throttled link, with the partial plotly.js the pages ship
(ours) and with the full plotly.js the Python package carries (plain), measured in one run.

The pages of one country, built first with ``jlnlearn reports``, are served over HTTP from this
machine (a ``file://`` page is never throttled); Chromium loads each with its cache off and its
network emulated at ``--mbps`` (1.6 by default, the links many participants have) and 100 ms of
latency. First load counts the page and every file it fetches (plotly.js, nothing else: a chart's
CSV is fetched only when asked for). Each page is loaded ``--runs`` times each way, alternating;
the medians and their ratio are printed.

Usage: python benchmarks/bench_page_weight.py --out build/reports [--country PHL] [--runs 3] [--mbps 1.6]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright
from plotly.offline import get_plotlyjs

from jlnlearn.reports.printing import find_chromium

#: How long to wait for a chart on the slowest link before giving up on a load (seconds).
PATIENCE = 240


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # no line per request
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """An HTTP server on 127.0.0.1 for ``folder``, in a thread; its address."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def first_load(browser, url: str, mbps: float) -> tuple[int, float]:
    """Bytes fetched and seconds until the first chart is drawn (or the load event, on a page with none)."""
    context = browser.new_context()
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.setCacheDisabled", {"cacheDisabled": True})
    rate = mbps * 1e6 / 8
    session.send("Network.emulateNetworkConditions", {"offline": False, "latency": 100,
                                                      "downloadThroughput": rate, "uploadThroughput": rate})
    fetched = []
    session.on("Network.loadingFinished", lambda event: fetched.append(event["encodedDataLength"]))
    started = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded", timeout=PATIENCE * 1000)
    if page.locator("figure.chart").count():
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=PATIENCE * 1000)
    else:
        page.wait_for_load_state("load", timeout=PATIENCE * 1000)
    seconds = time.perf_counter() - started
    page.wait_for_load_state("load", timeout=PATIENCE * 1000)
    context.close()
    return int(sum(fetched)), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="a folder built with jlnlearn reports")
    parser.add_argument("--country", default="PHL")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--mbps", type=float, default=1.6)
    args = parser.parse_args()
    pages = ["index.html", *[str(p.relative_to(args.out)) for p in sorted((args.out / args.country).glob("0*.html"))]]
    with tempfile.TemporaryDirectory() as scratch:
        plain = Path(scratch) / "plain"
        shutil.copytree(args.out, plain, ignore=shutil.ignore_patterns("*.pdf", "*.ipynb", "*.xlsx"))
        (plain / "_static" / "plotly.min.js").write_text(get_plotlyjs(), encoding="utf-8")
        ours_server, ours = serve(args.out)
        plain_server, plain_url = serve(plain)
        results: dict[str, dict[str, list[tuple[int, float]]]] = {page: {"ours": [], "plain": []} for page in pages}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=find_chromium(), args=["--no-sandbox"])
            for _ in range(args.runs):
                for page in pages:
                    results[page]["ours"].append(first_load(browser, f"{ours}/{page}", args.mbps))
                    results[page]["plain"].append(first_load(browser, f"{plain_url}/{page}", args.mbps))
            browser.close()
        ours_server.shutdown()
        plain_server.shutdown()
    print(f"first load of {args.country}'s pages at {args.mbps:g} Mbps, median of {args.runs} runs each way")
    print(f"{'page':34} {'ours MB':>8} {'plain MB':>9} {'ours s':>7} {'plain s':>8} {'ratio':>6}")
    for page, ways in results.items():
        ours_bytes = statistics.median(load[0] for load in ways["ours"]) / 1e6
        plain_bytes = statistics.median(load[0] for load in ways["plain"]) / 1e6
        ours_seconds = statistics.median(load[1] for load in ways["ours"])
        plain_seconds = statistics.median(load[1] for load in ways["plain"])
        print(f"{page:34} {ours_bytes:8.2f} {plain_bytes:9.2f} {ours_seconds:7.1f} {plain_seconds:8.1f} "
              f"{plain_seconds / ours_seconds:6.1f}x")


if __name__ == "__main__":
    main()
