"""Metric histories: get-history (the client's paging, and max_results pages over REST) and
get-history-bulk-interval (several runs, sampling, step ranges)."""

from __future__ import annotations

import pytest
from mlflow import MlflowClient
from mlflow.entities import Metric

from helpers import RestApi, expect_error


def log_history(client: MlflowClient, run_id: str, key: str, steps: int, start_time: int = 1_000) -> None:
    """Logs points 0..steps-1 of ``key``: value step/2, timestamp start_time+step (the client batches them)."""
    client.log_batch(run_id, metrics=[Metric(key, step / 2, start_time + step, step) for step in range(steps)])


def test_history_lists_every_point_in_order(client: MlflowClient, run_id: str):
    client.log_metric(run_id, "loss", 1.0, timestamp=1_000, step=0)
    client.log_metric(run_id, "loss", 0.5, timestamp=1_100, step=1)
    client.log_metric(run_id, "loss", 1 / 3, timestamp=1_200, step=2)
    history = client.get_metric_history(run_id, "loss")
    assert [(m.key, m.value, m.timestamp, m.step) for m in history] == [
        ("loss", 1.0, 1_000, 0),
        ("loss", 0.5, 1_100, 1),
        ("loss", 1 / 3, 1_200, 2),
    ]


def test_the_client_pages_through_a_history_longer_than_25000_points(client: MlflowClient, run_id: str):
    """The client asks for 25,000 points a page; 26,000 points take it two pages."""
    log_history(client, run_id, "loss", 26_000)
    history = client.get_metric_history(run_id, "loss")
    assert [m.step for m in history] == list(range(26_000))
    assert history[-1].value == 25_999 / 2
    assert client.get_run(run_id).data.metrics == {"loss": 25_999 / 2}


def test_max_results_pages_over_rest(client: MlflowClient, api: RestApi, run_id: str):
    log_history(client, run_id, "loss", 2_500)
    pages, token = [], None
    while True:
        params = {"run_id": run_id, "metric_key": "loss", "max_results": 1_000}
        answer = api.fetch("metrics/get-history", {**params, **({"page_token": token} if token else {})})
        pages.append(answer["metrics"])
        token = answer.get("next_page_token")
        if token is None:
            break
    assert [len(page) for page in pages] == [1_000, 1_000, 500]
    assert [point["step"] for page in pages for point in page] == list(range(2_500))
    assert pages[0][1] == {"key": "loss", "value": 0.5, "timestamp": 1_001, "step": 1}


def test_a_history_that_fits_one_page_has_no_token(client: MlflowClient, api: RestApi, run_id: str):
    log_history(client, run_id, "loss", 10)
    answer = api.fetch("metrics/get-history", {"run_id": run_id, "metric_key": "loss", "max_results": 10})
    assert set(answer) == {"metrics"} and len(answer["metrics"]) == 10


def test_an_unknown_key_has_an_empty_history(client: MlflowClient, api: RestApi, run_id: str):
    assert client.get_metric_history(run_id, "never logged") == []
    assert api.fetch("metrics/get-history", {"run_id": run_id, "metric_key": "never logged"}) == {}


def test_max_results_must_be_positive(api: RestApi, run_id: str):
    response = api.get("metrics/get-history", {"run_id": run_id, "metric_key": "loss", "max_results": 0})
    expect_error(response, "INVALID_PARAMETER_VALUE", 400)


def bulk_interval(api: RestApi, run_ids: list[str], key: str, **options) -> list[dict]:
    return api.fetch("metrics/get-history-bulk-interval", {"run_ids": run_ids, "metric_key": key, **options}).get(
        "metrics", []
    )


@pytest.fixture
def two_runs(client: MlflowClient, experiment_id: str) -> list[str]:
    return [client.create_run(experiment_id).info.run_id for _ in range(2)]


def test_bulk_interval_returns_short_histories_whole(client: MlflowClient, api: RestApi, two_runs: list[str]):
    first, second = two_runs
    log_history(client, first, "loss", 10)
    log_history(client, second, "loss", 5, start_time=5_000)
    points = bulk_interval(api, two_runs, "loss")
    assert sorted((p["run_id"], p["step"]) for p in points) == sorted(
        [(first, step) for step in range(10)] + [(second, step) for step in range(5)]
    )
    assert {"key": "loss", "value": 1.5, "timestamp": 5_003, "step": 3, "run_id": second} in points


def test_bulk_interval_samples_long_histories_keeping_both_ends(
    client: MlflowClient, api: RestApi, two_runs: list[str]
):
    for run_id in two_runs:
        log_history(client, run_id, "loss", 1_000)
    points = bulk_interval(api, two_runs, "loss", max_results=10)
    for run_id in two_runs:
        steps = sorted(p["step"] for p in points if p["run_id"] == run_id)
        assert 2 <= len(steps) <= 10
        assert steps[0] == 0 and steps[-1] == 999
        assert all(p["value"] == p["step"] / 2 for p in points)


def test_bulk_interval_keeps_to_the_step_range(client: MlflowClient, api: RestApi, run_id: str):
    log_history(client, run_id, "loss", 1_000)
    steps = [p["step"] for p in bulk_interval(api, [run_id], "loss", start_step=100, end_step=200, max_results=5)]
    assert 2 <= len(steps) <= 5
    assert min(steps) == 100 and max(steps) == 200
    assert all(100 <= step <= 200 for step in steps)
    everything = [p["step"] for p in bulk_interval(api, [run_id], "loss", start_step=100, end_step=200)]
    assert sorted(everything) == list(range(100, 201))


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({"start_step": 5}, id="start without end"),
        pytest.param({"start_step": 10, "end_step": 5}, id="start after end"),
        pytest.param({"max_results": 2_501}, id="max_results over 2500"),
        pytest.param({"max_results": 0}, id="max_results 0"),
    ],
)
def test_bulk_interval_rejects_bad_ranges(api: RestApi, run_id: str, options: dict):
    response = api.get("metrics/get-history-bulk-interval", {"run_ids": [run_id], "metric_key": "loss", **options})
    expect_error(response, "INVALID_PARAMETER_VALUE", 400)


def test_bulk_interval_takes_at_most_100_runs(api: RestApi, run_id: str):
    response = api.get("metrics/get-history-bulk-interval", {"run_ids": [run_id] * 101, "metric_key": "loss"})
    expect_error(response, "INVALID_PARAMETER_VALUE", 400)
