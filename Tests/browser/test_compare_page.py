"""The compare page in a real browser: the "differences only" switch and legends that toggle runs."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from browser import wait_until
from seed import Api, Seeded


def compare_path(seeded: Seeded, count: int = 6) -> str:
    return f"/experiments/{seeded.sweep_experiment_id}/compare?runs={','.join(seeded.sweep_run_ids[:count])}"


def param_rows(page) -> dict[str, object]:
    rows = page.driver.find_elements(By.CSS_SELECTOR, "#params-table tbody tr")
    return {row.find_element(By.CSS_SELECTOR, "th").text: row for row in rows}


def test_differences_only_hides_params_equal_across_runs(page, seeded: Seeded) -> None:
    page.open(compare_path(seeded))
    rows = param_rows(page)
    # Every sweep run has the same epochs and data_dir; batch size and learning rate vary.
    equal, differing = ("epochs", "data_dir"), ("batch_size", "lr")
    assert all(rows[name].is_displayed() for name in equal + differing)

    page.driver.find_element(By.CSS_SELECTOR, "[data-diff-toggle]").click()

    wait_until(lambda: not any(rows[name].is_displayed() for name in equal), message="equal params to hide")
    assert all(rows[name].is_displayed() for name in differing)
    assert parse_qs(urlparse(page.driver.current_url).query).get("diff") == ["1"], "the switch is not in the URL"
    assert page.errors() == []


def test_chart_legend_toggles_a_run_by_mouse_and_keyboard(page, seeded: Seeded) -> None:
    page.open(compare_path(seeded))
    figure = page.driver.find_element(By.XPATH, "//figure[figcaption[normalize-space()='accuracy']]")
    page.script("arguments[0].scrollIntoView({block: 'center'})", figure)

    def series_shown() -> bool:
        series = figure.find_element(By.CSS_SELECTOR, 'svg.chart g.series[data-series="0"]')
        return page.script("return getComputedStyle(arguments[0]).display !== 'none'", series)

    legend = figure.find_element(By.CSS_SELECTOR, '.legend-item[data-series="0"]')
    assert series_shown()
    legend.click()
    wait_until(lambda: not series_shown(), message="the first run's line to hide")
    assert legend.get_attribute("aria-pressed") == "false"

    page.script("arguments[0].focus()", legend)
    ActionChains(page.driver).send_keys(Keys.ENTER).perform()
    wait_until(series_shown, message="Enter on the legend entry to show the line again")
    assert legend.get_attribute("aria-pressed") == "true"
    assert page.errors() == []


def test_compare_page_updates_live_while_a_run_is_running(page, api: Api) -> None:
    experiment_id = api.create_experiment("live-compare", "Runs the live compare test writes to.")
    now_ms = int(time.time() * 1000)
    points = [{"key": "loss", "value": 1.0 - step / 20, "step": step, "timestamp": now_ms} for step in range(5)]
    running = api.create_run(experiment_id, name="still-training", status="RUNNING", metrics=points)
    done = api.create_run(experiment_id, name="done", status="FINISHED", metrics=points)
    page.open(f"/experiments/{experiment_id}/compare?runs={running},{done}")
    region = page.driver.find_element(By.ID, "compare-live")
    interval_seconds = int(region.get_attribute("data-live-page")) / 1000
    page.script("window.lablogNotReloaded = true")

    api.log_points(running, [{"key": "loss", "value": 0.4242, "step": 99}])

    def loss_row() -> str:
        rows = page.driver.find_elements(By.CSS_SELECTOR, "#compare-live table.compare tbody tr")
        return next((row.text for row in rows if row.text.startswith("loss")), "")

    wait_until(lambda: "0.4242" in loss_row(), timeout=interval_seconds * 3, message="the new loss value to appear")
    assert page.script("return window.lablogNotReloaded === true"), "the page reloaded instead of updating"

    api.update_run(running, status="FINISHED", end_time=int(time.time() * 1000))
    wait_until(
        lambda: page.driver.find_element(By.ID, "compare-live").get_attribute("data-live-page") is None,
        timeout=interval_seconds * 3,
        message="the refresh to stop once no run is running",
    )
    polls = "return performance.getEntriesByType('resource').filter(e => e.name.includes('/compare?')).length"
    count = page.script(polls)
    time.sleep(interval_seconds * 1.5)
    assert page.script(polls) == count, "the page still refreshes after every run ended"
    assert page.errors() == []
