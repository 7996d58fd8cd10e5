"""Searching runs: the filter grammar, order_by with missing keys, pagination, view types, several experiments,
and the DataFrame of ``mlflow.search_runs``."""

from __future__ import annotations

import math
from dataclasses import dataclass

import mlflow
import pandas as pd
import pytest
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag, ViewType

from helpers import RestApi, expect_error, mlflow_deviates, unique_name

NAN = float("nan")


@dataclass(frozen=True)
class CorpusRun:
    name: str
    start_time: int
    end_time: int | None
    status: str
    metrics: dict[str, float]
    params: dict[str, str]
    tags: dict[str, str]


# Five active runs with overlapping, partly missing keys, one NaN metric, and different statuses and times.
# fmt: off
CORPUS = [
    CorpusRun("r1", 1_000, 1_500, "FINISHED",
              {"acc": 0.9, "loss": 0.1, "my metric": 2.0}, {"lr": "0.01", "opt": "adam"}, {"team": "vision"}),
    CorpusRun("r2", 2_000, 2_600, "FAILED",
              {"acc": 0.5, "loss": 0.5}, {"lr": "0.1", "opt": "sgd"}, {"team": "nlp"}),
    CorpusRun("r3", 3_000, 3_200, "FINISHED",
              {"acc": 0.7, "loss": NAN}, {"lr": "0.01", "opt": "sgd"}, {"team": "Vision"}),
    CorpusRun("r4", 4_000, None, "RUNNING",
              {"loss": 0.3}, {"lr": "0.001"}, {}),
    CorpusRun("r5", 5_000, 5_900, "KILLED",
              {"acc": 0.95}, {}, {"team": "vision-x"}),
]
# fmt: on
# A deleted run, found only with the DELETED_ONLY and ALL view types.
DELETED = CorpusRun("r6", 6_000, 6_100, "FINISHED", {"acc": 0.99}, {"lr": "0.01"}, {"team": "vision"})


@dataclass
class Corpus:
    experiment_id: str
    ids: dict[str, str]  # run name -> run id

    def names(self, runs) -> list[str]:
        by_id = {run_id: name for name, run_id in self.ids.items()}
        return [by_id[run.info.run_id] for run in runs]


def log_corpus_run(client: MlflowClient, experiment_id: str, run: CorpusRun) -> str:
    run_id = client.create_run(experiment_id, start_time=run.start_time, run_name=run.name).info.run_id
    client.log_batch(
        run_id,
        metrics=[Metric(key, value, run.start_time, 0) for key, value in run.metrics.items()],
        params=[Param(key, value) for key, value in run.params.items()],
        tags=[RunTag(key, value) for key, value in run.tags.items()],
    )
    if run.end_time is not None:
        client.set_terminated(run_id, status=run.status, end_time=run.end_time)
    return run_id


@pytest.fixture(scope="module")
def corpus(tracking_uri: str) -> Corpus:
    client = MlflowClient(tracking_uri)
    experiment_id = client.create_experiment(unique_name("search corpus"))
    ids = {run.name: log_corpus_run(client, experiment_id, run) for run in [*CORPUS, DELETED]}
    client.delete_run(ids[DELETED.name])
    return Corpus(experiment_id, ids)


def search(client: MlflowClient, corpus: Corpus, filter_string: str = "", **options) -> list[str]:
    return corpus.names(client.search_runs([corpus.experiment_id], filter_string=filter_string, **options))


# Expected names are in the default order: newest start_time first.
FILTERS = [
    ("", ["r5", "r4", "r3", "r2", "r1"]),
    ("metrics.acc > 0.5 and params.lr = '0.01'", ["r3", "r1"]),
    ("metrics.acc >= 0.9", ["r5", "r1"]),
    ("metrics.acc = 0.5", ["r2"]),
    ("metric.acc < 0.7", ["r2"]),
    ("metrics.acc <= 0.7", ["r3", "r2"]),
    ("metrics.acc != 0.5", ["r5", "r3", "r1"]),  # r4 has no acc: a missing key never matches, not even !=
    ("metrics.loss < 1", ["r4", "r2", "r1"]),  # NaN matches no comparison ...
    ("metrics.loss != 0.1", ["r4", "r3", "r2"]),  # ... except !=
    ("metrics.acc > -1e3", ["r5", "r3", "r2", "r1"]),
    ("metrics.`my metric` > 1.5", ["r1"]),
    ("`metrics`.`acc` > 0.92", ["r5"]),
    ("params.lr = '0.01'", ["r3", "r1"]),
    ('params.lr = "0.01"', ["r3", "r1"]),
    ("params.lr != '0.01'", ["r4", "r2"]),
    ("parameters.opt LIKE 's%'", ["r3", "r2"]),
    ("param.lr IS NULL", ["r5"]),
    ("params.lr IS NOT NULL", ["r4", "r3", "r2", "r1"]),
    ("tags.team = 'vision'", ["r1"]),
    ("tags.team LIKE 'vision%'", ["r5", "r1"]),  # LIKE is case-sensitive
    ("tags.team ILIKE 'vision%'", ["r5", "r3", "r1"]),
    ("tag.team LIKE 'v_sion'", ["r1"]),
    ("tags.team IS NULL", ["r4"]),
    ("attributes.status = 'FINISHED'", ["r3", "r1"]),
    ("status != 'RUNNING'", ["r5", "r3", "r2", "r1"]),
    ("attributes.run_name = 'r2'", ["r2"]),
    ("tags.mlflow.runName = 'r2'", ["r2"]),
    ("tags.`mlflow.runName` LIKE 'r%' AND metrics.acc < 0.8", ["r3", "r2"]),
    ("attributes.start_time >= 2000 and attributes.start_time < 4000", ["r3", "r2"]),
    ("attributes.created > 4500", ["r5"]),
    ("attributes.end_time > 2000", ["r5", "r3", "r2"]),
    ("params.lr = '0.01' AND tags.team like 'vis%' and metrics.acc > 0.8", ["r1"]),
]


@pytest.mark.parametrize(("filter_string", "expected"), FILTERS, ids=[f for f, _ in FILTERS])
def test_filter(client: MlflowClient, corpus: Corpus, filter_string: str, expected: list[str]):
    assert search(client, corpus, filter_string) == expected


def test_filter_by_run_id_lists(client: MlflowClient, corpus: Corpus):
    wanted = ", ".join(f"'{corpus.ids[name]}'" for name in ("r1", "r4"))
    assert search(client, corpus, f"attributes.run_id IN ({wanted})") == ["r4", "r1"]
    assert search(client, corpus, f"attributes.run_id NOT IN ({wanted})") == ["r5", "r3", "r2"]


ORDERINGS = [
    (["metrics.acc DESC"], ["r5", "r1", "r3", "r2", "r4"]),  # missing last in both directions
    (["metrics.acc ASC"], ["r2", "r3", "r1", "r5", "r4"]),
    (["metrics.loss ASC"], ["r1", "r4", "r2", "r3", "r5"]),  # numbers, then NaN, then missing
    (["metrics.loss DESC"], ["r2", "r4", "r1", "r3", "r5"]),
    (["params.lr ASC"], ["r4", "r3", "r1", "r2", "r5"]),  # strings; ties fall back to start_time DESC
    (["params.lr DESC"], ["r2", "r3", "r1", "r4", "r5"]),
    (["tags.team ASC"], ["r3", "r2", "r1", "r5", "r4"]),
    (["attributes.start_time ASC"], ["r1", "r2", "r3", "r4", "r5"]),
    (["start_time DESC"], ["r5", "r4", "r3", "r2", "r1"]),
    (["attributes.end_time DESC"], ["r5", "r3", "r2", "r1", "r4"]),
    (["attributes.run_name DESC"], ["r5", "r4", "r3", "r2", "r1"]),
    (["params.opt ASC", "metrics.acc DESC"], ["r1", "r3", "r2", "r5", "r4"]),
]


@pytest.mark.parametrize(("order_by", "expected"), ORDERINGS, ids=[" + ".join(o) for o, _ in ORDERINGS])
def test_order_by(client: MlflowClient, corpus: Corpus, order_by: list[str], expected: list[str]):
    assert search(client, corpus, order_by=order_by) == expected


def test_pages_follow_each_other_until_the_token_runs_out(client: MlflowClient, corpus: Corpus):
    pages, token = [], None
    while True:
        page = client.search_runs(
            [corpus.experiment_id], order_by=["attributes.start_time ASC"], max_results=2, page_token=token
        )
        pages.append(corpus.names(page))
        token = page.token
        if token is None:
            break
    assert pages == [["r1", "r2"], ["r3", "r4"], ["r5"]]


def test_view_types(client: MlflowClient, corpus: Corpus):
    assert search(client, corpus, run_view_type=ViewType.DELETED_ONLY) == ["r6"]
    assert search(client, corpus, run_view_type=ViewType.ALL) == ["r6", "r5", "r4", "r3", "r2", "r1"]
    assert search(client, corpus, "tags.team = 'vision'", run_view_type=ViewType.ALL) == ["r6", "r1"]


def test_several_experiments_at_once(client: MlflowClient, corpus: Corpus, experiment_id: str):
    other = client.create_run(experiment_id, start_time=5_500, run_name="other").info.run_id
    found = client.search_runs([corpus.experiment_id, experiment_id], filter_string="attributes.start_time > 4500")
    assert [run.info.run_id for run in found] == [other, corpus.ids["r5"]]
    assert client.search_runs([experiment_id, "987654321"])[0].info.run_id == other


def test_no_experiments_means_no_runs(api: RestApi, corpus: Corpus):
    assert api.call("runs/search", {"experiment_ids": []}) == {}
    assert api.call("runs/search", {}) == {}


# Filters that are errors in MLflow's grammar and in any extension of it. (OR, NOT and parentheses are left out:
# MLflow rejects them, but a server may accept them as an extension without changing what MLflow filters mean.)
BAD_FILTERS = [
    "metrics.acc > 'high'",
    "params.lr = 0.01",
    "params.lr > '0'",
    "foo.bar = '1'",
    "attributes.lifecycle_stage = 'active'",
    "metrics.acc ~ 3",
    "metrics.acc >",
    "params.lr = '0.01'; params.opt = 'sgd'",
    "attributes.start_time = '1'",
]


@pytest.mark.parametrize("filter_string", BAD_FILTERS)
def test_a_bad_filter_is_invalid_parameter_value(api: RestApi, corpus: Corpus, filter_string: str):
    response = api.post("runs/search", {"experiment_ids": [corpus.experiment_id], "filter": filter_string})
    expect_error(response, "INVALID_PARAMETER_VALUE", 400)


@pytest.mark.parametrize("order_by", [["metrics.acc SIDEWAYS"], ["foo.bar ASC"], ["attributes.lifecycle_stage"]])
def test_a_bad_order_by_is_invalid_parameter_value(api: RestApi, corpus: Corpus, order_by: list[str]):
    response = api.post("runs/search", {"experiment_ids": [corpus.experiment_id], "order_by": order_by})
    expect_error(response, "INVALID_PARAMETER_VALUE", 400)


@mlflow_deviates("the same key twice in order_by answers 500 INTERNAL_ERROR, which the client retries for minutes")
def test_a_repeated_order_by_key_is_invalid_parameter_value(api: RestApi, corpus: Corpus):
    body = {"experiment_ids": [corpus.experiment_id], "order_by": ["metrics.acc", "metrics.acc DESC"]}
    expect_error(api.post("runs/search", body), "INVALID_PARAMETER_VALUE", 400)


@pytest.mark.parametrize("max_results", [0, 50_001])
def test_max_results_outside_1_to_50000_is_rejected(api: RestApi, corpus: Corpus, max_results: int):
    response = api.post("runs/search", {"experiment_ids": [corpus.experiment_id], "max_results": max_results})
    expect_error(response, "INVALID_PARAMETER_VALUE", 400)


def test_a_bad_page_token_is_invalid_parameter_value(api: RestApi, corpus: Corpus):
    response = api.post("runs/search", {"experiment_ids": [corpus.experiment_id], "page_token": "not a token"})
    expect_error(response, "INVALID_PARAMETER_VALUE", 400)


def test_search_runs_dataframe_columns_and_values(corpus: Corpus):
    frame = mlflow.search_runs(experiment_ids=[corpus.experiment_id])

    # fmt: off
    assert set(frame.columns) == {
        "run_id", "experiment_id", "status", "artifact_uri", "start_time", "end_time",
        "metrics.acc", "metrics.loss", "metrics.my metric",
        "params.lr", "params.opt",
        "tags.team", "tags.mlflow.runName",
    }
    # fmt: on
    assert list(frame["tags.mlflow.runName"]) == ["r5", "r4", "r3", "r2", "r1"]
    assert list(frame["run_id"]) == [corpus.ids[name] for name in ["r5", "r4", "r3", "r2", "r1"]]
    assert set(frame["experiment_id"]) == {corpus.experiment_id}
    for run, row in zip(reversed(CORPUS), frame.to_dict("records"), strict=True):
        assert_row_matches(row, run)


def assert_row_matches(row: dict, run: CorpusRun) -> None:
    assert row["status"] == run.status
    assert row["start_time"] == pd.Timestamp(run.start_time, unit="ms", tz="UTC")
    if run.end_time is None:
        assert pd.isna(row["end_time"])
    else:
        assert row["end_time"] == pd.Timestamp(run.end_time, unit="ms", tz="UTC")
    for key in ("acc", "loss", "my metric"):
        expected = run.metrics.get(key)
        actual = row[f"metrics.{key}"]
        if expected is None or math.isnan(expected):
            assert math.isnan(actual), (run.name, key, actual)
        else:
            assert actual == expected, (run.name, key, actual)
    for key in ("lr", "opt"):
        assert none_if_missing(row[f"params.{key}"]) == run.params.get(key), (run.name, key)
    assert none_if_missing(row["tags.team"]) == run.tags.get("team"), run.name


def none_if_missing(value):
    """A missing param or tag is NaN in the DataFrame's string columns."""
    return None if pd.isna(value) else value


def test_search_runs_dataframe_with_filter_and_order(corpus: Corpus):
    frame = mlflow.search_runs(
        experiment_ids=[corpus.experiment_id], filter_string="metrics.acc > 0.5", order_by=["metrics.acc DESC"]
    )
    assert list(frame["tags.mlflow.runName"]) == ["r5", "r1", "r3"]
    assert list(frame["metrics.acc"]) == [0.95, 0.9, 0.7]
    assert [none_if_missing(value) for value in frame["params.lr"]] == [None, "0.01", "0.01"]


def test_search_runs_as_a_list(corpus: Corpus):
    runs = mlflow.search_runs(
        experiment_ids=[corpus.experiment_id], filter_string="params.opt = 'sgd'", output_format="list"
    )
    assert [(run.info.run_name, run.data.params) for run in runs] == [
        ("r3", {"lr": "0.01", "opt": "sgd"}),
        ("r2", {"lr": "0.1", "opt": "sgd"}),
    ]


@pytest.fixture
def runs_with_datasets(api: RestApi) -> tuple[str, dict[str, str]]:
    """An experiment with a run trained on dataset 'train' and another evaluated on 'eval': (experiment, ids)."""
    experiment_id = api.create_experiment()
    ids = {}
    for run_name, (dataset_name, digest, context) in {
        "trained": ("train", "d1", "training"),
        "evaluated": ("eval", "d2", "eval"),
    }.items():
        ids[run_name] = api.create_run(experiment_id, run_name=run_name)
        dataset = {"name": dataset_name, "digest": digest, "source_type": "local", "source": "{}"}
        tags = [{"key": "mlflow.data.context", "value": context}]
        api.call("runs/log-inputs", {"run_id": ids[run_name], "datasets": [{"tags": tags, "dataset": dataset}]})
    return experiment_id, ids


@pytest.mark.parametrize(
    ("filter_string", "expected"),
    [
        ("datasets.name = 'train'", {"trained"}),
        ("dataset.name LIKE 'ev%'", {"evaluated"}),
        ("datasets.digest IN ('d1', 'd2')", {"trained", "evaluated"}),
        ("datasets.context = 'eval'", {"evaluated"}),
        ("datasets.context != 'eval'", {"trained"}),
    ],
)
def test_filter_by_dataset(client: MlflowClient, runs_with_datasets, filter_string: str, expected: set[str]):
    experiment_id, ids = runs_with_datasets
    found = client.search_runs([experiment_id], filter_string=filter_string)
    assert {run.info.run_name for run in found} == expected
