"""Runs through the mlflow client: create (names, tags, nesting), get, update, terminate, delete, restore, resume."""

from __future__ import annotations

import mlflow
import pytest
from mlflow import MlflowClient
from mlflow.entities import Param, RunStatus, RunTag, ViewType

from helpers import RestApi, expect_error, mlflow_deviates, now_ms, raises_mlflow_error, unique_name


def test_a_fluent_run_is_running_inside_the_block_and_finished_after_it():
    mlflow.set_experiment(unique_name("lifecycle"))
    before = now_ms()
    with mlflow.start_run(run_name="first") as run:
        inside = mlflow.get_run(run.info.run_id).info
        assert inside.status == "RUNNING"
        assert inside.end_time is None
    after = mlflow.get_run(run.info.run_id).info
    assert after.status == "FINISHED"
    assert after.run_name == "first"
    assert before - 5_000 <= after.start_time <= after.end_time <= now_ms() + 5_000


def test_an_exception_in_the_block_marks_the_run_failed():
    mlflow.set_experiment(unique_name("failing"))
    with pytest.raises(RuntimeError, match="training diverged"):
        with mlflow.start_run() as run:
            raise RuntimeError("training diverged")
    assert mlflow.get_run(run.info.run_id).info.status == "FAILED"


def test_a_run_without_a_name_gets_one_that_matches_its_tag(client: MlflowClient, experiment_id: str):
    run = client.create_run(experiment_id)
    assert run.info.run_name
    assert run.data.tags["mlflow.runName"] == run.info.run_name
    assert client.get_run(run.info.run_id).info.run_name == run.info.run_name


def test_create_run_keeps_start_time_tags_and_name(client: MlflowClient, experiment_id: str):
    run = client.create_run(experiment_id, start_time=1_700_000_000_123, tags={"team": "vision"}, run_name="given")
    fetched = client.get_run(run.info.run_id)
    assert fetched.info.start_time == 1_700_000_000_123
    assert fetched.info.experiment_id == experiment_id
    assert fetched.info.status == "RUNNING"
    assert fetched.info.lifecycle_stage == "active"
    assert fetched.info.run_name == "given"
    assert len(fetched.info.run_id) == 32 and int(fetched.info.run_id, 16) >= 0
    assert fetched.data.tags["team"] == "vision"
    assert fetched.data.tags["mlflow.runName"] == "given"
    assert fetched.info.artifact_uri.startswith("mlflow-artifacts:")
    assert fetched.info.run_id in fetched.info.artifact_uri


def test_run_name_and_its_tag_stay_in_sync(client: MlflowClient, run_id: str):
    client.update_run(run_id, name="renamed")
    assert client.get_run(run_id).data.tags["mlflow.runName"] == "renamed"

    client.set_tag(run_id, "mlflow.runName", "tagged")
    assert client.get_run(run_id).info.run_name == "tagged"

    client.log_batch(run_id, tags=[RunTag("mlflow.runName", "batched")])
    assert client.get_run(run_id).info.run_name == "batched"


def test_a_name_that_contradicts_its_tag_is_rejected(api: RestApi):
    experiment_id = api.create_experiment()
    response = api.post(
        "runs/create",
        {"experiment_id": experiment_id, "run_name": "one", "tags": [{"key": "mlflow.runName", "value": "other"}]},
    )
    expect_error(response, "INVALID_PARAMETER_VALUE", 400)


def test_nested_runs_carry_their_parent(client: MlflowClient):
    experiment = mlflow.set_experiment(unique_name("nested"))
    with mlflow.start_run(run_name="parent") as parent:
        with mlflow.start_run(run_name="child", nested=True) as child:
            with mlflow.start_run(run_name="grandchild", nested=True) as grandchild:
                pass
    assert client.get_run(child.info.run_id).data.tags["mlflow.parentRunId"] == parent.info.run_id
    assert client.get_run(grandchild.info.run_id).data.tags["mlflow.parentRunId"] == child.info.run_id
    assert "mlflow.parentRunId" not in client.get_run(parent.info.run_id).data.tags

    children = client.search_runs(
        [experiment.experiment_id], filter_string=f"tags.mlflow.parentRunId = '{parent.info.run_id}'"
    )
    assert [run.info.run_name for run in children] == ["child"]


def test_a_client_created_run_can_be_a_child(client: MlflowClient, experiment_id: str):
    parent = client.create_run(experiment_id, run_name="parent").info.run_id
    child = client.create_run(experiment_id, tags={"mlflow.parentRunId": parent}).info.run_id
    assert client.get_run(child).data.tags["mlflow.parentRunId"] == parent


def test_update_run_and_set_terminated_change_status_and_end_time(client: MlflowClient, run_id: str):
    client.update_run(run_id, status="KILLED")
    assert client.get_run(run_id).info.status == "KILLED"

    # Back to RUNNING resumes a run; then it can end again.
    client.update_run(run_id, status="RUNNING")
    assert client.get_run(run_id).info.status == "RUNNING"
    client.set_terminated(run_id, status="FAILED", end_time=1_800_000_000_000)
    info = client.get_run(run_id).info
    assert (info.status, info.end_time) == ("FAILED", 1_800_000_000_000)


@mlflow_deviates("lets an ended run end again with another status, so two clients finishing a run both win")
def test_a_run_ends_once_until_it_is_resumed(client: MlflowClient, run_id: str):
    client.update_run(run_id, status="KILLED")
    killed = client.get_run(run_id).info
    assert killed.status == "KILLED" and killed.end_time

    # Repeating the ending changes nothing (a retried request succeeds).
    client.update_run(run_id, status="KILLED")
    assert client.get_run(run_id).info.end_time == killed.end_time

    # Another ending is refused, and the message says how the run ended.
    with raises_mlflow_error("INVALID_PARAMETER_VALUE") as refused:
        client.set_terminated(run_id, status="FAILED", end_time=1_800_000_000_000)
    assert f"already ended as KILLED at {killed.end_time}" in str(refused.value)
    assert (client.get_run(run_id).info.status, client.get_run(run_id).info.end_time) == ("KILLED", killed.end_time)

    client.update_run(run_id, status="RUNNING")
    client.set_terminated(run_id, status="FAILED", end_time=1_800_000_000_000)
    assert client.get_run(run_id).info.status == "FAILED"


def test_fluent_end_run_with_a_status():
    mlflow.set_experiment(unique_name("killed"))
    run = mlflow.start_run()
    mlflow.end_run(status=RunStatus.to_string(RunStatus.KILLED))
    assert mlflow.get_run(run.info.run_id).info.status == "KILLED"


def test_resuming_a_run_appends_to_it():
    mlflow.set_experiment(unique_name("resume"))
    with mlflow.start_run() as run:
        mlflow.log_metric("loss", 1.0, step=0)
    with mlflow.start_run(run_id=run.info.run_id):
        assert mlflow.get_run(run.info.run_id).info.status == "RUNNING"
        mlflow.log_metric("loss", 0.5, step=1)
    resumed = mlflow.get_run(run.info.run_id)
    assert resumed.info.status == "FINISHED"
    assert [point.value for point in MlflowClient().get_metric_history(run.info.run_id, "loss")] == [1.0, 0.5]


def test_deleted_runs_stay_readable_and_come_back_on_restore(client: MlflowClient, experiment_id: str, run_id: str):
    client.log_metric(run_id, "m", 1.0)
    client.delete_run(run_id)
    deleted = client.get_run(run_id)
    assert deleted.info.lifecycle_stage == "deleted"
    assert deleted.data.metrics == {"m": 1.0}
    assert [point.value for point in client.get_metric_history(run_id, "m")] == [1.0]
    assert client.search_runs([experiment_id]) == []
    assert [run.info.run_id for run in client.search_runs([experiment_id], run_view_type=ViewType.DELETED_ONLY)] == [
        run_id
    ]

    client.delete_run(run_id)  # deleting twice is fine
    client.restore_run(run_id)
    client.restore_run(run_id)  # and so is restoring twice
    assert client.get_run(run_id).info.lifecycle_stage == "active"
    assert [run.info.run_id for run in client.search_runs([experiment_id])] == [run_id]


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda client, run_id: client.log_param(run_id, "p", "v"), id="log_param"),
        pytest.param(lambda client, run_id: client.log_metric(run_id, "m", 1.0), id="log_metric"),
        pytest.param(lambda client, run_id: client.set_tag(run_id, "t", "v"), id="set_tag"),
        pytest.param(lambda client, run_id: client.log_batch(run_id, params=[Param("p", "v")]), id="log_batch"),
        pytest.param(lambda client, run_id: client.update_run(run_id, status="FINISHED"), id="update_run"),
    ],
)
def test_writes_to_a_deleted_run_are_invalid_parameter_value(client: MlflowClient, run_id: str, write):
    client.delete_run(run_id)
    with raises_mlflow_error("INVALID_PARAMETER_VALUE"):
        write(client, run_id)


@pytest.mark.parametrize(
    "operation",
    [
        pytest.param(lambda client, run_id: client.get_run(run_id), id="get_run"),
        pytest.param(lambda client, run_id: client.log_metric(run_id, "m", 1.0), id="log_metric"),
        pytest.param(lambda client, run_id: client.log_param(run_id, "p", "v"), id="log_param"),
        pytest.param(lambda client, run_id: client.set_tag(run_id, "t", "v"), id="set_tag"),
        pytest.param(lambda client, run_id: client.update_run(run_id, status="FINISHED"), id="update_run"),
        pytest.param(lambda client, run_id: client.delete_run(run_id), id="delete_run"),
        pytest.param(lambda client, run_id: client.restore_run(run_id), id="restore_run"),
    ],
)
def test_an_unknown_run_is_resource_does_not_exist(client: MlflowClient, operation):
    with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST"):
        operation(client, "0123456789abcdef0123456789abcdef")


def test_runs_cannot_be_created_in_a_deleted_or_unknown_experiment(client: MlflowClient, experiment_id: str):
    client.delete_experiment(experiment_id)
    with raises_mlflow_error("INVALID_PARAMETER_VALUE"):
        client.create_run(experiment_id)
    with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST"):
        client.create_run("987654321")


@mlflow_deviates("a runs/create without experiment_id leaks a database integrity error as BAD_REQUEST")
def test_a_run_created_without_an_experiment_id_goes_to_default(api: RestApi):
    created = api.call("runs/create", {"start_time": now_ms()})
    assert created["run"]["info"]["experiment_id"] == "0"
