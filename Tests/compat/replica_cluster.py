"""Several Lablog servers on one PostgreSQL database, a load balancer in front of them, and control of the database.

``running_replicas`` starts ``lablog serve`` processes (LABLOG_BINARY) on one fresh schema of the database that
LABLOG_TEST_POSTGRES_URL names, all at once so that they also race to migrate it. ``running_balancer`` puts
Debian's nginx in front of them as a round-robin proxy on a free port, run by the current user with its
configuration and temporary files in a folder of its own; every answer names the server behind it in the
``X-Lablog-Upstream`` header. ``PostgresServer`` stops and starts the PostgreSQL server of a cluster made by
``scripts/postgres-env`` (LABLOG_TEST_POSTGRES_DIR), with the options it was started with.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import requests

from servers import (
    LABLOG_SETTINGS_TO_CLEAR,
    QUIET_ENVIRONMENT,
    ServerStartError,
    TrackingServer,
    free_port,
    lablog_binary,
    stop,
)

UPSTREAM_HEADER = "X-Lablog-Upstream"


def fresh_schema_url(base_url: str, prefix: str = "replicas") -> str:
    """The database URL with a schema no other server uses."""
    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}schema={prefix}_{uuid.uuid4().hex}"


def _wait_until_healthy(servers: list[TrackingServer], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    waiting = list(servers)
    while waiting and time.monotonic() < deadline:
        for server in list(waiting):
            if server.process.poll() is not None:
                raise ServerStartError(
                    f"lablog serve exited with status {server.process.returncode} before it answered "
                    f"/api/health:\n{server.log_tail()}"
                )
            with contextlib.suppress(requests.RequestException):
                if requests.get(server.url + "/api/health", timeout=2).status_code == 200:
                    waiting.remove(server)
        time.sleep(0.1)
    if waiting:
        raise ServerStartError(
            f"lablog serve did not answer /api/health within {timeout:.0f} s:\n{waiting[0].log_tail()}"
        )


@contextlib.contextmanager
def running_replicas(
    database_url: str, workdir: Path, count: int = 2, settings: dict[str, str] | None = None, timeout: float = 120
) -> Iterator[list[TrackingServer]]:
    """Starts ``count`` Lablog servers on one database at once, yields them once all are healthy, stops them."""
    environment = {**os.environ, **QUIET_ENVIRONMENT}
    for name in LABLOG_SETTINGS_TO_CLEAR:
        environment.pop(name, None)
    environment.update(settings or {})
    servers: list[TrackingServer] = []
    try:
        for index in range(count):
            folder = workdir / f"replica-{index}"
            artifacts = folder / "artifacts"
            artifacts.mkdir(parents=True, exist_ok=True)
            port = free_port()
            log_path = folder / "lablog-server.log"
            # fmt: off
            command = [
                str(lablog_binary()), "serve",
                "--host", "127.0.0.1", "--port", str(port),
                "--database", database_url,
                "--artifacts-dir", str(artifacts),
            ]
            # fmt: on
            with open(log_path, "wb") as log:
                process = subprocess.Popen(
                    command,
                    cwd=folder,
                    env=environment,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            servers.append(TrackingServer("lablog", f"http://127.0.0.1:{port}", process, folder, artifacts, log_path))
        _wait_until_healthy(servers, timeout)
        yield servers
    finally:
        for server in servers:
            stop(server)


# ---------------------------------------------------------------------------------------------------------------
# The load balancer


def nginx_executable() -> tuple[str | None, str]:
    """The nginx binary, installing Debian's nginx-light through apt-get when it is missing; or None and why."""
    found = shutil.which("nginx") or next((path for path in ("/usr/sbin/nginx",) if os.access(path, os.X_OK)), None)
    if found:
        return found, ""
    prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
    if prefix and not shutil.which("sudo"):
        return None, "nginx is not installed and neither root nor sudo is available to install it"
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "nginx-light"]):
            subprocess.run(prefix + command, env=environment, check=True, capture_output=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as error:
        return None, f"nginx is not installed and apt-get could not install it: {error}"
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    return (found, "") if found else (None, "apt-get installed nginx-light but no nginx binary appeared")


@dataclass
class Balancer:
    """A round-robin proxy in front of the replicas (nginx), or, without nginx, a note of why there is none."""

    url: str | None
    reason: str
    process: subprocess.Popen | None = None
    folder: Path | None = None

    def log_tail(self, lines: int = 20) -> str:
        if self.folder is None:
            return ""
        with contextlib.suppress(OSError):
            return "\n".join((self.folder / "error.log").read_text(errors="replace").splitlines()[-lines:])
        return ""


def _nginx_configuration(folder: Path, port: int, upstreams: list[str]) -> str:
    servers = "\n".join(f"        server {address} max_fails=0;" for address in upstreams)
    # When the current user is root, nginx would hand its workers to `nobody`, who may not write the temporary
    # folders here; the workers stay with the current user instead.
    user = "user root;" if os.geteuid() == 0 else ""
    temporary = "\n".join(
        f"    {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""
{user}
worker_processes 1;
daemon off;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
{temporary}
    client_max_body_size 0;
    upstream lablog {{
{servers}
        keepalive 64;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://lablog;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_buffering off;
            proxy_request_buffering off;
            proxy_read_timeout 300s;
            # A write must reach exactly one replica: never resend a request to the other one.
            proxy_next_upstream off;
            add_header {UPSTREAM_HEADER} $upstream_addr always;
        }}
    }}
}}
"""


@contextlib.contextmanager
def running_balancer(upstream_urls: list[str], folder: Path, timeout: float = 30) -> Iterator[Balancer]:
    """Runs nginx as a round-robin proxy in front of ``upstream_urls``; yields a Balancer without a URL if it can't."""
    executable, reason = nginx_executable()
    if executable is None:
        yield Balancer(None, reason)
        return
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    upstreams = [url.removeprefix("http://") for url in upstream_urls]
    configuration = folder / "nginx.conf"
    configuration.write_text(_nginx_configuration(folder, port, upstreams))
    # -e keeps nginx from opening the system's error log before it reads the configuration.
    command = [executable, "-p", str(folder), "-c", str(configuration), "-e", str(folder / "error.log")]
    with open(folder / "stdout.log", "wb") as log:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    balancer = Balancer(f"http://127.0.0.1:{port}", "", process, folder)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                output = (folder / "stdout.log").read_text(errors="replace")
                balancer = Balancer(None, f"nginx exited at start: {output.strip()} {balancer.log_tail()}".strip())
                yield balancer
                return
            with contextlib.suppress(requests.RequestException):
                if requests.get(balancer.url + "/api/health", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise ServerStartError(f"nginx did not answer within {timeout:.0f} s:\n{balancer.log_tail()}")
            time.sleep(0.1)
        yield balancer
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# ---------------------------------------------------------------------------------------------------------------
# The PostgreSQL server


class PostgresServer:
    """Stops and starts the server of a cluster that scripts/postgres-env made, as the user that owns it."""

    def __init__(self, cluster_dir: Path):
        self.data = cluster_dir / "data"
        if not (self.data / "PG_VERSION").is_file():
            raise FileNotFoundError(f"{cluster_dir} holds no PostgreSQL cluster")
        self.pg_ctl = self._pg_ctl()
        owner = self.data.owner()
        self.prefix = [] if owner == _current_user() else ["runuser", "-u", owner, "--"]

    @staticmethod
    def _pg_ctl() -> str:
        candidates = sorted(
            Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda path: int(path.parts[-3].split(".")[0])
        )
        if candidates:
            return str(candidates[-1])
        found = shutil.which("pg_ctl")
        if not found:
            raise FileNotFoundError("no pg_ctl found")
        return found

    def _options(self) -> str:
        """The options the running server was started with (port, sockets, settings), from postmaster.opts."""
        words = shlex.split((self.data / "postmaster.opts").read_text())[1:]
        options = []
        index = 0
        while index < len(words):
            if words[index] == "-D":
                index += 2
                continue
            options.append(words[index])
            index += 1
        return shlex.join(options)

    def _pg_ctl_command(self, *arguments: str) -> None:
        command = [*self.prefix, self.pg_ctl, f"--pgdata={self.data}", *arguments]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def stop(self) -> str:
        """Stops the server at once (connections are cut); returns the options to start it again with."""
        options = self._options()
        self._pg_ctl_command("--mode=fast", "--wait", "stop")
        return options

    def start(self, options: str) -> None:
        log = f"--log={self.data.parent / 'server.log'}"
        self._pg_ctl_command(log, "--wait", "--timeout=60", f"--options={options}", "start")

    def is_running(self) -> bool:
        command = [*self.prefix, self.pg_ctl, f"--pgdata={self.data}", "status"]
        return subprocess.run(command, capture_output=True, timeout=60).returncode == 0


def _current_user() -> str:
    return pwd.getpwuid(os.geteuid()).pw_name
