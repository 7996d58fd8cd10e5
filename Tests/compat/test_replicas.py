"""Two Lablog servers on one PostgreSQL database behind a round-robin load balancer (Debian's nginx).

Runs only when LABLOG_TEST_POSTGRES_URL names a PostgreSQL database (``eval "$(scripts/postgres-env start)"``);
both servers use one fresh schema of it. Writes go through the balancer and straight to each server at once, from
several threads; afterwards every count and every history is checked point by point on both servers, and every
acknowledged write is read back at once from the other server. Races between the two servers must have one
winner and a clear error for the loser. Last, the database server is stopped (LABLOG_TEST_POSTGRES_DIR names its
cluster): requests fail with 503 in the error format and succeed again by themselves once it is back.

Without nginx (and no way to install it) a client that alternates between the two servers stands in for it.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag

from helpers import SERVER_KIND, RestApi, expect_error, key_values, now_ms, unique_name
from replica_cluster import UPSTREAM_HEADER, Balancer, PostgresServer, fresh_schema_url, running_balancer
from replica_cluster import running_replicas
from servers import TrackingServer

POSTGRES_URL = os.environ.get("LABLOG_TEST_POSTGRES_URL")
POSTGRES_DIR = os.environ.get("LABLOG_TEST_POSTGRES_DIR")

pytestmark = [
    pytest.mark.skipif(
        not POSTGRES_URL,
        reason="needs PostgreSQL: set LABLOG_TEST_POSTGRES_URL (eval \"$(scripts/postgres-env start)\")",
    ),
    pytest.mark.skipif(SERVER_KIND != "lablog", reason="replicas on one PostgreSQL database are Lablog's"),
]

RUN_LIMIT = 30  # MAX_RUNS_PER_EXPERIMENT of both servers

WORKERS = 6
RUNS_PER_WORKER = 3
BATCHES = 4
POINTS_PER_BATCH = 250


class RecordingApi(RestApi):
    """A REST client that counts which server behind the balancer answered each request."""

    def __init__(self, base_url: str, upstreams: Counter, lock: threading.Lock):
        super().__init__(base_url)
        self.upstreams = upstreams
        self.lock = lock

    def _record(self, response: requests.Response) -> requests.Response:
        with self.lock:
            self.upstreams[response.headers.get(UPSTREAM_HEADER, "none")] += 1
        return response

    def post(self, endpoint: str, body: dict | None = None) -> requests.Response:
        return self._record(super().post(endpoint, body))

    def get(self, endpoint: str, params=None) -> requests.Response:
        return self._record(super().get(endpoint, params))


class AlternatingApi(RestApi):
    """Stands in for the balancer without nginx: each request goes to the next server in turn."""

    def __init__(self, base_urls: list[str]):
        super().__init__(base_urls[0])
        self.cycle = itertools.cycle(base_url.rstrip("/") for base_url in base_urls)
        self.lock = threading.Lock()

    def url(self, endpoint: str) -> str:
        with self.lock:
            self.base_url = next(self.cycle)
            return super().url(endpoint)


@dataclass
class Cluster:
    replicas: list[TrackingServer]
    balancer: Balancer
    upstreams: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def urls(self) -> list[str]:
        return [replica.url for replica in self.replicas]

    def direct(self) -> list[RestApi]:
        """A client for each server, straight to its own port."""
        return [RestApi(url) for url in self.urls]

    def entry(self) -> RestApi:
        """A client for the balancer (or, without one, alternating between the servers)."""
        if self.balancer.url:
            return RecordingApi(self.balancer.url, self.upstreams, self.lock)
        return AlternatingApi(self.urls)

    def entry_url(self, index: int) -> str:
        """The URL an MLflow client logs to: the balancer, or without one each server in turn."""
        return self.balancer.url or self.urls[index % len(self.urls)]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Cluster:
    workdir = tmp_path_factory.mktemp("replicas")
    database_url = fresh_schema_url(POSTGRES_URL)
    settings = {"MAX_RUNS_PER_EXPERIMENT": str(RUN_LIMIT), "LOG_LEVEL": "warning"}
    with running_replicas(database_url, workdir, count=2, settings=settings) as replicas:
        with running_balancer([replica.url for replica in replicas], workdir / "nginx") as balancer:
            if not balancer.url:
                print(f"no load balancer ({balancer.reason}); the client alternates between the servers")
            yield Cluster(replicas, balancer)


def other(index: int) -> int:
    return 1 - index


# ---------------------------------------------------------------------------------------------------------------
# Reading back


def history(api: RestApi, run_id: str, key: str) -> list[tuple[int, float]]:
    """A metric's whole history through MLflow's get-history, page by page, as (step, value) in step order."""
    points, token = [], None
    while True:
        params = {"run_id": run_id, "metric_key": key, "max_results": 25_000}
        if token:
            params["page_token"] = token
        answer = api.fetch("metrics/get-history", params)
        points.extend(answer.get("metrics", []))
        token = answer.get("next_page_token")
        if not token:
            break
    return sorted((int(point.get("step", 0)), point["value"]) for point in points)


def native_history(api: RestApi, run_id: str, key: str) -> list[tuple[int, float]]:
    answer = expect_ok_list(api.session.get(f"{api.base_url}/api/runs/{run_id}/metrics/{key}", timeout=60))
    return sorted((point["step"], point["value"]) for point in answer)


def expect_ok_list(response: requests.Response) -> list:
    assert response.status_code == 200, f"{response.request.method} {response.url}: {response.text[:300]}"
    body = response.json()
    assert isinstance(body, list), body
    return body


def user_tags(run: dict) -> dict[str, str]:
    return {key: value for key, value in key_values(run["data"].get("tags")).items() if not key.startswith("mlflow.")}


def native_post(api: RestApi, path: str, body: dict) -> requests.Response:
    return api.session.post(api.base_url + path, json=body, timeout=60)


# ---------------------------------------------------------------------------------------------------------------
# Writes through both servers at once


@dataclass
class ExpectedRun:
    run_id: str
    experiment_id: str
    name: str
    params: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    loss: list[tuple[int, float]] = field(default_factory=list)
    acc: list[tuple[int, float]] = field(default_factory=list)
    lifecycle: str = "active"
    status: str = "RUNNING"


def write_through_both(cluster: Cluster, worker: int, prefix: str, start: threading.Barrier) -> list[ExpectedRun]:
    """One writer: an experiment of its own, runs written alternately through the balancer and each server.

    Every acknowledged write is read back at once from a server that did not take it.
    """
    entry = cluster.entry()
    direct = cluster.direct()
    experiment_id = entry.create_experiment(f"{prefix}-w{worker}")
    for api in direct:
        assert api.fetch("experiments/get", {"experiment_id": experiment_id})["experiment"]["name"] == (
            f"{prefix}-w{worker}"
        )
    start.wait()
    runs = []
    for index in range(RUNS_PER_WORKER):
        writer = (worker + index) % 2
        name = f"w{worker}-r{index}"
        run_id = direct[writer].create_run(experiment_id, run_name=name)
        expected = ExpectedRun(run_id, experiment_id, name)
        assert direct[other(writer)].get_run(run_id)["info"]["run_name"] == name
        for batch in range(BATCHES):
            senders = [(entry, None), (direct[0], 1), (direct[1], 0)]
            sender, reader = senders[(batch + worker) % 3]
            steps = range(batch * POINTS_PER_BATCH, (batch + 1) * POINTS_PER_BATCH)
            loss = [(step, worker * 1_000 + index * 100 + step / 8) for step in steps]
            sender.call(
                "runs/log-batch",
                {
                    "run_id": run_id,
                    "metrics": [
                        {"key": "loss", "value": value, "timestamp": 1_000 + step, "step": step} for step, value in loss
                    ],
                    "params": [{"key": f"p{batch}", "value": f"{worker}.{index}.{batch}"}],
                    "tags": [{"key": f"t{batch}", "value": f"b{batch}"}],
                },
            )
            expected.loss.extend(loss)
            expected.params[f"p{batch}"] = f"{worker}.{index}.{batch}"
            expected.tags[f"t{batch}"] = f"b{batch}"
            for api in direct if reader is None else [direct[reader]]:
                assert len(history(api, run_id, "loss")) == len(expected.loss)

            # The native batch endpoint, to the server the MLflow batch did not go to (or the first one).
            native_writer = reader if reader is not None else batch % 2
            acc = [(step, 1 - step / 4_096) for step in steps]
            answer = native_post(
                direct[native_writer],
                f"/api/runs/{run_id}/metrics",
                {"metrics": [{"key": "acc", "value": value, "step": step} for step, value in acc]},
            )
            assert answer.status_code in (200, 201), answer.text[:300]
            expected.acc.extend(acc)
            assert len(native_history(direct[other(native_writer)], run_id, "acc")) == len(expected.acc)

        entry.call("runs/log-parameter", {"run_id": run_id, "key": "single", "value": f"{worker}-{index}"})
        expected.params["single"] = f"{worker}-{index}"
        direct[writer].call("runs/set-tag", {"run_id": run_id, "key": "phase", "value": "train"})
        assert user_tags(direct[other(writer)].get_run(run_id))["phase"] == "train"
        direct[other(writer)].call("runs/delete-tag", {"run_id": run_id, "key": "phase"})
        assert "phase" not in user_tags(direct[writer].get_run(run_id))
        direct[other(writer)].call("runs/set-tag", {"run_id": run_id, "key": "keep", "value": f"k{worker}"})
        assert user_tags(direct[writer].get_run(run_id))["keep"] == f"k{worker}"
        expected.tags["keep"] = f"k{worker}"

        entry.call("runs/update", {"run_id": run_id, "status": "FINISHED", "end_time": now_ms()})
        expected.status = "FINISHED"
        for api in direct:
            assert api.get_run(run_id)["info"]["status"] == "FINISHED"

        if index == 0:  # deleted on one server, restored on the other
            direct[writer].call("runs/delete", {"run_id": run_id})
            assert direct[other(writer)].get_run(run_id)["info"]["lifecycle_stage"] == "deleted"
            direct[other(writer)].call("runs/restore", {"run_id": run_id})
            assert direct[writer].get_run(run_id)["info"]["lifecycle_stage"] == "active"
        if index == 1:  # deleted for good
            entry.call("runs/delete", {"run_id": run_id})
            expected.lifecycle = "deleted"
            for api in direct:
                assert api.get_run(run_id)["info"]["lifecycle_stage"] == "deleted"
        runs.append(expected)
    return runs


MLFLOW_SINGLE_POINTS = 40
MLFLOW_BATCH_POINTS = 600


def log_with_the_mlflow_client(cluster: Cluster, worker: int, prefix: str, start: threading.Barrier) -> list:
    """The mlflow client logging through the balancer: single points, a batch, a param, a tag, the end."""
    client = MlflowClient(cluster.entry_url(worker))
    experiment_id = client.create_experiment(f"{prefix}-mlflow{worker}")
    run_id = client.create_run(experiment_id, run_name=f"mlflow-{worker}").info.run_id
    start.wait()
    for step in range(MLFLOW_SINGLE_POINTS):
        client.log_metric(run_id, "loss", step / 16, timestamp=2_000 + step, step=step)
    client.log_batch(
        run_id,
        metrics=[
            Metric("loss", step / 16, 2_000 + step, step)
            for step in range(MLFLOW_SINGLE_POINTS, MLFLOW_SINGLE_POINTS + MLFLOW_BATCH_POINTS)
        ],
        params=[Param("client", "mlflow")],
        tags=[RunTag("via", "balancer")],
    )
    client.log_param(run_id, "worker", str(worker))
    client.set_terminated(run_id)
    expected = ExpectedRun(run_id, experiment_id, f"mlflow-{worker}", status="FINISHED")
    expected.params = {"client": "mlflow", "worker": str(worker)}
    expected.tags = {"via": "balancer"}
    expected.loss = [(step, step / 16) for step in range(MLFLOW_SINGLE_POINTS + MLFLOW_BATCH_POINTS)]
    return [expected]


def test_writes_through_both_servers_at_once_lose_nothing_and_duplicate_nothing(cluster: Cluster):
    prefix = unique_name("replicas")
    mlflow_clients = 2
    start = threading.Barrier(WORKERS + mlflow_clients)
    with ThreadPoolExecutor(WORKERS + mlflow_clients) as pool:
        futures = [pool.submit(write_through_both, cluster, worker, prefix, start) for worker in range(WORKERS)]
        futures += [
            pool.submit(log_with_the_mlflow_client, cluster, worker, prefix, start) for worker in range(mlflow_clients)
        ]
        expected_runs = [run for future in futures for run in future.result(timeout=600)]

    assert len(expected_runs) == WORKERS * RUNS_PER_WORKER + mlflow_clients
    for api in cluster.direct():
        for expected in expected_runs:
            run = api.get_run(expected.run_id)
            assert run["info"]["run_name"] == expected.name
            assert run["info"]["lifecycle_stage"] == expected.lifecycle
            assert run["info"]["status"] == expected.status
            assert key_values(run["data"].get("params")) == expected.params
            assert user_tags(run) == expected.tags
            assert history(api, expected.run_id, "loss") == expected.loss
            latest = {metric["key"]: metric for metric in run["data"].get("metrics", [])}
            assert latest["loss"]["value"] == expected.loss[-1][1]
            if expected.acc:
                assert history(api, expected.run_id, "acc") == expected.acc
                assert native_history(api, expected.run_id, "acc") == expected.acc

        # Exactly the runs written, each once, in every experiment; the deleted one only among all runs.
        by_experiment: dict[str, list[ExpectedRun]] = {}
        for expected in expected_runs:
            by_experiment.setdefault(expected.experiment_id, []).append(expected)
        for experiment_id, runs in by_experiment.items():
            for view, wanted in (("ALL", runs), ("ACTIVE_ONLY", [run for run in runs if run.lifecycle == "active"])):
                found = api.call(
                    "runs/search", {"experiment_ids": [experiment_id], "run_view_type": view, "max_results": 1000}
                ).get("runs", [])
                assert sorted(run["info"]["run_id"] for run in found) == sorted(run.run_id for run in wanted)
        experiments = api.call(
            "experiments/search", {"filter": f"name LIKE '{prefix}-%'", "max_results": 1000}
        ).get("experiments", [])
        assert len(experiments) == len(by_experiment) == WORKERS + mlflow_clients

    if cluster.balancer.url:
        # Round robin: both servers took a fair share of what went through the balancer.
        addresses = {url.removeprefix("http://") for url in cluster.urls}
        assert set(cluster.upstreams) == addresses, cluster.upstreams
        total = sum(cluster.upstreams.values())
        assert min(cluster.upstreams.values()) >= total / 4, cluster.upstreams


# ---------------------------------------------------------------------------------------------------------------
# Races between the two servers


def race(calls: list[Callable[[], requests.Response]]) -> list[requests.Response]:
    """Sends each call from a thread of its own, all released at the same moment."""
    start = threading.Barrier(len(calls))

    def released(call: Callable[[], requests.Response]) -> requests.Response:
        start.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return [future.result(timeout=120) for future in [pool.submit(released, call) for call in calls]]


ROUNDS = 10


def test_one_experiment_name_created_on_both_servers_at_once_has_one_winner(cluster: Cluster):
    direct = cluster.direct()
    for round_number in range(ROUNDS):
        name = unique_name("race")
        native = round_number % 2 == 1
        if native:
            answers = race(
                [lambda api=api: native_post(api, "/api/experiments", {"name": name}) for api in direct]
            )
            winners = [answer for answer in answers if answer.status_code in (200, 201)]
            losers = [answer for answer in answers if answer not in winners]
            assert len(winners) == 1 and len(losers) == 1, [answer.text for answer in answers]
            assert losers[0].status_code == 409 and losers[0].json()["code"] == "ALREADY_EXISTS", losers[0].text
            assert name in losers[0].json()["error"]
            winner_id = str(winners[0].json()["id"])
        else:
            answers = race([lambda api=api: api.post("experiments/create", {"name": name}) for api in direct])
            winners = [answer for answer in answers if answer.status_code == 200]
            losers = [answer for answer in answers if answer.status_code != 200]
            assert len(winners) == 1 and len(losers) == 1, [answer.text for answer in answers]
            expect_error(losers[0], "RESOURCE_ALREADY_EXISTS", 400)
            winner_id = winners[0].json()["experiment_id"]
        for api in direct:
            found = api.fetch("experiments/get-by-name", {"experiment_name": name})["experiment"]
            assert found["experiment_id"] == winner_id


def test_one_param_logged_with_two_values_on_both_servers_at_once_keeps_one(cluster: Cluster):
    direct = cluster.direct()
    run_id = direct[0].create_run(direct[0].create_experiment(unique_name("race")))
    for round_number in range(ROUNDS):
        key = f"lr{round_number}"
        values = [f"0.{round_number}1", f"0.{round_number}2"]
        answers = race(
            [
                lambda index=index: direct[index].post(
                    "runs/log-parameter", {"run_id": run_id, "key": key, "value": values[index]}
                )
                for index in range(2)
            ]
        )
        winners = [index for index, answer in enumerate(answers) if answer.status_code == 200]
        assert len(winners) == 1, [answer.text for answer in answers]
        loser = answers[other(winners[0])]
        body = expect_error(loser, "INVALID_PARAMETER_VALUE", 400)
        assert key in body["message"]
        for api in direct:
            assert key_values(api.get_run(run_id)["data"]["params"])[key] == values[winners[0]]
    # The same value from both at once is no conflict.
    answers = race(
        [
            lambda api=api: api.post("runs/log-parameter", {"run_id": run_id, "key": "same", "value": "1"})
            for api in direct
        ]
    )
    assert [answer.status_code for answer in answers] == [200, 200], [answer.text for answer in answers]


def test_runs_created_on_both_servers_at_once_never_pass_the_maximum(cluster: Cluster):
    direct = cluster.direct()
    experiment_id = direct[0].create_experiment(unique_name("race"))
    attempts_per_thread = 12
    threads = 4  # two a server: MLflow's runs/create on the first, the native endpoint on the second

    def create_runs(thread: int) -> list[requests.Response]:
        api = direct[thread % 2]
        answers = []
        for attempt in range(attempts_per_thread):
            if thread % 2 == 0:
                answers.append(
                    api.post("runs/create", {"experiment_id": experiment_id, "run_name": f"t{thread}-{attempt}"})
                )
            else:
                answers.append(
                    native_post(api, f"/api/experiments/{experiment_id}/runs", {"name": f"t{thread}-{attempt}"})
                )
        return answers

    answers = race([lambda thread=thread: create_runs(thread) for thread in range(threads)])
    created, refused = 0, 0
    for thread, thread_answers in enumerate(answers):
        for answer in thread_answers:
            if answer.status_code in (200, 201):
                created += 1
            elif thread % 2 == 0:
                body = expect_error(answer, "INVALID_PARAMETER_VALUE", 400)
                assert str(RUN_LIMIT) in body["message"], body
                refused += 1
            else:
                assert answer.status_code == 409 and answer.json()["code"] == "RUN_LIMIT_REACHED", answer.text
                refused += 1
    assert (created, refused) == (RUN_LIMIT, threads * attempts_per_thread - RUN_LIMIT)
    for api in direct:
        found = api.call("runs/search", {"experiment_ids": [experiment_id], "max_results": 1000}).get("runs", [])
        assert len(found) == RUN_LIMIT


def test_one_run_finished_on_both_servers_at_once_ends_in_one_state(cluster: Cluster):
    direct = cluster.direct()
    experiment_id = direct[0].create_experiment(unique_name("race"))
    endings = [("FINISHED", 1_700_000_000_001), ("FAILED", 1_700_000_000_002)]
    outcomes = Counter()
    for _ in range(ROUNDS):
        run_id = direct[1].create_run(experiment_id)
        answers = race(
            [
                lambda index=index: direct[index].post(
                    "runs/update", {"run_id": run_id, "status": endings[index][0], "end_time": endings[index][1]}
                )
                for index in range(2)
            ]
        )
        # A run ends once: exactly one request wins, and the other is told how the run ended.
        winners = [index for index, answer in enumerate(answers) if answer.status_code == 200]
        assert len(winners) == 1, [answer.text for answer in answers]
        loser = answers[1 - winners[0]]
        body = expect_error(loser, "INVALID_PARAMETER_VALUE", 400)
        status, end_time = endings[winners[0]]
        assert f"already ended as {status} at {end_time}" in body["message"], body
        for api in direct:
            info = api.get_run(run_id)["info"]
            assert (info["status"], int(info["end_time"])) == (status, end_time)
        outcomes[status] += 1
    assert sum(outcomes.values()) == ROUNDS


# ---------------------------------------------------------------------------------------------------------------
# The database going away (runs last: the module's servers must survive it)


OUTAGE_ANSWER_SECONDS = 30
RECOVERY_SECONDS = 60


@pytest.mark.skipif(
    not POSTGRES_DIR or not Path(POSTGRES_DIR, "data", "PG_VERSION").is_file(),
    reason="needs LABLOG_TEST_POSTGRES_DIR naming the local cluster of scripts/postgres-env, to stop its server",
)
def test_database_outage_answers_503_and_recovers_by_itself(cluster: Cluster):
    direct = cluster.direct()
    entry = cluster.entry()
    experiment_id = direct[0].create_experiment(unique_name("outage"))
    run_id = direct[0].create_run(experiment_id)
    direct[1].call("runs/log-metric", {"run_id": run_id, "key": "m", "value": 1.0, "timestamp": 1, "step": 0})

    server = PostgresServer(Path(POSTGRES_DIR))
    options = server.stop()
    try:
        checks = [
            ("MLflow read", lambda: direct[0].get("runs/get", {"run_id": run_id}), "mlflow"),
            (
                "MLflow write",
                lambda: direct[1].post(
                    "runs/log-metric", {"run_id": run_id, "key": "m", "value": 2.0, "timestamp": 2, "step": 1}
                ),
                "mlflow",
            ),
            (
                "MLflow write through the balancer",
                lambda: entry.post("experiments/create", {"name": unique_name("outage")}),
                "mlflow",
            ),
            (
                "native read",
                lambda: direct[1].session.get(f"{direct[1].base_url}/api/runs/{run_id}", timeout=60),
                "native",
            ),
            ("health", lambda: direct[0].session.get(f"{direct[0].base_url}/api/health", timeout=60), "native"),
        ]
        for label, call, shape in checks:
            began = time.monotonic()
            answer = call()
            elapsed = time.monotonic() - began
            assert elapsed < OUTAGE_ANSWER_SECONDS, f"{label}: answered after {elapsed:.1f} s"
            if shape == "mlflow":
                expect_error(answer, "TEMPORARILY_UNAVAILABLE", 503)
            else:
                assert answer.status_code == 503, f"{label}: {answer.status_code} {answer.text[:300]}"
                body = answer.json()
                assert body.get("code") in ("STORAGE_UNAVAILABLE", "SERVICE_UNAVAILABLE"), body
                assert isinstance(body.get("error"), str) and body["error"], body
    finally:
        if not server.is_running():
            server.start(options)

    # Back by themselves: no server restarted, each answers again within the recovery time.
    deadline = time.monotonic() + RECOVERY_SECONDS
    for api in direct:
        while True:
            answer = api.session.get(f"{api.base_url}/api/health", timeout=60)
            if answer.status_code == 200:
                break
            assert time.monotonic() < deadline, f"{api.base_url} still answers {answer.status_code} {answer.text}"
            time.sleep(0.5)
    for index, api in enumerate(direct):
        api.call(
            "runs/log-metric",
            {"run_id": run_id, "key": "m", "value": 10.0 + index, "timestamp": 10 + index, "step": 10 + index},
        )
    for api in direct + [entry]:
        assert history(api, run_id, "m") == [(0, 1.0), (10, 10.0), (11, 11.0)]
    assert all(replica.process.poll() is None for replica in cluster.replicas)
