"""Helpers shared by the compatibility tests: unique names, a raw REST client, and assertions on answers."""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from mlflow.exceptions import MlflowException

SERVER_KIND = os.environ.get("LABLOG_COMPAT_SERVER", "lablog")

TRACKING_PREFIX = "/api/2.0/mlflow/"
ARTIFACTS_PREFIX = "/api/2.0/mlflow-artifacts/artifacts"


def unique_name(prefix: str = "compat") -> str:
    """A name no other test uses, so that tests sharing one server never see each other's data."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def now_ms() -> int:
    return int(time.time() * 1000)


def mlflow_deviates(reason: str) -> pytest.MarkDecorator:
    """Marks a test of behaviour that the reference MLflow server gets wrong and Lablog must get right.

    Against MLflow the test must fail (strict xfail), which keeps the reason honest; against Lablog it must pass.
    """
    return pytest.mark.xfail(SERVER_KIND == "mlflow", reason=f"reference MLflow server: {reason}", strict=True)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def write_random_file(path: Path, size: int) -> None:
    """Writes ``size`` random bytes in 1 MiB pieces, without holding the file in memory."""
    with open(path, "wb") as file:
        remaining = size
        while remaining:
            piece = os.urandom(min(remaining, 1 << 20))
            file.write(piece)
            remaining -= len(piece)


# ---------------------------------------------------------------------------------------------------------------
# JSON answers


def _reject_bare_constant(token: str):
    raise AssertionError(f"the answer holds a bare {token} token; non-finite numbers must travel as JSON strings")


def strict_json(text: str | bytes):
    """Parses JSON the way a strict client does: bare NaN / Infinity tokens are an error."""
    return json.loads(text, parse_constant=_reject_bare_constant)


def expect_ok(response: requests.Response) -> dict:
    """Asserts a JSON-RPC success (exactly 200, a JSON object) and returns the object."""
    assert response.status_code == 200, (
        f"{response.request.method} {response.url}: {response.status_code} {response.text[:500]}"
    )
    assert response.headers.get("Content-Type", "").startswith("application/json"), response.headers
    body = strict_json(response.content)
    assert isinstance(body, dict), body
    return body


def expect_error(response: requests.Response | RawResponse, error_code: str, status: int) -> dict:
    """Asserts MLflow's error shape: the HTTP status, and a JSON object with ``error_code`` and ``message``."""
    text = response.text[:500]
    assert response.status_code == status, f"expected {status} {error_code}, got {response.status_code}: {text}"
    body = strict_json(response.content)
    assert body.get("error_code") == error_code, body
    assert isinstance(body.get("message"), str) and body["message"], body
    return body


@contextlib.contextmanager
def raises_mlflow_error(error_code: str) -> Iterator[pytest.ExceptionInfo]:
    """Expects the mlflow client to raise an MlflowException carrying this error code."""
    with pytest.raises(MlflowException) as caught:
        yield caught
    assert caught.value.error_code == error_code, f"{caught.value.error_code}: {caught.value}"


# ---------------------------------------------------------------------------------------------------------------
# The REST API without the mlflow client


@dataclass
class RawResponse:
    status_code: int
    content: bytes
    headers: dict[str, str]

    @property
    def text(self) -> str:
        return self.content.decode(errors="replace")

    def json(self):
        return strict_json(self.content)


class RestApi:
    """Talks to the MLflow REST API of the server under test exactly as written, with no retries."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()

    def url(self, endpoint: str) -> str:
        return self.base_url + TRACKING_PREFIX + endpoint

    def post(self, endpoint: str, body: dict | None = None) -> requests.Response:
        return self.session.post(self.url(endpoint), json=body if body is not None else {}, timeout=60)

    def get(self, endpoint: str, params=None) -> requests.Response:
        return self.session.get(self.url(endpoint), params=params, timeout=60)

    def call(self, endpoint: str, body: dict | None = None) -> dict:
        """POSTs a JSON-RPC request that must succeed and returns the answer."""
        return expect_ok(self.post(endpoint, body))

    def fetch(self, endpoint: str, params=None) -> dict:
        """GETs a JSON-RPC request that must succeed and returns the answer."""
        return expect_ok(self.get(endpoint, params))

    def raw(self, method: str, target: str, body: bytes | None = None) -> RawResponse:
        """Sends ``target`` (path and query) byte for byte: no normalisation of ``..`` or re-encoding."""
        address = urlsplit(self.base_url)
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        try:
            connection.request(method, target, body=body)
            response = connection.getresponse()
            return RawResponse(response.status, response.read(), dict(response.getheaders()))
        finally:
            connection.close()

    # Conveniences for setting up state.

    def create_experiment(self, name: str | None = None, **fields) -> str:
        return self.call("experiments/create", {"name": name or unique_name(), **fields})["experiment_id"]

    def create_run(self, experiment_id: str, **fields) -> str:
        body = {"experiment_id": experiment_id, "start_time": now_ms(), **fields}
        return self.call("runs/create", body)["run"]["info"]["run_id"]

    def get_run(self, run_id: str) -> dict:
        return self.fetch("runs/get", {"run_id": run_id})["run"]

    # Artifacts through the proxy.

    def artifact_url(self, proxy_path: str) -> str:
        return f"{self.base_url}{ARTIFACTS_PREFIX}/{proxy_path}"

    def run_artifact_root(self, run_id: str) -> str:
        """The proxy path of a run's artifact folder, from its ``mlflow-artifacts:`` artifact URI."""
        artifact_uri = self.get_run(run_id)["info"]["artifact_uri"]
        scheme, _, rest = artifact_uri.partition(":")
        assert scheme == "mlflow-artifacts", f"artifacts must go through the server's proxy, got {artifact_uri}"
        if rest.startswith("//"):  # mlflow-artifacts://host:port/path
            rest = rest[2:].partition("/")[2]
        return rest.strip("/")

    def list_artifacts(self, proxy_path: str) -> dict:
        return expect_ok(self.session.get(self.base_url + ARTIFACTS_PREFIX, params={"path": proxy_path}, timeout=60))


def metric_values(run_data: dict) -> dict[str, object]:
    """{key: value} of the latest metrics in a REST RunData object."""
    return {metric["key"]: metric["value"] for metric in run_data.get("metrics", [])}


def key_values(entries: list[dict] | None) -> dict[str, str]:
    """{key: value} of a REST list of params or tags."""
    return {entry["key"]: entry.get("value", "") for entry in entries or []}
