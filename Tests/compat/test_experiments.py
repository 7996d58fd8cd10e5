"""Experiments through the mlflow client: create, get, get by name, search, rename, delete, restore, tags."""

from __future__ import annotations

import mlflow
import pytest
from mlflow import MlflowClient
from mlflow.entities import ViewType

from helpers import RestApi, expect_error, mlflow_deviates, now_ms, raises_mlflow_error, unique_name


def test_default_experiment_has_id_0(client: MlflowClient):
    default = client.get_experiment("0")
    assert default.name == "Default"
    assert default.lifecycle_stage == "active"
    assert client.get_experiment_by_name("Default").experiment_id == "0"


def test_a_run_started_without_an_experiment_goes_to_default():
    with mlflow.start_run() as run:
        assert run.info.experiment_id == "0"
    assert mlflow.get_run(run.info.run_id).info.experiment_id == "0"


def test_created_experiment_reads_back_with_its_fields(client: MlflowClient):
    name = unique_name("created")
    before = now_ms()
    experiment_id = client.create_experiment(name, tags={"team": "vision", "empty": ""})

    experiment = client.get_experiment(experiment_id)
    assert experiment.experiment_id == experiment_id
    assert experiment.name == name
    assert experiment.lifecycle_stage == "active"
    assert experiment.tags == {"team": "vision", "empty": ""}
    assert experiment.artifact_location.startswith("mlflow-artifacts:")
    assert before - 5_000 <= experiment.creation_time <= now_ms() + 5_000
    assert experiment.last_update_time >= experiment.creation_time


def test_get_experiment_by_name_finds_it_or_returns_none(client: MlflowClient):
    name = unique_name("by name")
    experiment_id = client.create_experiment(name)
    assert client.get_experiment_by_name(name).experiment_id == experiment_id
    assert client.get_experiment_by_name(unique_name("never created")) is None


def test_set_experiment_creates_once_and_then_reuses():
    name = unique_name("fluent")
    created = mlflow.set_experiment(name)
    again = mlflow.set_experiment(name)
    assert again.experiment_id == created.experiment_id
    with mlflow.start_run() as run:
        assert run.info.experiment_id == created.experiment_id
    assert mlflow.set_experiment(experiment_id=created.experiment_id).name == name


def test_set_experiment_refuses_a_deleted_experiment(client: MlflowClient):
    name = unique_name("deleted")
    client.delete_experiment(client.create_experiment(name))
    with pytest.raises(mlflow.MlflowException, match="deleted"):
        mlflow.set_experiment(name)


def test_a_taken_name_is_resource_already_exists(client: MlflowClient):
    name = unique_name("taken")
    client.create_experiment(name)
    with raises_mlflow_error("RESOURCE_ALREADY_EXISTS"):
        client.create_experiment(name)


def test_a_deleted_experiment_keeps_its_name_reserved(client: MlflowClient):
    name = unique_name("reserved")
    experiment_id = client.create_experiment(name)
    client.delete_experiment(experiment_id)
    with raises_mlflow_error("RESOURCE_ALREADY_EXISTS"):
        client.create_experiment(name)
    found = client.get_experiment_by_name(name)
    assert (found.experiment_id, found.lifecycle_stage) == (experiment_id, "deleted")


def test_unknown_experiment_is_resource_does_not_exist(client: MlflowClient):
    with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST"):
        client.get_experiment("987654321")


def test_an_over_long_name_is_rejected(client: MlflowClient):
    with raises_mlflow_error("INVALID_PARAMETER_VALUE"):
        client.create_experiment("n" * 501)
    assert client.get_experiment_by_name("n" * 500) is None


def test_rename_moves_the_name(client: MlflowClient):
    old_name, new_name = unique_name("old"), unique_name("new")
    experiment_id = client.create_experiment(old_name)
    created = client.get_experiment(experiment_id)

    client.rename_experiment(experiment_id, new_name)

    renamed = client.get_experiment(experiment_id)
    assert renamed.name == new_name
    assert renamed.last_update_time >= created.last_update_time
    assert client.get_experiment_by_name(new_name).experiment_id == experiment_id
    assert client.get_experiment_by_name(old_name) is None


@mlflow_deviates("renaming onto a taken name leaks the database error as BAD_REQUEST")
def test_rename_onto_a_taken_name_is_resource_already_exists(api: RestApi):
    taken = unique_name("taken")
    api.create_experiment(taken)
    experiment_id = api.create_experiment()
    response = api.post("experiments/update", {"experiment_id": experiment_id, "new_name": taken})
    expect_error(response, "RESOURCE_ALREADY_EXISTS", 400)


@mlflow_deviates("renaming a deleted experiment answers 500 INVALID_STATE, which the client retries for minutes")
def test_renaming_a_deleted_experiment_is_a_400(api: RestApi):
    experiment_id = api.create_experiment()
    api.call("experiments/delete", {"experiment_id": experiment_id})
    response = api.post("experiments/update", {"experiment_id": experiment_id, "new_name": unique_name()})
    expect_error(response, "INVALID_PARAMETER_VALUE", 400)


def test_delete_and_restore_carry_the_runs_along(client: MlflowClient, experiment_id: str):
    kept = client.create_run(experiment_id).info.run_id
    deleted_first = client.create_run(experiment_id).info.run_id
    client.delete_run(deleted_first)

    client.delete_experiment(experiment_id)
    assert client.get_experiment(experiment_id).lifecycle_stage == "deleted"
    assert client.get_run(kept).info.lifecycle_stage == "deleted"
    assert client.search_runs([experiment_id]) == []

    client.restore_experiment(experiment_id)
    assert client.get_experiment(experiment_id).lifecycle_stage == "active"
    # Restoring an experiment reactivates all its runs, including one deleted on its own before.
    assert {run.info.run_id for run in client.search_runs([experiment_id])} == {kept, deleted_first}


def test_delete_of_a_deleted_and_restore_of_an_active_experiment_are_404(client: MlflowClient, experiment_id: str):
    with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST"):
        client.restore_experiment(experiment_id)
    client.delete_experiment(experiment_id)
    with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST"):
        client.delete_experiment(experiment_id)


def test_experiment_tags_are_set_overwritten_and_deleted(client: MlflowClient, experiment_id: str):
    client.set_experiment_tag(experiment_id, "stage", "draft")
    client.set_experiment_tag(experiment_id, "stage", "final")
    client.set_experiment_tag(experiment_id, "owner", "ada")
    assert client.get_experiment(experiment_id).tags == {"stage": "final", "owner": "ada"}

    client.delete_experiment_tag(experiment_id, "stage")
    assert client.get_experiment(experiment_id).tags == {"owner": "ada"}
    with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST"):
        client.delete_experiment_tag(experiment_id, "stage")


def test_fluent_experiment_tags():
    experiment = mlflow.set_experiment(unique_name("fluent tags"))
    mlflow.set_experiment_tags({"a": "1", "b": "2"})
    mlflow.set_experiment_tag("a", "3")
    assert mlflow.get_experiment(experiment.experiment_id).tags == {"a": "3", "b": "2"}


def test_tags_of_a_deleted_experiment_cannot_change(client: MlflowClient, experiment_id: str):
    client.delete_experiment(experiment_id)
    with raises_mlflow_error("INVALID_PARAMETER_VALUE"):
        client.set_experiment_tag(experiment_id, "k", "v")


def test_an_experiment_tag_value_over_20000_characters_is_rejected(client: MlflowClient, experiment_id: str):
    client.set_experiment_tag(experiment_id, "fits", "v" * 20_000)
    with raises_mlflow_error("INVALID_PARAMETER_VALUE"):
        client.set_experiment_tag(experiment_id, "too long", "v" * 20_001)
    assert client.get_experiment(experiment_id).tags == {"fits": "v" * 20_000}


@pytest.fixture
def named_experiments(client: MlflowClient) -> dict[str, str]:
    """Four experiments sharing a fresh prefix, created in this order: {suffix: experiment id}."""
    prefix = unique_name("search")
    created = {}
    for suffix, tags in [
        ("alpha", {"team": "vision"}),
        ("Beta", {"team": "NLP"}),
        ("gamma", {}),
        ("delta", {"team": "vision-x"}),
    ]:
        created[suffix] = client.create_experiment(f"{prefix}-{suffix}", tags=tags)
    created["prefix"] = prefix
    return created


def search_names(client: MlflowClient, prefix: str, filter_string: str = "", **options) -> list[str]:
    """Names (without the prefix) of the experiments found, in the server's order, among those of ``prefix``."""
    condition = f"name LIKE '{prefix}-%'" + (f" AND {filter_string}" if filter_string else "")
    found = client.search_experiments(filter_string=condition, **options)
    return [experiment.name.removeprefix(prefix + "-") for experiment in found]


@pytest.mark.parametrize(
    ("filter_string", "expected"),
    [
        ("", {"alpha", "Beta", "gamma", "delta"}),
        ("name LIKE '%-alpha'", {"alpha"}),
        ("name LIKE '%-beta'", set()),  # LIKE is case-sensitive
        ("name ILIKE '%-beta'", {"Beta"}),
        ("attribute.name != 'nothing'", {"alpha", "Beta", "gamma", "delta"}),
        ("tags.team = 'vision'", {"alpha"}),
        ("tags.team LIKE 'vision%'", {"alpha", "delta"}),
        ("tags.team ILIKE 'nlp'", {"Beta"}),
        ("tags.team IS NULL", {"gamma"}),
        ("tags.team IS NOT NULL", {"alpha", "Beta", "delta"}),
        ("creation_time > 0", {"alpha", "Beta", "gamma", "delta"}),
    ],
)
def test_search_experiments_filters(client: MlflowClient, named_experiments, filter_string: str, expected: set[str]):
    assert set(search_names(client, named_experiments["prefix"], filter_string)) == expected


def test_search_experiments_by_id_list(client: MlflowClient, named_experiments):
    wanted = [named_experiments["alpha"], named_experiments["gamma"]]
    quoted = ", ".join(f"'{experiment_id}'" for experiment_id in wanted)
    found = client.search_experiments(filter_string=f"experiment_id IN ({quoted})")
    assert sorted(experiment.experiment_id for experiment in found) == sorted(wanted)


def test_search_experiments_orders_and_pages(client: MlflowClient, named_experiments):
    prefix = named_experiments["prefix"]
    assert search_names(client, prefix, order_by=["name ASC"]) == ["Beta", "alpha", "delta", "gamma"]
    assert search_names(client, prefix, order_by=["name DESC"]) == ["gamma", "delta", "alpha", "Beta"]
    # The default order is newest first.
    newest_first = client.search_experiments(filter_string=f"name LIKE '{prefix}-%'")
    creation_times = [experiment.creation_time for experiment in newest_first]
    assert len(creation_times) == 4 and creation_times == sorted(creation_times, reverse=True)

    pages, token = [], None
    while True:
        page = client.search_experiments(
            filter_string=f"name LIKE '{prefix}-%'", order_by=["name ASC"], max_results=3, page_token=token
        )
        pages.append([experiment.name.removeprefix(prefix + "-") for experiment in page])
        token = page.token
        if not token:
            break
    assert pages == [["Beta", "alpha", "delta"], ["gamma"]]


def test_search_experiments_view_types(client: MlflowClient, named_experiments):
    prefix = named_experiments["prefix"]
    client.delete_experiment(named_experiments["gamma"])
    assert set(search_names(client, prefix)) == {"alpha", "Beta", "delta"}
    assert search_names(client, prefix, view_type=ViewType.DELETED_ONLY) == ["gamma"]
    assert set(search_names(client, prefix, view_type=ViewType.ALL)) == {"alpha", "Beta", "gamma", "delta"}


def test_fluent_search_experiments(named_experiments):
    prefix = named_experiments["prefix"]
    found = mlflow.search_experiments(filter_string=f"name = '{prefix}-alpha'")
    assert [(experiment.experiment_id, experiment.tags) for experiment in found] == [
        (named_experiments["alpha"], {"team": "vision"})
    ]
