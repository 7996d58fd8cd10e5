"""Fills a fresh Lablog with the data the browser suite looks at, through the server's public APIs.

Most experiments and the 300-run sweep go through the native JSON API (``/api/...``); the NLP experiment, its
nested runs, its RUNNING run and the artifacts go through the MLflow REST API and artifact proxy, the way the
``mlflow`` client logs them. Everything is deterministic (fixed seeds, times relative to a fixed moment).
"""

from __future__ import annotations

import json
import math
import random
import struct
import time
import zlib
from dataclasses import dataclass, field

import requests

MLFLOW = "/api/2.0/mlflow"
MLFLOW_ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts"

SWEEP_RUNS = 300
# Runs of the sweep tagged stage=candidate: the filter box test expects exactly these.
CANDIDATE_EVERY = 43
LONG_HISTORY_POINTS = 200_000
SPIKE_STEP = 123_457
SPIKE_VALUE = 25.0
NATIVE_BATCH = 10_000


@dataclass
class Seeded:
    """Ids and facts of the seeded data that the tests rely on."""

    sweep_experiment_id: str = ""
    sweep_run_ids: list[str] = field(default_factory=list)
    candidate_run_names: list[str] = field(default_factory=list)
    nlp_experiment_id: str = ""
    long_run_id: str = ""
    running_run_id: str = ""
    parent_run_id: str = ""
    child_run_ids: list[str] = field(default_factory=list)
    empty_experiment_id: str = ""
    trashed_experiment_id: str = ""
    artifact_names: list[str] = field(default_factory=list)


class Api:
    """A thin JSON client for the native and MLflow APIs that raises on any non-2xx answer."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.session = requests.Session()

    def call(self, method: str, path: str, body=None, data: bytes | None = None, content_type: str | None = None):
        headers = {}
        if body is not None:
            data = json.dumps(body).encode()
            content_type = "application/json"
        if content_type:
            headers["Content-Type"] = content_type
        response = self.session.request(method, self.base_url + path, data=data, headers=headers, timeout=60)
        if not response.ok:
            raise AssertionError(f"{method} {path} answered {response.status_code}: {response.text[:500]}")
        return response.json() if response.content and "json" in response.headers.get("Content-Type", "") else None

    # Native API.
    def create_experiment(self, name: str, description: str | None = None, tags: dict | None = None) -> str:
        body = {"name": name, "description": description, "tags": tags or {}}
        return str(self.call("POST", "/api/experiments", body)["id"])

    def create_run(self, experiment_id: str, **fields) -> str:
        return self.call("POST", f"/api/experiments/{experiment_id}/runs", fields)["id"]

    def update_run(self, run_id: str, **fields) -> None:
        self.call("PATCH", f"/api/runs/{run_id}", fields)

    def log_points(self, run_id: str, points: list[dict]) -> None:
        for start in range(0, len(points), NATIVE_BATCH):
            self.call("POST", f"/api/runs/{run_id}/metrics", points[start : start + NATIVE_BATCH])

    # MLflow REST API.
    def mlflow(self, endpoint: str, body: dict) -> dict:
        return self.call("POST", f"{MLFLOW}/{endpoint}", body)

    def mlflow_run(self, experiment_id: str, name: str, start_ms: int, tags: list[dict] | None = None) -> dict:
        system_tags = [{"key": "mlflow.user", "value": "ana"}, {"key": "mlflow.source.name", "value": "train.py"}]
        body = {"experiment_id": experiment_id, "run_name": name, "start_time": start_ms, "tags": system_tags}
        body["tags"] += tags or []
        return self.mlflow("runs/create", body)["run"]["info"]

    def put_artifact(self, artifact_uri: str, name: str, content: bytes, content_type: str) -> None:
        # mlflow-artifacts:/2/<run>/artifacts -> 2/<run>/artifacts under the proxy's root.
        location = artifact_uri.split(":", 1)[1].lstrip("/")
        self.call("PUT", f"{MLFLOW_ARTIFACTS}/{location}/{name}", data=content, content_type=content_type)


def png_image(width: int = 96, height: int = 64) -> bytes:
    """A small RGB gradient as a valid PNG, made here so the suite needs no files from elsewhere."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type None for this row
        for x in range(width):
            rows += bytes((x * 255 // width, y * 255 // height, 160))

    def chunk(kind: bytes, payload: bytes) -> bytes:
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows))) + chunk(b"IEND", b"")
    )


def seed(base_url: str) -> Seeded:
    api = Api(base_url)
    seeded = Seeded()
    now_ms = int(time.time() * 1000)
    random_numbers = random.Random(4)
    _seed_sweep(api, seeded, now_ms, random_numbers)
    _seed_nlp(api, seeded, now_ms, random_numbers)
    _seed_small_experiments(api, seeded, now_ms)
    return seeded


def _training_curve(rng: random.Random, steps: int, start_ms: int, lr: float) -> list[dict]:
    quality = 1 - abs(math.log10(lr) + 2) / 3 + rng.uniform(-0.05, 0.05)
    points = []
    for step in range(steps):
        progress = (step + 1) / steps
        loss = 2.3 * math.exp(-3 * progress * quality) + rng.uniform(0, 0.05)
        timestamp = start_ms + step * 60_000
        points.append({"key": "loss", "value": round(loss, 5), "step": step, "timestamp": timestamp})
        points.append({"key": "val_loss", "value": round(loss * 1.1 + 0.02, 5), "step": step, "timestamp": timestamp})
        accuracy = min(0.99, 0.1 + 0.85 * quality * progress**0.5)
        points.append({"key": "accuracy", "value": round(accuracy, 5), "step": step, "timestamp": timestamp})
    return points


def _seed_sweep(api: Api, seeded: Seeded, now_ms: int, rng: random.Random) -> None:
    """A 300-run hyperparameter sweep: params, 3 metrics over 20 epochs, tags, finished, failed and killed runs."""
    seeded.sweep_experiment_id = api.create_experiment(
        "resnet50-imagenet-sweep",
        "Learning-rate and batch-size sweep of ResNet-50 on the 100-class ImageNet subset.",
        {"team": "vision", "dataset": "imagenet-100", "owner": "ana"},
    )
    for index in range(SWEEP_RUNS):
        lr = rng.choice([0.1, 0.03, 0.01, 0.003, 0.001])
        batch_size = rng.choice([32, 64, 128, 256])
        start_ms = now_ms - (14 * 24 * 3600 * 1000) + index * 3_600_000
        status = "FAILED" if index % 23 == 5 else "KILLED" if index % 37 == 7 else "FINISHED"
        steps = 6 if status != "FINISHED" else 20
        name = f"sweep-{index:03d}-lr{lr}-bs{batch_size}"
        tags = {"model": "resnet50", "host": f"gpu-node-{index % 6 + 1}"}
        if index % CANDIDATE_EVERY == 0:
            tags["stage"] = "candidate"
            seeded.candidate_run_names.append(name)
        run_id = api.create_run(
            seeded.sweep_experiment_id,
            name=name,
            status="RUNNING",
            start_time=start_ms,
            user_id="ana",
            params={
                "lr": str(lr),
                "batch_size": str(batch_size),
                "optimizer": rng.choice(["sgd", "adamw"]),
                "weight_decay": str(rng.choice([0.0001, 0.0005])),
                "epochs": "20",
                "data_dir": "/mnt/datasets/imagenet-100/shards/train-00000-of-01024.tfrecord",
            },
            tags=tags,
            metrics=_training_curve(rng, steps, start_ms, lr),
        )
        api.update_run(run_id, status=status, end_time=start_ms + steps * 60_000 + 5_000)
        seeded.sweep_run_ids.append(run_id)


def _seed_nlp(api: Api, seeded: Seeded, now_ms: int, rng: random.Random) -> None:
    """Through the MLflow API: a long-history run with artifacts, a RUNNING run, and a parent with children."""
    seeded.nlp_experiment_id = api.mlflow(
        "experiments/create",
        {"name": "bert-base-sst2-finetune", "tags": [{"key": "team", "value": "nlp"}]},
    )["experiment_id"]
    experiment_id = seeded.nlp_experiment_id

    for index in range(24):
        lr = rng.choice([5e-5, 3e-5, 2e-5])
        start_ms = now_ms - 3 * 24 * 3600 * 1000 + index * 1_800_000
        info = api.mlflow_run(experiment_id, f"finetune-{index:02d}", start_ms)
        api.mlflow(
            "runs/log-batch",
            {
                "run_id": info["run_id"],
                "metrics": _training_curve(rng, 12, start_ms, lr * 200),
                "params": [{"key": "lr", "value": str(lr)}, {"key": "warmup_steps", "value": "500"}],
            },
        )
        api.mlflow("runs/update", {"run_id": info["run_id"], "status": "FINISHED", "end_time": start_ms + 900_000})

    # One very long history with a single spike that a chart must not lose.
    start_ms = now_ms - 2 * 24 * 3600 * 1000
    info = api.mlflow_run(experiment_id, "bert-long-pretraining", start_ms)
    seeded.long_run_id = info["run_id"]
    api.mlflow(
        "runs/log-batch",
        {
            "run_id": info["run_id"],
            "params": [
                {"key": "lr", "value": "1e-4"},
                {"key": "max_steps", "value": str(LONG_HISTORY_POINTS)},
                {"key": "tokenizer", "value": "bert-base-uncased"},
            ],
            "tags": [{"key": "note", "value": "loss spike at step 123457 (bad shard)"}],
        },
    )
    points = []
    for step in range(LONG_HISTORY_POINTS):
        value = SPIKE_VALUE if step == SPIKE_STEP else 0.1 + 2.2 * math.exp(-step / 40_000) + rng.uniform(0, 0.02)
        points.append({"key": "train/loss", "value": round(value, 6), "step": step, "timestamp": start_ms + step * 50})
    points += [
        {"key": "eval/accuracy", "value": round(0.5 + 0.4 * (1 - math.exp(-s / 20)), 5), "step": s * 2000}
        for s in range(100)
    ]
    api.log_points(info["run_id"], points)
    _seed_artifacts(api, seeded, info["artifact_uri"])
    api.mlflow("runs/update", {"run_id": info["run_id"], "status": "FINISHED", "end_time": start_ms + 10_000_000})

    # A run still in progress.
    start_ms = now_ms - 20 * 60 * 1000
    info = api.mlflow_run(experiment_id, "finetune-live", start_ms)
    seeded.running_run_id = info["run_id"]
    api.mlflow(
        "runs/log-batch",
        {
            "run_id": info["run_id"],
            "metrics": [
                {
                    "key": "loss",
                    "value": round(1.5 * math.exp(-s / 10), 4),
                    "timestamp": start_ms + s * 30_000,
                    "step": s,
                }
                for s in range(30)
            ],
            "params": [{"key": "lr", "value": "3e-5"}],
        },
    )

    # A parent run with nested children, as MLflow's hyperparameter searches log them.
    start_ms = now_ms - 26 * 3600 * 1000
    parent = api.mlflow_run(experiment_id, "hp-search", start_ms)
    seeded.parent_run_id = parent["run_id"]
    for index in range(4):
        child = api.mlflow_run(
            experiment_id,
            f"hp-search-trial-{index}",
            start_ms + index * 600_000,
            tags=[{"key": "mlflow.parentRunId", "value": parent["run_id"]}],
        )
        seeded.child_run_ids.append(child["run_id"])
        api.mlflow(
            "runs/log-batch",
            {
                "run_id": child["run_id"],
                "metrics": [
                    {"key": "f1", "value": 0.8 + index / 50, "timestamp": start_ms + index * 600_000, "step": 0}
                ],
                "params": [{"key": "dropout", "value": f"{0.1 * (index + 1):.1f}"}],
            },
        )
        api.mlflow("runs/update", {"run_id": child["run_id"], "status": "FINISHED", "end_time": start_ms + 3_000_000})
    api.mlflow("runs/update", {"run_id": parent["run_id"], "status": "FINISHED", "end_time": start_ms + 3_600_000})


def _seed_artifacts(api: Api, seeded: Seeded, artifact_uri: str) -> None:
    rows = "\n".join(
        f"{index},{'positive' if index % 3 else 'negative'},{0.5 + index / 100:.3f}" for index in range(40)
    )
    files = [
        ("notes.txt", b"Pretraining notes\n\nThe loss spike at step 123457 came from a corrupt shard.\n", "text/plain"),
        (
            "config.json",
            json.dumps({"lr": 1e-4, "layers": 12, "heads": 12, "dropout": 0.1}).encode(),
            "application/json",
        ),
        ("eval/predictions.csv", f"index,label,score\n{rows}\n".encode(), "text/csv"),
        ("plots/attention.png", png_image(), "image/png"),
    ]
    for name, content, content_type in files:
        api.put_artifact(artifact_uri, name, content, content_type)
        seeded.artifact_names.append(name)


def _seed_small_experiments(api: Api, seeded: Seeded, now_ms: int) -> None:
    """More experiments for the list: an empty one, a long unbroken name, one in the trash."""
    seeded.empty_experiment_id = api.create_experiment("scratch", "Nothing logged here yet.")
    long_name = "speech-recognition-conformer-large-librispeech-960h-specaugment-ablation-2026"
    long_id = api.create_experiment(long_name, None, {"team": "speech", "priority": "high"})
    for index in range(3):
        api.create_run(long_id, name=f"ablation-{index}", status="FINISHED", metrics={"wer": 0.05 + index / 100})
    for name in ("tabular-xgboost-baseline", "diffusion-unet-cifar10", "rl-ppo-cartpole"):
        experiment_id = api.create_experiment(name, None, {"team": "research"})
        api.create_run(experiment_id, name=f"{name}-run", status="FINISHED", metrics={"score": 0.7})
    seeded.trashed_experiment_id = api.create_experiment("old-baseline", "Superseded by the sweep.")
    api.call("DELETE", f"/api/experiments/{seeded.trashed_experiment_id}")
