"""Logging to runs: params, metrics, tags, log-batch (limits and duplicate keys), validation, datasets."""

from __future__ import annotations

import mlflow
import pandas as pd
import pytest
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag

from helpers import RestApi, expect_error, key_values, now_ms, raises_mlflow_error, unique_name


def test_fluent_logging_shows_up_in_the_run(client: MlflowClient):
    mlflow.set_experiment(unique_name("fluent logging"))
    with mlflow.start_run() as run:
        mlflow.log_param("lr", 0.01)
        mlflow.log_params({"optimizer": "adam", "layers": 3, "dropout": None})
        mlflow.log_metric("loss", 0.5, step=1)
        mlflow.log_metrics({"acc": 0.9, "f1": 0.8}, step=2)
        mlflow.set_tag("team", "vision")
        mlflow.set_tags({"stage": "dev", "seed": 42})

    data = client.get_run(run.info.run_id).data
    assert data.params == {"lr": "0.01", "optimizer": "adam", "layers": "3", "dropout": "None"}
    assert data.metrics == {"loss": 0.5, "acc": 0.9, "f1": 0.8}
    assert {key: data.tags[key] for key in ("team", "stage", "seed")} == {
        "team": "vision",
        "stage": "dev",
        "seed": "42",
    }
    assert data.tags["mlflow.source.type"] == "LOCAL"


def test_a_param_can_be_logged_again_with_the_same_value(client: MlflowClient, run_id: str):
    client.log_param(run_id, "lr", "0.1")
    client.log_param(run_id, "lr", "0.1")
    client.log_batch(run_id, params=[Param("lr", "0.1")])
    assert client.get_run(run_id).data.params == {"lr": "0.1"}


def test_changing_a_param_is_invalid_parameter_value(client: MlflowClient, run_id: str):
    client.log_param(run_id, "lr", "0.1")
    with raises_mlflow_error("INVALID_PARAMETER_VALUE"):
        client.log_param(run_id, "lr", "0.2")
    with raises_mlflow_error("INVALID_PARAMETER_VALUE"):
        client.log_batch(run_id, params=[Param("lr", "0.3")])
    assert client.get_run(run_id).data.params == {"lr": "0.1"}


def test_latest_metric_is_the_highest_step_not_the_last_written(client: MlflowClient, run_id: str):
    client.log_metric(run_id, "loss", 0.1, timestamp=1_000, step=5)
    client.log_metric(run_id, "loss", 0.9, timestamp=2_000, step=2)
    assert client.get_run(run_id).data.metrics["loss"] == 0.1

    # On the same step the later timestamp wins, and on the same step and timestamp the larger value.
    client.log_metric(run_id, "acc", 0.3, timestamp=2_000, step=1)
    client.log_metric(run_id, "acc", 0.2, timestamp=1_000, step=1)
    client.log_metric(run_id, "tie", 0.7, timestamp=1_000, step=1)
    client.log_metric(run_id, "tie", 0.6, timestamp=1_000, step=1)
    metrics = client.get_run(run_id).data.metrics
    assert (metrics["acc"], metrics["tie"]) == (0.3, 0.7)


def test_a_repeated_metric_point_is_stored_once(client: MlflowClient, run_id: str):
    for _ in range(3):
        client.log_metric(run_id, "loss", 0.5, timestamp=1_000, step=1)
    client.log_batch(run_id, metrics=[Metric("loss", 0.5, 1_000, 1)] * 3)
    assert [(m.value, m.timestamp, m.step) for m in client.get_metric_history(run_id, "loss")] == [(0.5, 1_000, 1)]


def test_points_that_differ_only_in_value_are_both_kept(client: MlflowClient, run_id: str):
    client.log_metric(run_id, "loss", 0.5, timestamp=1_000, step=1)
    client.log_metric(run_id, "loss", 0.4, timestamp=1_000, step=1)
    assert sorted(m.value for m in client.get_metric_history(run_id, "loss")) == [0.4, 0.5]


def test_logging_to_a_finished_run_is_allowed(client: MlflowClient, run_id: str):
    client.set_terminated(run_id)
    client.log_metric(run_id, "late", 1.0)
    client.log_param(run_id, "late", "yes")
    data = client.get_run(run_id).data
    assert (data.metrics, data.params) == ({"late": 1.0}, {"late": "yes"})


def test_tags_are_overwritten_and_deleted(client: MlflowClient, run_id: str):
    client.set_tag(run_id, "stage", "draft")
    client.set_tag(run_id, "stage", "final")
    client.set_tag(run_id, "empty", "")
    tags = client.get_run(run_id).data.tags
    assert (tags["stage"], tags["empty"]) == ("final", "")

    client.delete_tag(run_id, "stage")
    assert "stage" not in client.get_run(run_id).data.tags
    with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST"):
        client.delete_tag(run_id, "stage")


def test_fluent_delete_tag():
    mlflow.set_experiment(unique_name("delete tag"))
    with mlflow.start_run() as run:
        mlflow.set_tag("gone", "soon")
        mlflow.delete_tag("gone")
    assert "gone" not in mlflow.get_run(run.info.run_id).data.tags


UNUSUAL_BUT_LEGAL_KEYS = ["with space", "a/b/c", "colon:key", "dots.and-dashes_ok", "ünïcödé", "0"]


def test_unusual_but_legal_keys_are_accepted(client: MlflowClient, run_id: str):
    client.log_batch(
        run_id,
        metrics=[Metric(key, 1.0, now_ms(), 0) for key in UNUSUAL_BUT_LEGAL_KEYS],
        params=[Param(key, "v") for key in UNUSUAL_BUT_LEGAL_KEYS],
        tags=[RunTag(key, "v") for key in UNUSUAL_BUT_LEGAL_KEYS],
    )
    data = client.get_run(run_id).data
    assert set(data.metrics) == set(data.params) == set(UNUSUAL_BUT_LEGAL_KEYS)
    assert set(UNUSUAL_BUT_LEGAL_KEYS) <= set(data.tags)


ILLEGAL_KEYS = {
    "parent": "../escape",
    "absolute": "/absolute",
    "double slash": "a//b",
    "dot segment": "a/./b",
    "trailing slash": "trailing/",
    "bad character": "bang!",
    "too long": "k" * 251,
}

LOGGING_ENDPOINTS = {
    "metric": ("runs/log-metric", lambda key: {"key": key, "value": 1.0, "timestamp": now_ms()}),
    "param": ("runs/log-parameter", lambda key: {"key": key, "value": "v"}),
    "tag": ("runs/set-tag", lambda key: {"key": key, "value": "v"}),
    "batch": ("runs/log-batch", lambda key: {"params": [{"key": key, "value": "v"}]}),
}


@pytest.mark.parametrize("endpoint", LOGGING_ENDPOINTS.values(), ids=LOGGING_ENDPOINTS.keys())
@pytest.mark.parametrize("key", ILLEGAL_KEYS.values(), ids=ILLEGAL_KEYS.keys())
def test_an_illegal_key_is_invalid_parameter_value(api: RestApi, endpoint, key: str):
    path, body_for = endpoint
    run_id = api.create_run(api.create_experiment())
    expect_error(api.post(path, {"run_id": run_id, **body_for(key)}), "INVALID_PARAMETER_VALUE", 400)
    data = api.get_run(run_id)["data"]
    assert "metrics" not in data and "params" not in data
    assert set(key_values(data.get("tags"))) == {"mlflow.runName"}


def test_a_key_of_250_characters_is_accepted(api: RestApi):
    run_id = api.create_run(api.create_experiment())
    key = "k" * 250
    api.call("runs/log-parameter", {"run_id": run_id, "key": key, "value": "v"})
    assert key_values(api.get_run(run_id)["data"]["params"]) == {key: "v"}


def test_over_long_param_and_tag_values_are_truncated(api: RestApi):
    """Over-long values are cut to MLflow's limits (6000 for params, 8000 for tags), not rejected."""
    run_id = api.create_run(api.create_experiment())
    api.call("runs/log-parameter", {"run_id": run_id, "key": "long", "value": "p" * 6_001})
    api.call("runs/set-tag", {"run_id": run_id, "key": "long", "value": "t" * 8_001})
    api.call(
        "runs/log-batch",
        {
            "run_id": run_id,
            "params": [{"key": "batched", "value": "q" * 7_000}],
            "tags": [{"key": "batched", "value": "u" * 9_000}],
        },
    )
    data = api.get_run(run_id)["data"]
    assert key_values(data["params"]) == {"long": "p" * 6_000, "batched": "q" * 6_000}
    tags = key_values(data["tags"])
    assert (tags["long"], tags["batched"]) == ("t" * 8_000, "u" * 8_000)


def test_a_non_numeric_metric_value_is_rejected(api: RestApi):
    run_id = api.create_run(api.create_experiment())
    response = api.post("runs/log-metric", {"run_id": run_id, "key": "m", "value": "abc", "timestamp": now_ms()})
    expect_error(response, "INVALID_PARAMETER_VALUE", 400)


def test_a_metric_needs_a_non_negative_timestamp(api: RestApi):
    run_id = api.create_run(api.create_experiment())
    for body in ({"key": "m", "value": 1.0}, {"key": "m", "value": 1.0, "timestamp": -1}):
        expect_error(api.post("runs/log-metric", {"run_id": run_id, **body}), "INVALID_PARAMETER_VALUE", 400)


def metrics_batch(count: int) -> list[dict]:
    return [{"key": f"m{index}", "value": float(index), "timestamp": 1_000, "step": 0} for index in range(count)]


def params_batch(count: int, prefix: str = "p") -> list[dict]:
    return [{"key": f"{prefix}{index}", "value": str(index)} for index in range(count)]


OVERSIZED_BATCHES = {
    "1001 metrics": {"metrics": metrics_batch(1_001)},
    "101 params": {"params": params_batch(101)},
    "101 tags": {"tags": params_batch(101, prefix="t")},
    "1001 entries in all": {"metrics": metrics_batch(901), "params": params_batch(100)},
}


@pytest.mark.parametrize("batch", OVERSIZED_BATCHES.values(), ids=OVERSIZED_BATCHES.keys())
def test_a_batch_over_the_limits_is_rejected_whole(api: RestApi, batch: dict):
    run_id = api.create_run(api.create_experiment())
    expect_error(api.post("runs/log-batch", {"run_id": run_id, **batch}), "INVALID_PARAMETER_VALUE", 400)
    data = api.get_run(run_id)["data"]
    assert "metrics" not in data and "params" not in data


def test_a_batch_at_the_limits_is_accepted(api: RestApi):
    run_id = api.create_run(api.create_experiment())
    api.call("runs/log-batch", {"run_id": run_id, "metrics": metrics_batch(1_000)})
    api.call(
        "runs/log-batch",
        {
            "run_id": run_id,
            "metrics": metrics_batch(800),
            "params": params_batch(100),
            "tags": params_batch(100, prefix="t"),
        },
    )
    data = api.get_run(run_id)["data"]
    assert len(data["metrics"]) == 1_000
    assert len(data["params"]) == 100
    assert {f"t{index}" for index in range(100)} <= set(key_values(data["tags"]))


def test_the_client_splits_large_batches(client: MlflowClient, run_id: str):
    client.log_batch(
        run_id,
        metrics=[Metric("loss", step / 10, 1_000 + step, step) for step in range(2_500)],
        params=[Param(f"p{index}", str(index)) for index in range(250)],
        tags=[RunTag(f"t{index}", str(index)) for index in range(150)],
    )
    data = client.get_run(run_id).data
    assert data.metrics == {"loss": 249.9}
    assert data.params == {f"p{index}": str(index) for index in range(250)}
    assert len(client.get_metric_history(run_id, "loss")) == 2_500
    assert {f"t{index}" for index in range(150)} <= set(data.tags)


def test_an_empty_batch_is_fine(api: RestApi):
    run_id = api.create_run(api.create_experiment())
    assert api.call("runs/log-batch", {"run_id": run_id}) == {}
    assert api.call("runs/log-batch", {"run_id": run_id, "metrics": [], "params": [], "tags": []}) == {}


def test_duplicate_param_keys_in_one_batch_are_rejected_even_with_equal_values(api: RestApi):
    run_id = api.create_run(api.create_experiment())
    batch = {"run_id": run_id, "params": [{"key": "lr", "value": "0.1"}, {"key": "lr", "value": "0.1"}]}
    expect_error(api.post("runs/log-batch", batch), "INVALID_PARAMETER_VALUE", 400)
    assert "params" not in api.get_run(run_id)["data"]


def test_duplicate_tag_keys_in_one_batch_keep_the_last_value(api: RestApi):
    run_id = api.create_run(api.create_experiment())
    api.call(
        "runs/log-batch", {"run_id": run_id, "tags": [{"key": "t", "value": "first"}, {"key": "t", "value": "last"}]}
    )
    assert key_values(api.get_run(run_id)["data"]["tags"])["t"] == "last"


def test_a_batch_that_changes_a_param_writes_nothing(api: RestApi):
    run_id = api.create_run(api.create_experiment())
    api.call("runs/log-parameter", {"run_id": run_id, "key": "lr", "value": "0.1"})
    batch = {
        "run_id": run_id,
        "params": [{"key": "lr", "value": "0.2"}, {"key": "new", "value": "x"}],
        "metrics": [{"key": "m", "value": 1.0, "timestamp": 1_000}],
    }
    expect_error(api.post("runs/log-batch", batch), "INVALID_PARAMETER_VALUE", 400)
    data = api.get_run(run_id)["data"]
    assert key_values(data["params"]) == {"lr": "0.1"}
    assert "metrics" not in data


def test_a_batch_metric_needs_a_timestamp(api: RestApi):
    run_id = api.create_run(api.create_experiment())
    batch = {"run_id": run_id, "metrics": [{"key": "m", "value": 1.0, "step": 0}]}
    expect_error(api.post("runs/log-batch", batch), "INVALID_PARAMETER_VALUE", 400)


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame({"x": [1, 2, 3], "y": [0.5, 1.5, 2.5], "label": ["a", "b", "a"]})


def test_log_input_records_the_dataset_with_digest_and_context(client: MlflowClient, frame: pd.DataFrame):
    mlflow.set_experiment(unique_name("datasets"))
    dataset = mlflow.data.from_pandas(frame, name="train-set", targets="label")
    with mlflow.start_run() as run:
        mlflow.log_input(dataset, context="training")
        mlflow.log_input(dataset, context="training")  # a repeat is a no-op

    inputs = client.get_run(run.info.run_id).inputs.dataset_inputs
    assert len(inputs) == 1
    logged, expected = inputs[0].dataset, dataset.to_dict()
    assert (logged.name, logged.digest) == ("train-set", dataset.digest)
    assert (logged.source_type, logged.source) == (expected["source_type"], expected["source"])
    assert (logged.schema, logged.profile) == (expected["schema"], expected["profile"])
    assert {(tag.key, tag.value) for tag in inputs[0].tags} == {("mlflow.data.context", "training")}


def test_a_run_can_have_several_datasets(client: MlflowClient, frame: pd.DataFrame):
    mlflow.set_experiment(unique_name("datasets"))
    train = mlflow.data.from_pandas(frame, name="train")
    evaluation = mlflow.data.from_pandas(frame.head(2), name="eval")
    with mlflow.start_run() as run:
        mlflow.log_input(train, context="training")
        mlflow.log_input(evaluation, context="eval", tags={"split": "holdout"})

    inputs = client.get_run(run.info.run_id).inputs.dataset_inputs
    by_name = {entry.dataset.name: entry for entry in inputs}
    assert set(by_name) == {"train", "eval"}
    assert by_name["eval"].dataset.digest == evaluation.digest != train.digest
    assert {(tag.key, tag.value) for tag in by_name["eval"].tags} == {
        ("mlflow.data.context", "eval"),
        ("split", "holdout"),
    }


def test_a_dataset_digest_over_36_characters_is_rejected(api: RestApi):
    run_id = api.create_run(api.create_experiment())
    dataset = {"name": "d", "digest": "x" * 37, "source_type": "local", "source": "{}"}
    response = api.post("runs/log-inputs", {"run_id": run_id, "datasets": [{"dataset": dataset}]})
    expect_error(response, "INVALID_PARAMETER_VALUE", 400)
    assert api.get_run(run_id)["inputs"] == {}


def test_log_inputs_over_rest_reads_back_exactly(api: RestApi):
    run_id = api.create_run(api.create_experiment())
    dataset = {
        "name": "d1",
        "digest": "abc123",
        "source_type": "local",
        "source": '{"uri": "/x"}',
        "schema": "{}",
        "profile": "{}",
    }
    tags = [{"key": "mlflow.data.context", "value": "eval"}]
    assert api.call("runs/log-inputs", {"run_id": run_id, "datasets": [{"tags": tags, "dataset": dataset}]}) == {}
    assert api.get_run(run_id)["inputs"] == {"dataset_inputs": [{"tags": tags, "dataset": dataset}]}
