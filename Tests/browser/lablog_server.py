"""Starts the built ``lablog`` binary for the browser suite and stops it again.

The server listens on a free loopback port with a database and an artifacts folder of its own, runs in its own
process group and is stopped with SIGTERM (SIGKILL only if it does not exit in time).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import requests

REPO_ROOT = Path(__file__).resolve().parents[2]

# Settings a developer's shell or .env might hold that must not reach the server under test.
SETTINGS_TO_CLEAR = ("DATABASE_URL", "PORT", "HOST", "MAX_RUNS_PER_EXPERIMENT", "SEED_ON_STARTUP")


class ServerStartError(RuntimeError):
    pass


@dataclass
class LablogServer:
    url: str
    process: subprocess.Popen
    log_path: Path

    def log_tail(self, lines: int = 40) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""


def lablog_binary() -> Path:
    configured = os.environ.get("LABLOG_BINARY")
    binary = Path(configured) if configured else REPO_ROOT / ".build" / "debug" / "lablog"
    if not os.access(binary, os.X_OK):
        raise ServerStartError(f"no lablog binary at {binary}: build it (swift build) or point LABLOG_BINARY at one")
    return binary


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database(workdir: Path) -> str:
    """The server's database: a file in its folder, or with ``LABLOG_BROWSER_BACKEND=postgres`` a fresh schema of
    the PostgreSQL database that ``LABLOG_TEST_POSTGRES_URL`` names."""
    backend = os.environ.get("LABLOG_BROWSER_BACKEND", "sqlite")
    if backend == "sqlite":
        return str(workdir / "lablog.db")
    url = os.environ.get("LABLOG_TEST_POSTGRES_URL")
    if backend != "postgres" or not url:
        raise RuntimeError("LABLOG_BROWSER_BACKEND must be sqlite, or postgres with LABLOG_TEST_POSTGRES_URL set")
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}schema=browser_{uuid.uuid4().hex}"


@contextlib.contextmanager
def running_lablog(
    workdir: Path, startup_timeout: float = 60, settings: dict[str, str] | None = None
) -> Iterator[LablogServer]:
    """Starts lablog with its database and artifacts in ``workdir``, yields it once healthy, stops it.

    ``settings`` are environment variables for the server (for example ``MAX_RUNS_PER_EXPERIMENT``).
    """
    artifacts_dir = workdir / "artifacts"
    artifacts_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    # fmt: off
    command = [
        str(lablog_binary()), "serve",
        "--host", "127.0.0.1",
        "--port", str(port),
        "--database", _database(workdir),
        "--artifacts-dir", str(artifacts_dir),
    ]
    # fmt: on
    environment = {name: value for name, value in os.environ.items() if name not in SETTINGS_TO_CLEAR}
    environment.update(settings or {})
    log_path = workdir / "lablog-server.log"
    with open(log_path, "wb") as log:
        # The server runs in its own folder so that no .env file of the checkout changes its settings.
        process = subprocess.Popen(
            command,
            cwd=workdir,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = LablogServer(f"http://127.0.0.1:{port}", process, log_path)
    try:
        _wait_until_healthy(server, startup_timeout)
        yield server
    finally:
        _stop(server)


def _wait_until_healthy(server: LablogServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise ServerStartError(f"lablog exited with status {server.process.returncode}:\n{server.log_tail()}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(server.url + "/api/health", timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    raise ServerStartError(f"lablog did not answer /api/health within {timeout:.0f} s:\n{server.log_tail()}")


def _stop(server: LablogServer, grace_seconds: float = 20) -> None:
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
