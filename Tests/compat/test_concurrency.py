"""Several clients at once: eight threads logging to their own runs, and a race to create one experiment."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag
from mlflow.exceptions import MlflowException

from helpers import unique_name

THREADS = 8
SINGLE_POINTS = 40  # logged one request each
BATCHED_POINTS = 600  # logged through log-batch


def log_a_run_of_its_own(tracking_uri: str, experiment_id: str, worker: int, start: threading.Barrier) -> str:
    client = MlflowClient(tracking_uri)
    run_id = client.create_run(experiment_id, run_name=f"worker-{worker}").info.run_id
    start.wait()
    for step in range(SINGLE_POINTS):
        client.log_metric(run_id, "loss", worker + step / 1_000, timestamp=1_000 + step, step=step)
    client.log_batch(
        run_id,
        metrics=[
            Metric("loss", worker + step / 1_000, 1_000 + step, step)
            for step in range(SINGLE_POINTS, SINGLE_POINTS + BATCHED_POINTS)
        ],
        params=[Param("worker", str(worker))],
        tags=[RunTag("thread", f"t{worker}")],
    )
    client.set_terminated(run_id)
    return run_id


def test_eight_threads_logging_to_their_own_runs_lose_nothing(
    tracking_uri: str, client: MlflowClient, experiment_id: str
):
    start = threading.Barrier(THREADS)
    with ThreadPoolExecutor(THREADS) as pool:
        futures = [
            pool.submit(log_a_run_of_its_own, tracking_uri, experiment_id, worker, start) for worker in range(THREADS)
        ]
        run_ids = [future.result(timeout=240) for future in futures]

    total = SINGLE_POINTS + BATCHED_POINTS
    for worker, run_id in enumerate(run_ids):
        run = client.get_run(run_id)
        assert (run.info.run_name, run.info.status) == (f"worker-{worker}", "FINISHED")
        assert run.data.params == {"worker": str(worker)}
        assert run.data.tags["thread"] == f"t{worker}"
        assert run.data.metrics == {"loss": worker + (total - 1) / 1_000}
        history = client.get_metric_history(run_id, "loss")
        assert [(point.step, point.value) for point in history] == [
            (step, worker + step / 1_000) for step in range(total)
        ]
    assert len(client.search_runs([experiment_id], max_results=100)) == THREADS


def test_racing_creations_of_one_experiment_make_exactly_one(tracking_uri: str, client: MlflowClient):
    name = unique_name("race")
    start = threading.Barrier(THREADS)

    def create() -> str:
        start.wait()
        try:
            return MlflowClient(tracking_uri).create_experiment(name)
        except MlflowException as error:
            return error.error_code

    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = [future.result(timeout=120) for future in [pool.submit(create) for _ in range(THREADS)]]

    created = [outcome for outcome in outcomes if outcome != "RESOURCE_ALREADY_EXISTS"]
    assert created == [client.get_experiment_by_name(name).experiment_id]
    assert outcomes.count("RESOURCE_ALREADY_EXISTS") == THREADS - 1
