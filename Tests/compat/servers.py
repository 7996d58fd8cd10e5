"""Starts and stops the tracking servers that the compatibility tests and the MLflow benchmark talk to.

Two kinds are known: ``lablog`` (the binary named by LABLOG_BINARY, or the debug build of this checkout) and
``mlflow`` (the reference ``mlflow server`` from the virtual environment running this code, SQLite backend,
proxied artifacts). Each server gets a free loopback port and its own folder for the database and the artifacts,
runs in its own process group, and is stopped with SIGTERM (SIGKILL only if it does not exit in time).

With ``LABLOG_COMPAT_BACKEND=postgres``, Lablog stores its data in PostgreSQL instead: each server in a fresh
schema of the database that ``LABLOG_TEST_POSTGRES_URL`` names (``scripts/postgres-env start`` makes one).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import requests

SERVER_KINDS = ("lablog", "mlflow")
REPO_ROOT = Path(__file__).resolve().parents[2]

# Keeps the MLflow server and client from phoning home; harmless for Lablog.
QUIET_ENVIRONMENT = {"MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true"}

# Settings a developer's shell or .env might hold that must not reach a server under test.
LABLOG_SETTINGS_TO_CLEAR = ("DATABASE_URL", "PORT", "HOST", "MAX_RUNS_PER_EXPERIMENT", "SEED_ON_STARTUP")


class ServerStartError(RuntimeError):
    pass


@dataclass
class TrackingServer:
    kind: str
    url: str
    process: subprocess.Popen
    workdir: Path
    artifacts_dir: Path
    log_path: Path

    def process_ids(self) -> list[int]:
        """The server process and every process it started (MLflow runs uvicorn as a child)."""
        parents = _parent_ids()
        family = [self.process.pid]
        for pid in family:
            family.extend(child for child, parent in parents.items() if parent == pid)
        return family

    def peak_memory_bytes(self) -> int:
        """The sum of each server process's peak resident set size (VmHWM)."""
        total = 0
        for pid in self.process_ids():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        total += int(line.split()[1]) * 1024
        return total

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the server's processes."""
        ticks = 0
        for pid in self.process_ids():
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])  # utime and stime, fields 14 and 15 of stat
        return ticks / os.sysconf("SC_CLK_TCK")

    def log_tail(self, lines: int = 40) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""


def _parent_ids() -> dict[int, int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                # The command name (field 2) may contain spaces, so split after its closing parenthesis.
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return parents


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def lablog_binary() -> Path:
    configured = os.environ.get("LABLOG_BINARY")
    binary = Path(configured) if configured else REPO_ROOT / ".build" / "debug" / "lablog"
    if not os.access(binary, os.X_OK):
        raise ServerStartError(f"no lablog binary at {binary}: build it (swift build) or point LABLOG_BINARY at one")
    return binary


def mlflow_executable() -> Path:
    """The mlflow command of the virtual environment whose Python runs this code."""
    executable = Path(sys.executable).parent / "mlflow"
    if not executable.exists():
        raise ServerStartError(f"no mlflow command beside {sys.executable}: run scripts/python-env first")
    return executable


def _command(kind: str, port: int, workdir: Path, artifacts_dir: Path, mlflow_workers: int) -> tuple[list[str], str]:
    """The command line that starts a server of this kind, and the path that answers once it is ready."""
    # fmt: off
    if kind == "lablog":
        command = [
            str(lablog_binary()), "serve",
            "--host", "127.0.0.1",
            "--port", str(port),
            "--database", _lablog_database(workdir),
            "--artifacts-dir", str(artifacts_dir),
        ]
        return command, "/api/health"
    if kind == "mlflow":
        command = [
            str(mlflow_executable()), "server",
            "--host", "127.0.0.1",
            "--port", str(port),
            "--backend-store-uri", f"sqlite:///{workdir / 'mlflow.db'}",
            "--artifacts-destination", str(artifacts_dir),
            "--serve-artifacts",
            "--workers", str(mlflow_workers),
        ]
        return command, "/health"
    # fmt: on
    raise ServerStartError(f"unknown server kind {kind!r}; expected one of {', '.join(SERVER_KINDS)}")


def _lablog_database(workdir: Path) -> str:
    """The database a Lablog server under test uses: a file in its folder, or a fresh PostgreSQL schema."""
    backend = os.environ.get("LABLOG_COMPAT_BACKEND", "sqlite")
    if backend == "sqlite":
        return str(workdir / "lablog.db")
    if backend != "postgres":
        raise ServerStartError(f"LABLOG_COMPAT_BACKEND={backend!r}; expected sqlite or postgres")
    url = os.environ.get("LABLOG_TEST_POSTGRES_URL")
    if not url:
        raise ServerStartError("LABLOG_COMPAT_BACKEND=postgres needs LABLOG_TEST_POSTGRES_URL (scripts/postgres-env)")
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}schema=compat_{uuid.uuid4().hex}"


def _environment(kind: str) -> dict[str, str]:
    environment = {**os.environ, **QUIET_ENVIRONMENT}
    if kind == "lablog":
        for name in LABLOG_SETTINGS_TO_CLEAR:
            environment.pop(name, None)
    return environment


def _wait_until_ready(server: TrackingServer, health_path: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise ServerStartError(
                f"{server.kind} server exited with status {server.process.returncode} before it answered "
                f"{health_path}:\n{server.log_tail()}"
            )
        with contextlib.suppress(requests.RequestException):
            if requests.get(server.url + health_path, timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    raise ServerStartError(
        f"{server.kind} server did not answer {health_path} within {timeout:.0f} s:\n{server.log_tail()}"
    )


def stop(server: TrackingServer, grace_seconds: float = 20) -> None:
    """SIGTERM to the server's process group, then wait; SIGKILL only if it overstays the grace period."""
    if server.process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.process.pid, signal.SIGTERM)
    try:
        server.process.wait(timeout=grace_seconds)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()


@contextlib.contextmanager
def running_server(
    kind: str, workdir: Path, startup_timeout: float = 120, mlflow_workers: int = 1
) -> Iterator[TrackingServer]:
    """Starts a server of this kind with its database and artifacts in ``workdir``, yields it, stops it.

    ``mlflow_workers`` is the number of uvicorn worker processes of an MLflow server (MLflow's own default is 4).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    artifacts_dir = workdir / "artifacts"
    artifacts_dir.mkdir(exist_ok=True)
    port = free_port()
    command, health_path = _command(kind, port, workdir, artifacts_dir, mlflow_workers)
    log_path = workdir / f"{kind}-server.log"
    with open(log_path, "wb") as log:
        # The server runs in its own folder so that no .env file of the checkout changes its settings.
        process = subprocess.Popen(
            command,
            cwd=workdir,
            env=_environment(kind),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = TrackingServer(kind, f"http://127.0.0.1:{port}", process, workdir, artifacts_dir, log_path)
    try:
        _wait_until_ready(server, health_path, startup_timeout)
        yield server
    finally:
        stop(server)
