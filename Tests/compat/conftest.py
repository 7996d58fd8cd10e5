"""Fixtures of the MLflow wire-compatibility suite.

One tracking server per test session (Lablog, or the reference MLflow server when LABLOG_COMPAT_SERVER=mlflow),
on a free loopback port with a temporary database and artifact folder. Every test works in experiments of its own,
so tests are independent of each other and of their order.
"""

from __future__ import annotations

import contextlib
import os

# The client retries 5xx answers for minutes by default; a compatibility failure must show at once instead.
# These are read when a request is made, so setting them before the first request is enough.
os.environ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "0"
os.environ["MLFLOW_HTTP_REQUEST_TIMEOUT"] = "60"
os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
os.environ["DO_NOT_TRACK"] = "true"

import mlflow  # noqa: E402
import pytest  # noqa: E402
from mlflow import MlflowClient  # noqa: E402
from mlflow.tracking import fluent  # noqa: E402

from helpers import SERVER_KIND, RestApi, unique_name  # noqa: E402
from servers import SERVER_KINDS, ServerStartError, TrackingServer, running_server  # noqa: E402


def pytest_report_header(config) -> str:
    return f"tracking server under test: {SERVER_KIND} (LABLOG_COMPAT_SERVER); mlflow client {mlflow.__version__}"


def pytest_collection_modifyitems(config, items) -> None:
    if os.environ.get("LABLOG_COMPAT_SLOW") == "1":
        return
    skip_slow = pytest.mark.skip(reason="slow; set LABLOG_COMPAT_SLOW=1 to run it")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip_slow)


@pytest.fixture(scope="session")
def tracking_server(tmp_path_factory) -> TrackingServer:
    if SERVER_KIND not in SERVER_KINDS:
        pytest.exit(f"LABLOG_COMPAT_SERVER must be one of {', '.join(SERVER_KINDS)}, not {SERVER_KIND!r}", returncode=4)
    with contextlib.ExitStack() as stack:
        try:
            server = stack.enter_context(running_server(SERVER_KIND, tmp_path_factory.mktemp(f"{SERVER_KIND}-server")))
        except ServerStartError as error:
            pytest.exit(f"could not start the {SERVER_KIND} server under test: {error}", returncode=3)
        yield server


@pytest.fixture(scope="session")
def tracking_uri(tracking_server: TrackingServer) -> str:
    """The URL of the server under test, which the mlflow client (fluent API and MlflowClient) logs to."""
    os.environ["MLFLOW_TRACKING_URI"] = tracking_server.url
    mlflow.set_tracking_uri(tracking_server.url)
    yield tracking_server.url
    mlflow.set_tracking_uri(None)


@pytest.fixture(autouse=True)
def fresh_fluent_state(tracking_uri: str):
    """No active run and no active experiment before or after a test, whatever the test did."""
    yield
    while mlflow.active_run():
        mlflow.end_run()
    # set_experiment() keeps the choice in the module and in the environment; forget both.
    fluent._active_experiment_id = None
    os.environ.pop("MLFLOW_EXPERIMENT_ID", None)


@pytest.fixture
def client(tracking_uri: str) -> MlflowClient:
    return MlflowClient(tracking_uri)


@pytest.fixture
def api(tracking_uri: str) -> RestApi:
    return RestApi(tracking_uri)


@pytest.fixture
def experiment_id(client: MlflowClient) -> str:
    """A new, empty experiment for this test."""
    return client.create_experiment(unique_name("exp"))


@pytest.fixture
def run_id(client: MlflowClient, experiment_id: str) -> str:
    """A new RUNNING run in this test's experiment."""
    return client.create_run(experiment_id).info.run_id
