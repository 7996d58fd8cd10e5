"""Wire details of the MLflow REST API, checked with plain HTTP: query encoding, numbers, enums, non-finite
doubles, omitted empties, empty successes, error codes with their HTTP statuses, and the run_id/run_uuid alias."""

from __future__ import annotations

import math

import pytest
from mlflow import MlflowClient

from helpers import (
    TRACKING_PREFIX,
    RestApi,
    expect_error,
    expect_ok,
    metric_values,
    mlflow_deviates,
    now_ms,
    unique_name,
)


@pytest.fixture
def run(api: RestApi) -> str:
    """A run created over REST in an experiment of its own."""
    return api.create_run(api.create_experiment())


def test_get_queries_decode_plus_as_space_and_percent_escapes(api: RestApi):
    name = unique_name("wire a b+c&d/e=f")
    experiment_id = api.create_experiment(name)
    query = name.replace("+", "%2B").replace("&", "%26").replace("/", "%2F").replace("=", "%3D").replace(" ", "+")
    answer = api.raw("GET", f"{TRACKING_PREFIX}experiments/get-by-name?experiment_name={query}").json()
    assert answer["experiment"]["experiment_id"] == experiment_id
    percent_spaces = query.replace("+", "%20")
    answer = api.raw("GET", f"{TRACKING_PREFIX}experiments/get-by-name?experiment_name={percent_spaces}").json()
    assert answer["experiment"]["name"] == name


def test_repeated_query_keys_make_a_list(api: RestApi, client: MlflowClient):
    experiment_id = api.create_experiment()
    first, second = api.create_run(experiment_id), api.create_run(experiment_id)
    for run_id, value in ((first, 1.0), (second, 2.0)):
        client.log_metric(run_id, "m", value, timestamp=1_000, step=0)
    target = f"{TRACKING_PREFIX}metrics/get-history-bulk-interval?run_ids={first}&run_ids={second}&metric_key=m"
    points = api.raw("GET", target).json()["metrics"]
    assert sorted((point["run_id"], point["value"]) for point in points) == sorted([(first, 1.0), (second, 2.0)])


def test_a_repeated_field_given_once_is_still_a_list(api: RestApi, run: str):
    api.call("runs/log-metric", {"run_id": run, "key": "m", "value": 1.0, "timestamp": 1_000})
    target = f"{TRACKING_PREFIX}metrics/get-history-bulk-interval?run_ids={run}&metric_key=m"
    assert [point["run_id"] for point in api.raw("GET", target).json()["metrics"]] == [run]


def test_int64_fields_are_json_numbers(api: RestApi, run: str):
    api.call("runs/log-metric", {"run_id": run, "key": "m", "value": 1.0, "timestamp": 1_795_956_237_003, "step": 0})
    api.call("runs/update", {"run_id": run, "status": "FINISHED", "end_time": 1_795_956_237_999})
    got = api.get_run(run)
    for value in (got["info"]["start_time"], got["info"]["end_time"], got["data"]["metrics"][0]["timestamp"]):
        assert type(value) is int
    assert got["data"]["metrics"][0]["step"] == 0  # set fields are emitted even when they are zero
    experiment = api.fetch("experiments/get", {"experiment_id": got["info"]["experiment_id"]})["experiment"]
    assert type(experiment["creation_time"]) is int and type(experiment["last_update_time"]) is int
    assert type(got["info"]["experiment_id"]) is str


def test_numeric_strings_are_accepted_for_int64_fields(api: RestApi):
    experiment_id = api.create_experiment()
    run_id = api.create_run(experiment_id, start_time="1700000000000")
    api.call("runs/log-metric", {"run_id": run_id, "key": "m", "value": 0.5, "timestamp": "1795956311176", "step": "7"})
    batched = {"key": "b", "value": 1, "timestamp": "5", "step": "-3"}
    api.call("runs/log-batch", {"run_id": run_id, "metrics": [batched]})
    got = api.get_run(run_id)
    assert got["info"]["start_time"] == 1_700_000_000_000
    points = {point["key"]: point for point in got["data"]["metrics"]}
    assert (points["m"]["timestamp"], points["m"]["step"]) == (1_795_956_311_176, 7)
    assert (points["b"]["timestamp"], points["b"]["step"], points["b"]["value"]) == (5, -3, 1.0)
    paged = api.fetch("experiments/search", {"max_results": "1"})
    assert len(paged["experiments"]) == 1


def test_enums_are_accepted_by_name_and_by_number_and_answered_by_name(api: RestApi, run: str):
    assert api.call("runs/update", {"run_id": run, "status": 4})["run_info"]["status"] == "FAILED"
    assert api.call("runs/update", {"run_id": run, "status": 1})["run_info"]["status"] == "RUNNING"
    assert api.call("runs/update", {"run_id": run, "status": "KILLED"})["run_info"]["status"] == "KILLED"
    experiment_id = api.get_run(run)["info"]["experiment_id"]
    api.call("runs/delete", {"run_id": run})
    for view_type in (2, "DELETED_ONLY", 3, "ALL"):
        found = api.call("runs/search", {"experiment_ids": [experiment_id], "run_view_type": view_type})
        assert [entry["info"]["run_id"] for entry in found["runs"]] == [run], view_type
    for view_type in (1, "ACTIVE_ONLY"):
        assert api.call("runs/search", {"experiment_ids": [experiment_id], "run_view_type": view_type}) == {}


def test_experiment_search_view_type_by_number(api: RestApi):
    name = unique_name("view type")
    experiment_id = api.create_experiment(name)
    api.call("experiments/delete", {"experiment_id": experiment_id})
    found = api.call("experiments/search", {"max_results": 10, "view_type": 2, "filter": f"name = '{name}'"})
    assert [entry["experiment_id"] for entry in found["experiments"]] == [experiment_id]


def test_nan_travels_as_a_json_string(api: RestApi, run: str):
    api.call("runs/log-metric", {"run_id": run, "key": "nan", "value": "NaN", "timestamp": 1_000})
    got = api.get_run(run)
    assert metric_values(got["data"]) == {"nan": "NaN"}
    history = api.fetch("metrics/get-history", {"run_id": run, "metric_key": "nan"})["metrics"]
    assert [point["value"] for point in history] == ["NaN"]


def test_the_client_reads_back_nan(client: MlflowClient, run_id: str):
    client.log_metric(run_id, "nan", float("nan"))
    assert math.isnan(client.get_run(run_id).data.metrics["nan"])
    assert math.isnan(client.get_metric_history(run_id, "nan")[0].value)


def test_infinities_are_accepted_as_json_strings(api: RestApi, run: str):
    for key, value in (("inf", "Infinity"), ("ninf", "-Infinity")):
        api.call("runs/log-metric", {"run_id": run, "key": key, "value": value, "timestamp": 1_000})
    metrics = metric_values(api.get_run(run)["data"])
    assert set(metrics) == {"inf", "ninf"}
    assert metrics["inf"] in ("Infinity", 1.7976931348623157e308)
    assert metrics["ninf"] in ("-Infinity", -1.7976931348623157e308)


@mlflow_deviates("stores +-Infinity clamped to +-1.7976931348623157e308")
def test_infinities_round_trip_exactly(client: MlflowClient, run_id: str):
    client.log_metric(run_id, "inf", math.inf, timestamp=1_000)
    client.log_metric(run_id, "ninf", -math.inf, timestamp=1_000)
    assert client.get_run(run_id).data.metrics == {"inf": math.inf, "ninf": -math.inf}
    assert [point.value for point in client.get_metric_history(run_id, "inf")] == [math.inf]


def test_empty_lists_are_omitted(api: RestApi, run: str):
    got = api.get_run(run)
    assert "metrics" not in got["data"] and "params" not in got["data"]
    assert got["inputs"] == {}
    assert "end_time" not in got["info"]  # unset until the run ends
    experiment_id = got["info"]["experiment_id"]
    assert "tags" not in api.fetch("experiments/get", {"experiment_id": experiment_id})["experiment"]
    assert api.call("runs/search", {"experiment_ids": [experiment_id], "filter": "metrics.m > 0"}) == {}


def test_the_last_page_has_no_token(api: RestApi):
    experiment_id = api.create_experiment()
    for _ in range(3):
        api.create_run(experiment_id)
    first = api.call("runs/search", {"experiment_ids": [experiment_id], "max_results": 2})
    assert len(first["runs"]) == 2 and first["next_page_token"]
    last = api.call(
        "runs/search", {"experiment_ids": [experiment_id], "max_results": 2, "page_token": first["next_page_token"]}
    )
    assert len(last["runs"]) == 1 and "next_page_token" not in last
    exactly = api.call("runs/search", {"experiment_ids": [experiment_id], "max_results": 3})
    assert len(exactly["runs"]) == 3 and "next_page_token" not in exactly


VOID_CALLS = {
    "log-metric": ("runs/log-metric", lambda run: {"run_id": run, "key": "m", "value": 1.0, "timestamp": 1}),
    "log-parameter": ("runs/log-parameter", lambda run: {"run_id": run, "key": "p", "value": "v"}),
    "set-tag": ("runs/set-tag", lambda run: {"run_id": run, "key": "t", "value": "v"}),
    "log-batch": ("runs/log-batch", lambda run: {"run_id": run, "params": [{"key": "p", "value": "v"}]}),
    "delete-run": ("runs/delete", lambda run: {"run_id": run}),
    "restore-run": ("runs/restore", lambda run: {"run_id": run}),
}


@pytest.mark.parametrize("call", VOID_CALLS.values(), ids=VOID_CALLS.keys())
def test_void_calls_answer_an_empty_object(api: RestApi, run: str, call):
    endpoint, body_for = call
    assert api.call(endpoint, body_for(run)) == {}


def test_experiment_void_calls_answer_an_empty_object(api: RestApi):
    experiment_id = api.create_experiment()
    for endpoint, body in [
        ("experiments/set-experiment-tag", {"experiment_id": experiment_id, "key": "k", "value": "v"}),
        ("experiments/delete-experiment-tag", {"experiment_id": experiment_id, "key": "k"}),
        ("experiments/update", {"experiment_id": experiment_id, "new_name": unique_name()}),
        ("experiments/delete", {"experiment_id": experiment_id}),
        ("experiments/restore", {"experiment_id": experiment_id}),
    ]:
        assert api.call(endpoint, body) == {}, endpoint


UNKNOWN_RUN = "0123456789abcdef0123456789abcdef"
A_POINT = {"key": "m", "value": 1, "timestamp": 1}

# {label: (method, endpoint, request)}
MISSING_THINGS = {
    "unknown run": ("GET", "runs/get", {"run_id": UNKNOWN_RUN}),
    "log to an unknown run": ("POST", "runs/log-metric", {"run_id": UNKNOWN_RUN, **A_POINT}),
    "unknown experiment": ("GET", "experiments/get", {"experiment_id": "987654321"}),
    "unknown experiment name": ("GET", "experiments/get-by-name", {"experiment_name": "no such experiment"}),
}

INVALID_REQUESTS = {
    "missing experiment name": ("POST", "experiments/create", {}),
    "missing run id": ("GET", "runs/get", {}),
    "missing metric key": ("POST", "runs/log-metric", {"run_id": UNKNOWN_RUN, "value": 1, "timestamp": 1}),
    "bad filter": ("POST", "runs/search", {"experiment_ids": ["0"], "filter": "metrics.m >"}),
    "bad experiment filter": ("POST", "experiments/search", {"max_results": 10, "filter": "attributes.name = 'x'"}),
    "experiment tags in order_by": ("POST", "experiments/search", {"max_results": 10, "order_by": ["tags.k"]}),
    "bad page token": ("POST", "experiments/search", {"max_results": 10, "page_token": "garbage"}),
    "too many experiments a page": ("POST", "experiments/search", {"max_results": 50_001}),
    "non-integer experiment id": ("GET", "experiments/get", {"experiment_id": "abc"}),
}


def send(api: RestApi, method: str, endpoint: str, request: dict):
    return api.get(endpoint, request) if method == "GET" else api.post(endpoint, request)


@pytest.mark.parametrize(("method", "endpoint", "request_"), MISSING_THINGS.values(), ids=MISSING_THINGS.keys())
def test_missing_things_are_resource_does_not_exist_404(api: RestApi, method: str, endpoint: str, request_: dict):
    expect_error(send(api, method, endpoint, request_), "RESOURCE_DOES_NOT_EXIST", 404)


@pytest.mark.parametrize(("method", "endpoint", "request_"), INVALID_REQUESTS.values(), ids=INVALID_REQUESTS.keys())
def test_invalid_requests_are_invalid_parameter_value_400(api: RestApi, method: str, endpoint: str, request_: dict):
    expect_error(send(api, method, endpoint, request_), "INVALID_PARAMETER_VALUE", 400)


def test_a_taken_name_is_resource_already_exists_400_not_409(api: RestApi):
    expect_error(api.post("experiments/create", {"name": "Default"}), "RESOURCE_ALREADY_EXISTS", 400)


MALFORMED = [
    pytest.param(
        "runs/log-metric",
        {"key": "m", "value": {"x": 1}, "timestamp": 1},
        id="metric value is an object",
        marks=mlflow_deviates("a JSON object as metric value crashes the handler: 500 with an HTML body"),
    ),
    pytest.param("runs/log-metric", {"key": "m", "value": 1, "timestamp": "soon"}, id="metric timestamp is text"),
    pytest.param("runs/log-batch", {"metrics": "many"}, id="batch metrics is not a list"),
    pytest.param("runs/log-batch", {"metrics": [{"value": 1, "timestamp": 1}]}, id="batch metric without a key"),
    pytest.param("runs/log-parameter", {"key": 5, "value": "v"}, id="param key is a number"),
    pytest.param("runs/update", {"status": "FINISHED", "end_time": "later"}, id="end_time is text"),
    pytest.param("runs/search", {"experiment_ids": ["0"], "order_by": "metrics.m"}, id="order_by is a string"),
    pytest.param("runs/search", {"experiment_ids": ["0"], "max_results": "many"}, id="max_results is text"),
    pytest.param("runs/search", {"experiment_ids": 7}, id="experiment_ids is a number"),
    pytest.param("experiments/create", {"name": ["a"]}, id="experiment name is a list"),
]


@pytest.mark.parametrize(("endpoint", "body"), MALFORMED)
def test_a_malformed_request_is_a_client_error_never_a_5xx(api: RestApi, run: str, endpoint: str, body: dict):
    response = api.post(endpoint, {"run_id": run, **body})
    assert 400 <= response.status_code < 500, f"{response.status_code}: {response.text[:300]}"
    assert response.json()["error_code"] in ("INVALID_PARAMETER_VALUE", "BAD_REQUEST")


def test_an_unparsable_body_is_a_client_error(api: RestApi):
    response = api.session.post(
        api.url("experiments/create"), data=b"{not json", headers={"Content-Type": "application/json"}, timeout=60
    )
    expect_error(response, "INVALID_PARAMETER_VALUE", 400)


def test_run_uuid_is_accepted_in_place_of_run_id(api: RestApi, run: str):
    api.call("runs/log-metric", {"run_uuid": run, "key": "m", "value": 1.0, "timestamp": 1_000})
    api.call("runs/log-parameter", {"run_uuid": run, "key": "p", "value": "v"})
    api.call("runs/set-tag", {"run_uuid": run, "key": "t", "value": "v"})
    got = api.fetch("runs/get", {"run_uuid": run})["run"]
    assert got["info"]["run_id"] == got["info"]["run_uuid"] == run
    assert metric_values(got["data"]) == {"m": 1.0}
    history = api.fetch("metrics/get-history", {"run_uuid": run, "metric_key": "m"})["metrics"]
    assert [point["value"] for point in history] == [1.0]


def test_unknown_json_fields_are_ignored(api: RestApi, run: str):
    assert api.call("runs/set-tag", {"run_id": run, "key": "t", "value": "v", "future_field": {"x": [1]}}) == {}


@mlflow_deviates(
    "experiments/search without max_results answers 400 (the field has no default) instead of a first page"
)
def test_experiment_search_without_max_results_returns_a_page(api: RestApi):
    name = unique_name("no max")
    api.create_experiment(name)
    found = api.call("experiments/search", {"filter": f"name = '{name}'"})
    assert [entry["name"] for entry in found["experiments"]] == [name]


def test_experiment_search_is_also_served_over_get(api: RestApi):
    name = unique_name("get search")
    experiment_id = api.create_experiment(name)
    found = api.fetch("experiments/search", {"max_results": 5, "filter": f"name = '{name}'"})
    assert [entry["experiment_id"] for entry in found["experiments"]] == [experiment_id]


def test_answers_are_json_objects_with_the_json_content_type(api: RestApi):
    response = api.get("experiments/get", {"experiment_id": "0"})
    assert expect_ok(response)["experiment"]["name"] == "Default"
    started = now_ms()
    created = api.call("runs/create", {"experiment_id": "0", "start_time": started})["run"]
    assert created["info"]["start_time"] == started
    assert created["info"]["status"] == "RUNNING"
    assert created["info"]["lifecycle_stage"] == "active"
