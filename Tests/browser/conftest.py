"""Fixtures of the browser suite.

One ``lablog`` server per session (the binary named by LABLOG_BINARY, default .build/debug/lablog) on a free
loopback port with a temporary database and artifacts folder, filled once with realistic data through the
native and MLflow APIs, and one headless Chromium that every test drives. Tests that change data work in
experiments or runs of their own, so they do not depend on each other or on their order.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
import requests
from selenium.webdriver.remote.webdriver import WebDriver

from browser import WIDTHS, console_errors, drain_console, set_viewport, start_chromium, wait_until
from lablog_server import LablogServer, ServerStartError, running_lablog
from seed import Api, Seeded, seed


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[LablogServer]:
    with contextlib.ExitStack() as stack:
        try:
            started = stack.enter_context(running_lablog(tmp_path_factory.mktemp("lablog")))
        except ServerStartError as error:
            pytest.exit(f"could not start lablog: {error}", returncode=3)
        yield started


@pytest.fixture(scope="session")
def base_url(server: LablogServer) -> str:
    return server.url


@pytest.fixture(scope="session")
def seeded(base_url: str) -> Seeded:
    return seed(base_url)


@pytest.fixture(scope="session")
def api(base_url: str) -> Api:
    return Api(base_url)


@pytest.fixture(scope="session")
def chromium() -> Iterator[WebDriver]:
    driver = start_chromium()
    yield driver
    driver.quit()


class Page:
    """The browser, pointed at the server under test, with the console checked per page load."""

    def __init__(self, driver: WebDriver, base_url: str) -> None:
        self.driver = driver
        self.base_url = base_url

    def open(self, path: str, viewport: str = "desktop") -> None:
        """Loads ``path`` at the viewport named in ``WIDTHS`` and waits for the load event."""
        set_viewport(self.driver, *WIDTHS[viewport])
        drain_console(self.driver)
        self.driver.get(self.base_url + path)
        wait_until(
            lambda: self.driver.execute_script("return document.readyState") == "complete",
            message=f"{path} to load",
        )

    def errors(self) -> list[str]:
        """Console errors since the last page load or the last call."""
        return console_errors(drain_console(self.driver))

    def status(self, path: str) -> int:
        """The HTTP status of ``path`` (WebDriver cannot see it), for clearer failures when a page is missing."""
        return requests.get(self.base_url + path, timeout=30).status_code

    def script(self, source: str, *arguments):
        return self.driver.execute_script(source, *arguments)


@pytest.fixture
def page(chromium: WebDriver, base_url: str, seeded: Seeded) -> Iterator[Page]:
    """The shared browser; tests check its console themselves (``Page.errors``) after what they do."""
    drain_console(chromium)
    yield Page(chromium, base_url)
