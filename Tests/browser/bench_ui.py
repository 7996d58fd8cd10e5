"""Times the web UI's heaviest pages on a running lablog with large data sets, and prints a table with targets.

  * the experiment page (first page of the runs table) of an experiment with 100,000 runs
  * the compare page of 50 runs, each with 5 metrics of 10,000 steps
  * the run page of a run with one 1,000,000-point metric

Each page is requested repeatedly over one keep-alive connection; the time is measured at the client on loopback,
so it is an upper bound of the server's time. The size is the HTML body as sent, before compression.
Run through ``scripts/bench-ui``, which builds a release binary first.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

from lablog_server import running_lablog

JSON = {"Content-Type": "application/json"}


def post(session: requests.Session, url: str, body: object) -> dict:
    response = session.post(url, data=json.dumps(body), headers=JSON, timeout=120)
    response.raise_for_status()
    return response.json()


def create_runs(url: str, experiment_id: int, count: int, clients: int) -> list[str]:
    """Creates ``count`` runs with 10 params and 10 latest metrics each, from several clients at once."""

    def worker(start: int, stop: int) -> list[str]:
        session = requests.Session()
        ids = []
        for index in range(start, stop):
            body = {
                "name": f"run-{index}",
                "params": {f"p{k}": f"v{(index + k) % 7}" for k in range(10)},
                "metrics": {f"m{k}": ((index * 7919 + k * 31) % 1000) / 1000 for k in range(10)},
            }
            ids.append(post(session, f"{url}/api/experiments/{experiment_id}/runs", body)["id"])
            if index % 10_000 == 0:
                print(f"    runs created: {index:,}", file=sys.stderr)
        return ids

    share = (count + clients - 1) // clients
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        futures = [pool.submit(worker, c * share, min(count, (c + 1) * share)) for c in range(clients)]
        return [run for future in futures for run in future.result()]


def log_history(url: str, run_id: str, key: str, steps: int, spike_at: int | None = None) -> None:
    session = requests.Session()
    for start in range(0, steps, 10_000):
        points = [
            {"key": key, "value": 100.0 if step == spike_at else 1 / (1 + step), "step": step, "timestamp": step}
            for step in range(start, min(steps, start + 10_000))
        ]
        post(session, f"{url}/api/runs/{run_id}/metrics", {"metrics": points})


def timed(session: requests.Session, url: str, requests_count: int) -> tuple[list[float], int]:
    session.get(url, timeout=120).raise_for_status()  # warm-up
    times, size = [], 0
    for _ in range(requests_count):
        started = time.perf_counter()
        response = session.get(url, timeout=120)
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
        size = len(response.content)
    return sorted(times), size


def percentile(values: list[float], fraction: float) -> float:
    return values[min(len(values) - 1, int(fraction * len(values)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=100_000, help="runs in the big experiment (100,000)")
    parser.add_argument("--compare-runs", type=int, default=50, help="runs on the compare page (50)")
    parser.add_argument("--compare-steps", type=int, default=10_000, help="steps per compared metric (10,000)")
    parser.add_argument("--history", type=int, default=1_000_000, help="points of the long metric (1,000,000)")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page (20)")
    parser.add_argument("--clients", type=int, default=4, help="clients creating the runs (4)")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="lablog-bench-ui-") as folder:
        with running_lablog(Path(folder), settings={"MAX_RUNS_PER_EXPERIMENT": "0"}) as server:
            url, session = server.url, requests.Session()
            print(f"==> creating {options.runs:,} runs", file=sys.stderr)
            big = post(session, f"{url}/api/experiments", {"name": "big"})["id"]
            started = time.perf_counter()
            create_runs(url, big, options.runs, options.clients)
            print(f"    {options.runs / (time.perf_counter() - started):,.0f} runs/s", file=sys.stderr)

            print(f"==> {options.compare_runs} runs x 5 metrics x {options.compare_steps:,} steps", file=sys.stderr)
            small = post(session, f"{url}/api/experiments", {"name": "compare"})["id"]
            compared = [
                post(session, f"{url}/api/experiments/{small}/runs", {})["id"] for _ in range(options.compare_runs)
            ]
            with concurrent.futures.ThreadPoolExecutor(options.clients) as pool:
                jobs = [
                    pool.submit(log_history, url, run, f"metric_{k}", options.compare_steps)
                    for run in compared
                    for k in range(5)
                ]
                for job in jobs:
                    job.result()

            print(f"==> one metric of {options.history:,} points", file=sys.stderr)
            long_run = post(session, f"{url}/api/experiments/{small}/runs", {"name": "long"})["id"]
            log_history(url, long_run, "loss", options.history, spike_at=options.history // 3)

            compare_url = f"{url}/experiments/{small}/compare?runs=" + ",".join(compared)
            pages = [
                (f"experiment page, {options.runs:,} runs", f"{url}/experiments/{big}", 50),
                (f"compare page, {options.compare_runs} runs x 5 metrics", compare_url, 300),
                (f"run page, {options.history:,}-point metric", f"{url}/runs/{long_run}", 200),
            ]
            print()
            print(f"{'page':36} {'p50 ms':>8} {'p99 ms':>8} {'target':>8} {'size KB':>8}  result")
            failures = 0
            for label, page_url, target in pages:
                times, size = timed(session, page_url, options.requests)
                p50, p99 = statistics.median(times), percentile(times, 0.99)
                ok = p50 < target and size < 300 * 1024
                failures += 0 if ok else 1
                print(f"{label:36} {p50:8.1f} {p99:8.1f} {target:8} {size / 1024:8.1f}  {'PASS' if ok else 'MISS'}")
            print("(time at the client over loopback keep-alive; size limit 300 KB)")
            return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
