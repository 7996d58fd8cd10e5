"""Artifacts through the server's proxy (/api/2.0/mlflow-artifacts/artifacts): upload, list, download byte for
byte, nested folders, text and dict helpers, large files, and refusal of paths that leave the run's folder."""

from __future__ import annotations

import json
import os
from pathlib import Path

import mlflow
import pytest
import yaml
from mlflow import MlflowClient

from helpers import (
    ARTIFACTS_PREFIX,
    RestApi,
    expect_error,
    mlflow_deviates,
    sha256_of,
    unique_name,
    write_random_file,
)
from servers import TrackingServer


def artifact_listing(client: MlflowClient, run_id: str, path: str | None = None) -> list[tuple[str, bool, int | None]]:
    return [(info.path, info.is_dir, info.file_size) for info in client.list_artifacts(run_id, path)]


def tree(folder: Path) -> dict[str, bytes]:
    """{relative path: content} of every file below ``folder``."""
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_a_file_goes_up_and_comes_back_byte_for_byte(client: MlflowClient, run_id: str, tmp_path: Path):
    source = tmp_path / "every-byte.bin"
    source.write_bytes(bytes(range(256)) * 41)
    client.log_artifact(run_id, str(source))

    assert artifact_listing(client, run_id) == [("every-byte.bin", False, 256 * 41)]
    downloaded = Path(client.download_artifacts(run_id, "every-byte.bin", str(tmp_path / "out")))
    assert downloaded.read_bytes() == source.read_bytes()


def test_nested_folders_are_listed_level_by_level_and_downloaded_whole(
    client: MlflowClient, run_id: str, tmp_path: Path
):
    source = tmp_path / "source"
    files = {
        "top.txt": b"top",
        "data/train.csv": b"a,b\n1,2\n",
        "data/deeper/weights.bin": os.urandom(4096),
        "data/deeper/empty.txt": b"",
    }
    for name, content in files.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes(content)
    client.log_artifacts(run_id, str(source), artifact_path="outputs")

    assert artifact_listing(client, run_id) == [("outputs", True, None)]
    assert artifact_listing(client, run_id, "outputs") == [("outputs/data", True, None), ("outputs/top.txt", False, 3)]
    listed = artifact_listing(client, run_id, "outputs/data/deeper")
    assert [(path, is_dir) for path, is_dir, _ in listed] == [
        ("outputs/data/deeper/empty.txt", False),
        ("outputs/data/deeper/weights.bin", False),
    ]
    assert listed[1][2] == 4096 and listed[0][2] in (0, None)

    whole = Path(client.download_artifacts(run_id, "outputs", str(tmp_path / "whole")))
    assert tree(whole) == files
    part = Path(client.download_artifacts(run_id, "outputs/data/deeper", str(tmp_path / "part")))
    assert tree(part) == {"weights.bin": files["data/deeper/weights.bin"], "empty.txt": b""}


def test_fluent_artifacts_text_and_dicts(tmp_path: Path):
    mlflow.set_experiment(unique_name("fluent artifacts"))
    config = {"lr": 0.01, "layers": [64, 32], "name": "ünïcödé"}
    (tmp_path / "tree" / "leaf").mkdir(parents=True)
    (tmp_path / "tree" / "leaf" / "a.txt").write_text("a")
    (tmp_path / "notes.md").write_text("# notes\n")
    with mlflow.start_run() as run:
        mlflow.log_artifact(str(tmp_path / "notes.md"), artifact_path="docs")
        mlflow.log_artifacts(str(tmp_path / "tree"), artifact_path="tree")
        mlflow.log_text("hello, world\n", "texts/hello.txt")
        mlflow.log_dict(config, "config/params.json")
        mlflow.log_dict(config, "config/params.yaml")

    artifact_uri = run.info.artifact_uri
    assert mlflow.artifacts.load_text(f"{artifact_uri}/texts/hello.txt") == "hello, world\n"
    assert mlflow.artifacts.load_text(f"{artifact_uri}/docs/notes.md") == "# notes\n"
    assert mlflow.artifacts.load_text(f"{artifact_uri}/tree/leaf/a.txt") == "a"
    assert mlflow.artifacts.load_dict(f"{artifact_uri}/config/params.json") == config
    assert yaml.safe_load(mlflow.artifacts.load_text(f"{artifact_uri}/config/params.yaml")) == config
    downloaded = mlflow.artifacts.download_artifacts(
        run_id=run.info.run_id, artifact_path="config", dst_path=str(tmp_path / "d")
    )
    assert json.loads((Path(downloaded) / "params.json").read_text()) == config


def test_artifacts_are_stored_under_the_configured_folder(
    client: MlflowClient, tracking_server: TrackingServer, run_id: str, tmp_path: Path
):
    source = tmp_path / "stored.bin"
    source.write_bytes(os.urandom(12_345))
    client.log_artifact(run_id, str(source))
    stored = [
        path for path in tracking_server.artifacts_dir.rglob("*") if path.is_file() and path.stat().st_size == 12_345
    ]
    assert any(path.read_bytes() == source.read_bytes() for path in stored)


def test_names_with_spaces_and_unicode(client: MlflowClient, run_id: str, tmp_path: Path):
    source = tmp_path / "a file ü+&=.txt"
    source.write_text("odd name")
    client.log_artifact(run_id, str(source), artifact_path="dir with space")
    assert artifact_listing(client, run_id, "dir with space") == [("dir with space/a file ü+&=.txt", False, 8)]
    downloaded = client.download_artifacts(run_id, "dir with space/a file ü+&=.txt", str(tmp_path / "out"))
    assert Path(downloaded).read_text() == "odd name"


def test_an_upload_overwrites_the_same_path(client: MlflowClient, run_id: str, tmp_path: Path):
    source = tmp_path / "version.txt"
    for content in ("one", "two, longer"):
        source.write_text(content)
        client.log_artifact(run_id, str(source))
    assert Path(client.download_artifacts(run_id, "version.txt", str(tmp_path / "out"))).read_text() == "two, longer"


def test_a_missing_folder_lists_as_empty(client: MlflowClient, run_id: str):
    assert client.list_artifacts(run_id) == []
    assert client.list_artifacts(run_id, "no/such/folder") == []


def test_the_proxy_lists_basenames_and_answers_empty_for_a_file(
    api: RestApi, client: MlflowClient, run_id: str, tmp_path: Path
):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("ab")
    (tmp_path / "b.txt").write_text("b")
    client.log_artifacts(run_id, str(tmp_path))
    root = api.run_artifact_root(run_id)

    files = sorted(api.list_artifacts(root)["files"], key=lambda entry: entry["path"])
    assert files == [{"path": "b.txt", "is_dir": False, "file_size": 1}, {"path": "sub", "is_dir": True}]
    assert api.list_artifacts(f"{root}/sub")["files"] == [{"path": "a.txt", "is_dir": False, "file_size": 2}]
    assert api.list_artifacts(f"{root}/sub/a.txt") == {}
    assert api.list_artifacts(f"{root}/missing") == {}


def test_downloading_a_missing_file_is_resource_does_not_exist(api: RestApi, run_id: str):
    response = api.session.get(api.artifact_url(f"{api.run_artifact_root(run_id)}/missing.txt"), timeout=60)
    expect_error(response, "RESOURCE_DOES_NOT_EXIST", 404)


def test_a_raw_upload_accepts_any_content_type_and_an_empty_body(api: RestApi, run_id: str):
    root = api.run_artifact_root(run_id)
    for name, body, content_type in [
        ("x.bin", b"\x00\x01", "application/octet-stream"),
        ("empty.json", b"", "application/json"),
    ]:
        response = api.session.put(
            api.artifact_url(f"{root}/{name}"), data=body, headers={"Content-Type": content_type}, timeout=60
        )
        assert response.status_code == 200, response.text
        download = api.session.get(api.artifact_url(f"{root}/{name}"), timeout=60)
        assert (download.status_code, download.content) == (200, body)


def test_logged_models_search_answers_for_a_run_without_models(
    api: RestApi, client: MlflowClient, experiment_id: str, run_id: str
):
    answer = api.call("logged-models/search", {"experiment_ids": [experiment_id], "filter": "name = 'model'"})
    assert answer.get("models", []) == []
    # list_artifacts of a sub-path asks logged-models/search whether the path is a model.
    client.log_text(run_id, "x", "model/notes.txt")
    assert artifact_listing(client, run_id, "model") == [("model/notes.txt", False, 1)]


TRAVERSALS = {
    "parent segments": "{root}/../../../../escaped-{tag}",
    "parent inside the path": "{root}/sub/../../../../escaped-{tag}",
    "encoded dots": "{root}/%2e%2e/%2E%2E/%2e%2e/%2e%2e/escaped-{tag}",
    "encoded slashes": "{root}/..%2f..%2f..%2f..%2fescaped-{tag}",
    "double-encoded": "{root}/%252e%252e/%252e%252e/%252e%252e/%252e%252e/escaped-{tag}",
    "absolute": "/tmp/escaped-{tag}",
    "encoded absolute": "%2Ftmp%2Fescaped-{tag}",
    "fragment": "{root}/a%23b-{tag}",
}


@pytest.mark.parametrize("method", ["GET", "PUT"])
@pytest.mark.parametrize("template", TRAVERSALS.values(), ids=TRAVERSALS.keys())
def test_artifact_paths_cannot_leave_the_run(
    api: RestApi, tracking_server: TrackingServer, run_id: str, method: str, template: str
):
    tag = unique_name("t")
    path = template.format(root=api.run_artifact_root(run_id), tag=tag)
    response = api.raw(method, f"{ARTIFACTS_PREFIX}/{path}", body=b"evil" if method == "PUT" else None)
    expect_error(response, "INVALID_PARAMETER_VALUE", 400)
    assert not list(tracking_server.workdir.parent.rglob(f"*{tag}*")), "a refused upload left a file behind"


@pytest.mark.parametrize(
    "template",
    ["{root}/../../..", "/etc", "%2Fetc", "{root}/%2e%2e/%2e%2e/%2e%2e", "{root}/%252e%252e/%252e%252e/%252e%252e"],
)
def test_artifact_listings_cannot_leave_the_run(api: RestApi, run_id: str, template: str):
    path = template.format(root=api.run_artifact_root(run_id))
    response = api.raw("GET", f"{ARTIFACTS_PREFIX}?path={path}")
    expect_error(response, "INVALID_PARAMETER_VALUE", 400)


@mlflow_deviates("accepts uploads anywhere under the artifact root, outside every run's folder")
def test_uploads_outside_every_run_folder_are_refused(api: RestApi):
    response = api.session.put(api.artifact_url(f"{unique_name('stray')}.txt"), data=b"stray", timeout=60)
    assert response.status_code in (400, 403, 404), response.text
    assert response.json()["error_code"] in ("INVALID_PARAMETER_VALUE", "PERMISSION_DENIED", "RESOURCE_DOES_NOT_EXIST")


def stored_copy(artifacts_dir: Path, name: str) -> Path:
    """The file the server stored for an artifact with this unique name (skips if it keeps no such file)."""
    found = [path for path in artifacts_dir.rglob(name) if path.is_file()]
    if len(found) != 1:
        pytest.skip("the server does not keep artifacts as files under their names")
    return found[0]


def test_symlinks_out_of_the_run_folder_are_refused(
    api: RestApi, client: MlflowClient, tracking_server: TrackingServer, run_id: str
):
    marker = unique_name("marker") + ".txt"
    client.log_text(run_id, "marker", marker)
    run_folder = stored_copy(tracking_server.artifacts_dir, marker).parent
    secret = tracking_server.workdir / "secret.txt"
    secret.write_text("secret")
    (run_folder / "link.txt").symlink_to(secret)
    (run_folder / "link-dir").symlink_to(tracking_server.workdir, target_is_directory=True)
    root = api.run_artifact_root(run_id)

    for target in ("link.txt", "link-dir/secret.txt"):
        response = api.session.get(api.artifact_url(f"{root}/{target}"), timeout=60)
        assert b"secret" not in response.content
        expect_error(response, "INVALID_PARAMETER_VALUE", 400)
    upload = api.session.put(api.artifact_url(f"{root}/link-dir/planted.txt"), data=b"planted", timeout=60)
    expect_error(upload, "INVALID_PARAMETER_VALUE", 400)
    assert not (tracking_server.workdir / "planted.txt").exists()
    listing = api.session.get(api.base_url + ARTIFACTS_PREFIX, params={"path": f"{root}/link-dir"}, timeout=60)
    expect_error(listing, "INVALID_PARAMETER_VALUE", 400)


def round_trip_large_file(client: MlflowClient, run_id: str, folder: Path, size: int) -> None:
    source = folder / "large.bin"
    write_random_file(source, size)
    client.log_artifact(run_id, str(source), artifact_path="big")
    assert artifact_listing(client, run_id, "big") == [("big/large.bin", False, size)]
    source_digest = sha256_of(source)
    source.unlink()  # keep at most one copy on disk
    downloaded = Path(client.download_artifacts(run_id, "big/large.bin", str(folder / "out")))
    assert downloaded.stat().st_size == size
    assert sha256_of(downloaded) == source_digest


def test_a_50_mib_file_round_trips(client: MlflowClient, run_id: str, tmp_path: Path):
    round_trip_large_file(client, run_id, tmp_path, 50 << 20)


@pytest.mark.slow
def test_a_1_gib_file_round_trips_without_the_server_holding_it_in_memory(
    client: MlflowClient, tracking_server: TrackingServer, run_id: str, tmp_path: Path
):
    peak_before = tracking_server.peak_memory_bytes()
    round_trip_large_file(client, run_id, tmp_path, 1 << 30)
    growth = tracking_server.peak_memory_bytes() - peak_before
    assert growth < 256 << 20, f"the server's peak memory grew by {growth >> 20} MiB: it seems to buffer whole files"
