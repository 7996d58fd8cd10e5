"""Compares Lablog with the reference MLflow server over the MLflow REST API, on this machine.

Starts each server in turn (MLflow: ``mlflow server`` with a SQLite database, from this virtual environment;
Lablog: the binary named by LABLOG_BINARY) on a free loopback port with a fresh database, drives it with the
same load, and prints both figures and their ratio:

  * runs/log-batch ingest of 1,000-point batches from several concurrent clients (points/s)
  * runs/log-metric with one point per request (requests/s, and p99 latency)
  * runs/search with ``metrics.acc > 0.5 and params.lr = '0.01'`` ordered by ``metrics.acc`` over 10,000 runs (p50)
  * metrics/get-history of a 100,000-step metric, read whole in pages of 25,000 as the client does (time per read)

The load generator sends pre-encoded requests over keep-alive sockets from Python threads. It measures its own CPU
use; when it used most of a core, the figure is marked "client-bound" (a lower bound for that server).

  scripts/bench-mlflow                   # both servers, the sizes above
  scripts/bench-mlflow --only mlflow     # one server
  scripts/bench-mlflow --search-runs 2000 --history-steps 20000 --seconds 5   # smaller and quicker
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from servers import SERVER_KINDS, TrackingServer, running_server

API = "/api/2.0/mlflow/"
SEARCH_FILTER = "metrics.acc > 0.5 and params.lr = '0.01'"
SEARCH_ORDER = ["metrics.acc DESC"]
LEARNING_RATES = ["0.01", "0.001", "0.1"]
HISTORY_PAGE = 25_000  # what MlflowClient.get_metric_history asks for
CLIENT_BOUND = 0.85  # share of one core above which the load generator, not the server, sets the pace


# ---------------------------------------------------------------------------------------------------------------
# A lean HTTP/1.1 client: the load generator must cost far less than the server it measures.


class Connection:
    """One keep-alive connection that sends pre-encoded requests and reads the answers."""

    # Servers close idle keep-alive connections (uvicorn after 5 s); one idle this long is replaced before use.
    IDLE_SECONDS = 2.0

    def __init__(self, host: str, port: int):
        self.address = (host, port)
        self.socket: socket.socket | None = None
        self.pending = bytearray()
        self.last_used = 0.0

    def exchange(self, request: bytes) -> tuple[int, bytes]:
        if self.socket is not None and time.monotonic() - self.last_used > self.IDLE_SECONDS:
            self.close()
        if self.socket is None:
            self.socket = socket.create_connection(self.address, timeout=600)
            self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.pending.clear()
        self.socket.sendall(request)
        status, body, keep_alive = self._read_response()
        self.last_used = time.monotonic()
        if not keep_alive:
            self.close()
        return status, body

    def close(self) -> None:
        if self.socket is not None:
            self.socket.close()
            self.socket = None

    def _fill(self) -> None:
        chunk = self.socket.recv(1 << 18)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        self.pending += chunk

    def _take(self, count: int) -> bytes:
        while len(self.pending) < count:
            self._fill()
        taken = bytes(self.pending[:count])
        del self.pending[:count]
        return taken

    def _take_line(self) -> bytes:
        while (end := self.pending.find(b"\r\n")) < 0:
            self._fill()
        return self._take(end + 2)[:-2]

    def _read_response(self) -> tuple[int, bytes, bool]:
        while (end := self.pending.find(b"\r\n\r\n")) < 0:
            self._fill()
        head = self._take(end + 4).decode("latin-1").split("\r\n")
        status = int(head[0].split()[1])
        headers = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip().lower()
        if "chunked" in headers.get("transfer-encoding", ""):
            body = self._read_chunks()
        else:
            body = self._take(int(headers.get("content-length", "0")))
        return status, body, headers.get("connection") != "close"

    def _read_chunks(self) -> bytes:
        parts = []
        while size := int(self._take_line().split(b";")[0], 16):
            parts.append(self._take(size))
            self._take_line()
        while self._take_line():  # trailers, then the empty line
            pass
        return b"".join(parts)


class Endpoint:
    """Builds requests for one server and makes JSON calls for the setup phases."""

    def __init__(self, url: str):
        address = url.split("//", 1)[1].rstrip("/")
        host, _, port = address.partition(":")
        self.host, self.port = host, int(port)

    def connect(self) -> Connection:
        return Connection(self.host, self.port)

    def post(self, endpoint: str, body: dict | bytes) -> bytes:
        payload = body if isinstance(body, bytes) else json.dumps(body).encode()
        head = (
            f"POST {API}{endpoint} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
        )
        return head.encode() + payload

    def get(self, endpoint: str, query: str) -> bytes:
        return f"GET {API}{endpoint}?{query} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n".encode()

    @staticmethod
    def call(connection: Connection, request: bytes) -> dict:
        status, body = connection.exchange(request)
        if status != 200:
            raise RuntimeError(f"setup request failed with {status}: {body[:300]!r}")
        return json.loads(body) if body else {}


# ---------------------------------------------------------------------------------------------------------------
# Measuring


@dataclass
class Figure:
    value: float
    unit: str
    higher_is_better: bool
    notes: list[str] = field(default_factory=list)


@dataclass
class Drive:
    """What a burst of requests from several threads gave."""

    elapsed: float
    latencies: list[float]
    errors: list[str]
    client_cpu_share: float  # of one core
    server_cores: float

    def notes(self) -> list[str]:
        notes = [f"server used {self.server_cores:.1f} cores, the load generator {self.client_cpu_share:.0%} of one"]
        if self.client_cpu_share >= CLIENT_BOUND:
            notes.append("client-bound: the load generator was saturated, so this is a lower bound for the server")
        if self.errors:
            notes.append(f"{len(self.errors)} requests failed, e.g. {self.errors[0]}")
        return notes


def drive(server: TrackingServer, endpoint: Endpoint, request_lists: list[list[bytes]], seconds: float) -> Drive:
    """Sends each list from its own thread and connection, all at once, until the lists or the time run out."""
    start = threading.Barrier(len(request_lists) + 1)
    latencies: list[list[float]] = [[] for _ in request_lists]
    errors: list[str] = []

    def send(index: int) -> None:
        connection = endpoint.connect()
        mine = latencies[index]
        start.wait()
        deadline = time.perf_counter() + seconds
        for request in request_lists[index]:
            began = time.perf_counter()
            if began > deadline:
                break
            status, body = connection.exchange(request)
            mine.append(time.perf_counter() - began)
            if status != 200:
                errors.append(f"{status} {body[:200]!r}")
        connection.close()

    threads = [threading.Thread(target=send, args=(index,)) for index in range(len(request_lists))]
    for thread in threads:
        thread.start()
    cpu_before, server_before = time.process_time(), server.cpu_seconds()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return Drive(
        elapsed=elapsed,
        latencies=[latency for thread_latencies in latencies for latency in thread_latencies],
        errors=errors,
        client_cpu_share=(time.process_time() - cpu_before) / elapsed,
        server_cores=(server.cpu_seconds() - server_before) / elapsed,
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def in_parallel(workers: int, function: Callable, items: Iterable) -> list:
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(function, items))


class Progress:
    """Prints how far a long setup phase has come, every ``every`` items."""

    def __init__(self, label: str, total: int, every: int):
        self.label, self.total, self.every = label, total, every
        self.done, self.lock, self.started = 0, threading.Lock(), time.perf_counter()

    def step(self) -> None:
        with self.lock:
            self.done += 1
            if self.done % self.every == 0 or self.done == self.total:
                rate = self.done / (time.perf_counter() - self.started)
                print(f"      {self.label}: {self.done:,}/{self.total:,} ({rate:,.0f}/s)", flush=True)


# ---------------------------------------------------------------------------------------------------------------
# The workloads


@dataclass
class Config:
    clients: int
    seconds: float
    batch_points: int
    max_batches: int
    max_single: int
    search_runs: int
    search_queries: int
    search_max_results: int
    history_steps: int
    history_reads: int
    mlflow_workers: int


def metric(key: str, step: int) -> dict:
    """The point of ``key`` at ``step``: every workload logs distinct points, so none is a duplicate."""
    return {"key": key, "value": step * 0.001, "timestamp": 1_700_000_000_000 + step, "step": step}


def point(run_id: str, step: int) -> bytes:
    """The body of a log-metric request."""
    return json.dumps({"run_id": run_id, **metric("loss", step)}).encode()


class Workloads:
    def __init__(self, server: TrackingServer, config: Config):
        self.server, self.config = server, config
        self.endpoint = Endpoint(server.url)
        self.setup = self.endpoint.connect()

    def create_experiment(self, label: str) -> str:
        name = f"bench-{label}-{time.time_ns()}"
        return Endpoint.call(self.setup, self.endpoint.post("experiments/create", {"name": name}))["experiment_id"]

    def create_run(self, connection: Connection, experiment_id: str, **fields) -> str:
        body = {"experiment_id": experiment_id, "start_time": int(time.time() * 1000), **fields}
        return Endpoint.call(connection, self.endpoint.post("runs/create", body))["run"]["info"]["run_id"]

    def batch_body(self, run_id: str, key: str, first_step: int, points: int) -> bytes:
        metrics = [metric(key, step) for step in range(first_step, first_step + points)]
        return json.dumps({"run_id": run_id, "metrics": metrics}).encode()

    def ingest(self) -> dict[str, Figure]:
        config = self.config
        experiment_id = self.create_experiment("ingest")
        run_ids = [self.create_run(self.setup, experiment_id) for _ in range(config.clients)]
        print(
            f"    encoding up to {config.max_batches:,} batches of {config.batch_points:,} points per client",
            flush=True,
        )
        requests = [
            [
                self.endpoint.post(
                    "runs/log-batch", self.batch_body(run_id, "loss", batch * config.batch_points, config.batch_points)
                )
                for batch in range(config.max_batches)
            ]
            for run_id in run_ids
        ]
        result = drive(self.server, self.endpoint, requests, config.seconds)
        points = len(result.latencies) * config.batch_points
        return {"ingest": Figure(points / result.elapsed, "points/s", True, result.notes())}

    def single_points(self) -> dict[str, Figure]:
        config = self.config
        experiment_id = self.create_experiment("single")
        requests = []
        for _ in range(config.clients):
            run_id = self.create_run(self.setup, experiment_id)
            requests.append(
                [self.endpoint.post("runs/log-metric", point(run_id, step)) for step in range(config.max_single)]
            )
        result = drive(self.server, self.endpoint, requests, config.seconds)
        notes = result.notes()
        return {
            "single rate": Figure(len(result.latencies) / result.elapsed, "requests/s", True, notes),
            "single p99": Figure(
                percentile(result.latencies, 0.99) * 1000, "ms", False, [f"{len(result.latencies):,} requests"]
            ),
        }

    def populate_search(self, experiment_id: str) -> int:
        """Creates the search corpus; returns how many runs match the benchmark's filter."""
        config = self.config
        generator = random.Random(20240501)
        corpus = [
            (index, LEARNING_RATES[index % 3], round(generator.random(), 6)) for index in range(config.search_runs)
        ]
        progress = Progress("runs created", len(corpus), every=max(1, len(corpus) // 10))
        connections = threading.local()

        def create(entry: tuple[int, str, float]) -> None:
            index, learning_rate, accuracy = entry
            if not hasattr(connections, "connection"):
                connections.connection = self.endpoint.connect()
            connection = connections.connection
            run_id = self.create_run(connection, experiment_id, run_name=f"run-{index}")
            batch = {
                "run_id": run_id,
                "params": [{"key": "lr", "value": learning_rate}, {"key": "optimizer", "value": "adam"}],
                "metrics": [
                    {"key": "acc", "value": accuracy, "timestamp": 1_700_000_000_000, "step": 0},
                    {"key": "loss", "value": 1 - accuracy, "timestamp": 1_700_000_000_000, "step": 0},
                ],
            }
            Endpoint.call(connection, self.endpoint.post("runs/log-batch", batch))
            progress.step()

        in_parallel(config.clients, create, corpus)
        return sum(1 for _, learning_rate, accuracy in corpus if learning_rate == "0.01" and accuracy > 0.5)

    def search(self) -> dict[str, Figure]:
        config = self.config
        experiment_id = self.create_experiment("search")
        print(f"    creating {config.search_runs:,} runs with {config.clients} clients (slow on MLflow)", flush=True)
        matching = self.populate_search(experiment_id)
        body = {
            "experiment_ids": [experiment_id],
            "filter": SEARCH_FILTER,
            "order_by": SEARCH_ORDER,
            "max_results": config.search_max_results,
            "run_view_type": "ACTIVE_ONLY",
        }
        request = self.endpoint.post("runs/search", body)
        found = Endpoint.call(self.setup, request).get("runs", [])  # also warms caches
        accuracies = [metric["value"] for run in found for metric in run["data"]["metrics"] if metric["key"] == "acc"]
        expected = min(matching, config.search_max_results)
        if len(found) != expected or accuracies != sorted(accuracies, reverse=True):
            raise RuntimeError(f"runs/search gave {len(found)} runs (expected {expected}) or a wrong order")
        result = drive(self.server, self.endpoint, [[request] * config.search_queries], config.seconds * 3)
        notes = [
            f"{len(result.latencies)} queries, {expected:,} of {matching:,} matching runs returned per query",
            *result.notes(),
        ]
        return {"search p50": Figure(statistics.median(result.latencies) * 1000, "ms", False, notes)}

    def history(self) -> dict[str, Figure]:
        config = self.config
        experiment_id = self.create_experiment("history")
        run_id = self.create_run(self.setup, experiment_id)
        batches = range(0, config.history_steps, config.batch_points)
        print(f"    logging a {config.history_steps:,}-step metric in {len(batches)} batches", flush=True)
        connections = threading.local()

        def log(first_step: int) -> None:
            if not hasattr(connections, "connection"):
                connections.connection = self.endpoint.connect()
            points = min(config.batch_points, config.history_steps - first_step)
            Endpoint.call(
                connections.connection,
                self.endpoint.post("runs/log-batch", self.batch_body(run_id, "curve", first_step, points)),
            )

        in_parallel(config.clients, log, batches)
        steps = [point["step"] for page in self.read_history(run_id, parse=True) for point in page["metrics"]]
        if sorted(steps) != list(range(config.history_steps)):
            raise RuntimeError(f"metrics/get-history returned {len(steps):,} points, expected {config.history_steps:,}")

        cpu_before, server_before = time.process_time(), self.server.cpu_seconds()
        began = time.perf_counter()
        durations = []
        for _ in range(config.history_reads):
            started = time.perf_counter()
            self.read_history(run_id, parse=False)
            durations.append(time.perf_counter() - started)
        elapsed = time.perf_counter() - began
        result = Drive(
            elapsed,
            durations,
            [],
            (time.process_time() - cpu_before) / elapsed,
            (self.server.cpu_seconds() - server_before) / elapsed,
        )
        notes = [f"median of {config.history_reads} full reads in pages of {HISTORY_PAGE:,}", *result.notes()]
        return {"history": Figure(statistics.median(durations), "s per read", False, notes)}

    def read_history(self, run_id: str, parse: bool) -> list[dict]:
        """Reads the whole history page by page; parses the pages only when asked (the timing skips parsing)."""
        pages, token = [], None
        while True:
            query = f"run_id={run_id}&metric_key=curve&max_results={HISTORY_PAGE}" + (
                f"&page_token={token}" if token else ""
            )
            status, body = self.setup.exchange(self.endpoint.get("metrics/get-history", query))
            if status != 200:
                raise RuntimeError(f"metrics/get-history failed with {status}: {body[:300]!r}")
            if parse:
                pages.append(json.loads(body))
            found = re.search(rb'"next_page_token"\s*:\s*"([^"]*)"', body[-512:])
            token = found.group(1).decode() if found else None
            if not token:
                return pages


WORKLOADS = [
    ("ingest", "runs/log-batch, 1,000-point batches, {clients} clients", Workloads.ingest),
    ("single", "runs/log-metric, 1 point/request, {clients} clients", Workloads.single_points),
    ("search", "runs/search over {search_runs:,} runs", Workloads.search),
    ("history", "metrics/get-history of {history_steps:,} steps", Workloads.history),
]

ROWS = [
    ("ingest", "log-batch ingest"),
    ("single rate", "log-metric, one point a request"),
    ("single p99", "log-metric p99 latency"),
    ("search p50", "search p50 (acc > 0.5, lr = 0.01, by acc)"),
    ("history", "get-history, one full read"),
]


def wait_until_idle(server: TrackingServer, timeout: float = 60) -> None:
    """Waits for the server's start-up work to end (MLflow starts helper processes after it answers /health)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = server.cpu_seconds()
        time.sleep(1)
        if server.cpu_seconds() - before < 0.05:
            return
    print(f"    the server still uses CPU while idle after {timeout:.0f} s; measuring anyway", flush=True)


def bench_server(kind: str, config: Config) -> dict[str, Figure]:
    print(f"\n==> {kind}: starting the server", flush=True)
    with tempfile.TemporaryDirectory(prefix=f"bench-{kind}-") as folder:
        with running_server(kind, Path(folder), mlflow_workers=config.mlflow_workers) as server:
            wait_until_idle(server)
            workloads = Workloads(server, config)
            figures = {}
            for _, label, method in WORKLOADS:
                print(f"  -- {label.format(**vars(config))}", flush=True)
                started = time.perf_counter()
                figures.update(method(workloads))
                print(f"     done in {time.perf_counter() - started:.1f} s", flush=True)
            workloads.setup.close()
            return figures


def ratio(mlflow: Figure | None, lablog: Figure | None) -> float | None:
    """How many times better Lablog is than MLflow on this figure."""
    if mlflow is None or lablog is None or not mlflow.value or not lablog.value:
        return None
    return lablog.value / mlflow.value if mlflow.higher_is_better else mlflow.value / lablog.value


def print_table(results: dict[str, dict[str, Figure]], target: float) -> None:
    print("\n==> Lablog against MLflow over the MLflow REST API (ratio = how many times better Lablog is)")
    header = f"{'workload':44} {'unit':>11} {'mlflow':>12} {'lablog':>12} {'ratio':>8}"
    print(header)
    print("-" * len(header))
    for key, label in ROWS:
        figures = {kind: results.get(kind, {}).get(key) for kind in SERVER_KINDS}
        some = next(figure for figure in figures.values() if figure is not None) if any(figures.values()) else None
        if some is None:
            continue
        cells = [f"{figures[kind].value:,.2f}" if figures[kind] else "-" for kind in ("mlflow", "lablog")]
        times = ratio(figures["mlflow"], figures["lablog"])
        shown = "" if times is None else f"{times:,.1f}x"
        verdict = "" if times is None or times >= target else f"  below the {target:g}x target"
        print(f"{label:44} {some.unit:>11} {cells[0]:>12} {cells[1]:>12} {shown:>8}{verdict}")
    print()
    for kind, figures in results.items():
        for key, label in ROWS:
            if key in figures:
                for note in figures[key].notes:
                    print(f"  {kind:6} {label}: {note}")


def parse_arguments(argv: list[str]) -> tuple[list[str], Config, float]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=SERVER_KINDS, help="benchmark one server instead of both")
    parser.add_argument(
        "--clients", type=int, default=4, help="concurrent clients for ingest, log-metric and setup (4)"
    )
    parser.add_argument("--seconds", type=float, default=10, help="duration of each throughput workload (10)")
    parser.add_argument("--batch-points", type=int, default=1000, help="points per log-batch request (1000)")
    parser.add_argument("--max-batches", type=int, default=250, help="pre-encoded batches per client, at most (250)")
    parser.add_argument(
        "--max-single", type=int, default=100_000, help="pre-encoded log-metric requests per client (100000)"
    )
    parser.add_argument("--search-runs", type=int, default=10_000, help="runs in the search corpus (10000)")
    parser.add_argument("--search-queries", type=int, default=30, help="timed search queries, at most (30)")
    parser.add_argument(
        "--search-max-results", type=int, default=1000, help="max_results of each search, the client's default (1000)"
    )
    parser.add_argument(
        "--history-steps", type=int, default=100_000, help="steps of the metric read back whole (100000)"
    )
    parser.add_argument("--history-reads", type=int, default=5, help="timed full reads of the history (5)")
    parser.add_argument(
        "--mlflow-workers",
        type=int,
        default=1,
        help="uvicorn workers of the MLflow server (1; MLflow's default, 4, is slower here: SQLite writers contend)",
    )
    parser.add_argument("--target", type=float, default=10, help="the ratio Lablog should reach on every figure (10)")
    arguments = parser.parse_args(argv)
    kinds = [arguments.only] if arguments.only else ["mlflow", "lablog"]
    options = {name: value for name, value in vars(arguments).items() if name not in ("only", "target")}
    return kinds, Config(**options), arguments.target


def main(argv: list[str]) -> int:
    kinds, config, target = parse_arguments(argv)
    print(f"machine: {os.cpu_count()} cores, shared by the server under test and the load generator")
    print("config: " + ", ".join(f"{name}={value}" for name, value in vars(config).items()))
    results = {kind: bench_server(kind, config) for kind in kinds}
    print_table(results, target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
