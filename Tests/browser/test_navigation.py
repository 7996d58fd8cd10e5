"""Keyboard use and local times: links are reachable with Tab and followed with Enter, and `<time>` elements show
the viewer's time zone (the browser runs in America/New_York) instead of the server's UTC text."""

from __future__ import annotations

import html
import re
from datetime import datetime
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import requests
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from browser import BROWSER_TIME_ZONE, wait_until
from seed import Seeded

MAX_TABS = 80


def test_tab_to_an_experiment_link_and_press_enter(page, seeded: Seeded) -> None:
    page.open("/experiments")
    target = f"/experiments/{seeded.sweep_experiment_id}"
    # Start from the top of the document, as after loading it; keys go to whatever has the focus.
    page.script("if (document.activeElement) document.activeElement.blur()")
    focused_path = "const a = document.activeElement; return a && a.href ? new URL(a.href).pathname : null;"
    for _ in range(MAX_TABS):
        ActionChains(page.driver).send_keys(Keys.TAB).perform()
        if page.script(focused_path) == target:
            break
    else:
        raise AssertionError(f"no link to {target} within {MAX_TABS} presses of Tab")
    # The focused link shows a visible focus indicator.
    outline = page.script(
        "const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth, s.boxShadow, s.textDecorationLine];"
    )
    assert outline[0] != "none" or outline[2] != "none", f"the focused link has no focus indicator: {outline}"

    ActionChains(page.driver).send_keys(Keys.ENTER).perform()
    wait_until(lambda: urlparse(page.driver.current_url).path == target, message=f"Enter to open {target}")
    assert page.errors() == []


def test_times_show_in_the_viewers_time_zone(page, seeded: Seeded) -> None:
    path = f"/runs/{seeded.long_run_id}"
    served = requests.get(page.base_url + path, timeout=30).text
    server_texts = {
        stamp: html.unescape(text) for stamp, text in re.findall(r'<time datetime="([^"]+)">([^<]*)</time>', served)
    }
    assert server_texts, f"{path} has no <time datetime> elements"

    page.open(path)
    elements = page.driver.find_elements(By.CSS_SELECTOR, "time[datetime]")
    assert elements
    zone = ZoneInfo(BROWSER_TIME_ZONE)
    for element in elements:
        stamp = element.get_attribute("datetime")
        shown = element.text
        assert shown != server_texts[stamp], f"<time datetime={stamp}> still shows the server's text {shown!r}"
        local = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(zone)
        clock = f"{local.hour % 12 or 12}:{local.minute:02d}:{local.second:02d}"
        assert clock in shown, f"{shown!r} is not {stamp} in {BROWSER_TIME_ZONE} ({clock})"
        assert "UTC" not in shown
    assert page.errors() == []
