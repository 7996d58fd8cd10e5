"""Headless Chromium through Selenium: starting it, sizing the viewport, reading its console, screenshots."""

from __future__ import annotations

import base64
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver

# The zone the browser runs in: far enough from UTC that a localised time never reads like the server's UTC text.
BROWSER_TIME_ZONE = "America/New_York"
# Screenshots are taken at every width; 360 px is the narrowest width pages must work at.
WIDTHS = {"desktop": (1280, 900), "phone": (375, 812), "narrow": (360, 740)}
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / ".build" / "screenshots"
# The tallest full-page screenshot taken; longer pages are cut there.
MAX_SCREENSHOT_HEIGHT = 5000


def _executable(variable: str, *candidates: str) -> str:
    configured = os.environ.get(variable)
    if configured:
        return configured
    for candidate in candidates:
        found = shutil.which(candidate)
        if found:
            return found
    raise RuntimeError(f"none of {', '.join(candidates)} is on PATH: install Debian's chromium and chromium-driver")


def start_chromium() -> WebDriver:
    """Headless Chromium that runs as root in a container, offline, in ``BROWSER_TIME_ZONE``."""
    options = webdriver.ChromeOptions()
    options.binary_location = _executable("LABLOG_CHROMIUM", "chromium", "chromium-browser")
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        # Phones draw overlay scrollbars: a classic one would take 15 px of the 375 px layout width.
        "--hide-scrollbars",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--lang=en-US",
        "--window-size=1280,900",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # Naming the driver keeps Selenium Manager from looking for (and downloading) one.
    service = Service(
        executable_path=_executable("LABLOG_CHROMEDRIVER", "chromedriver"),
        env={**os.environ, "TZ": BROWSER_TIME_ZONE},
    )
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    return driver


def set_viewport(driver: WebDriver, width: int, height: int) -> None:
    """An exact viewport of this size. Desktop emulation, not mobile: a mobile viewport zooms out to fit wide
    content, which would hide exactly the horizontal overflow the tests look for."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )


def drain_console(driver: WebDriver) -> list[dict]:
    """The browser console entries since the last call."""
    return driver.get_log("browser")


def console_errors(entries: list[dict]) -> list[str]:
    """Errors among console entries: script errors, failed requests, `console.error` calls.

    The browser's own request for /favicon.ico is not made by a page, so its 404 is not counted.
    """
    return [
        entry["message"] for entry in entries if entry["level"] == "SEVERE" and "/favicon.ico" not in entry["message"]
    ]


def horizontal_overflow(driver: WebDriver) -> dict | None:
    """None when the page itself does not scroll sideways, else its widths and the widest offending elements."""
    return driver.execute_script(
        """
        const root = document.documentElement;
        if (root.scrollWidth <= root.clientWidth && root.scrollWidth <= window.innerWidth) return null;
        const offenders = [];
        for (const element of document.body.querySelectorAll("*")) {
          const box = element.getBoundingClientRect();
          if (box.right > root.clientWidth + 1 && box.width > 0) {
            const label = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") +
              (element.className && typeof element.className === "string"
                ? "." + element.className.trim().split(/\\s+/).join(".") : "");
            offenders.push(label + " right=" + Math.round(box.right));
          }
        }
        return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
                innerWidth: window.innerWidth, offenders: offenders.slice(0, 12)};
        """
    )


def save_screenshot(driver: WebDriver, name: str) -> Path:
    """A full-page PNG (up to ``MAX_SCREENSHOT_HEIGHT`` px tall) at ``.build/screenshots/<name>.png``."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    width, height = driver.execute_script(
        "return [document.documentElement.clientWidth,"
        " Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0)]"
    )
    clip = {"x": 0, "y": 0, "width": width, "height": min(height, MAX_SCREENSHOT_HEIGHT), "scale": 1}
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
    )
    path = SCREENSHOT_DIR / f"{name}.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


def wait_until(condition: Callable[[], object], timeout: float = 10, interval: float = 0.1, message: str = ""):
    """Polls ``condition`` until it returns something truthy and returns that; fails after ``timeout`` seconds.

    WebDriver errors (an element replaced while it was read) count as "not yet".
    """
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while True:
        try:
            result = condition()
            if result:
                return result
        except WebDriverException as error:
            last_error = error
        if time.monotonic() >= deadline:
            detail = f" (last error: {last_error.msg})" if last_error else ""
            raise AssertionError(f"timed out after {timeout} s waiting for {message or condition}{detail}")
        time.sleep(interval)
