"""The run page in a real browser: the long-history chart keeps its spike, zooms by dragging and resets; a
RUNNING run's values update without a reload and stop updating when it ends; artifacts preview inline."""

from __future__ import annotations

import time

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from browser import wait_until
from seed import LONG_HISTORY_POINTS, SPIKE_STEP, SPIKE_VALUE, Api, Seeded

LONG_METRIC = "train/loss"


def chart_svg(page, key: str):
    return page.driver.find_element(By.CSS_SELECTOR, f'figure[data-chart-key="{key}"] svg.chart')


def chart_domain(page, key: str) -> dict:
    svg = chart_svg(page, key)
    return {name: float(svg.get_attribute(f"data-{name}")) for name in ("x0", "x1", "y0", "y1")}


def drag_across(page, key: str, start_fraction: float, end_fraction: float) -> None:
    """Drags the mouse across the plot area of a chart, from and to these fractions of its width."""
    svg = chart_svg(page, key)
    page.script("arguments[0].scrollIntoView({block: 'center'})", svg)
    box = page.script("const r = arguments[0].getBoundingClientRect(); return [r.width, r.height];", svg)
    # Selenium lower-cases attribute names it reads, which misses SVG's camel-cased viewBox.
    view_width = float(page.script("return arguments[0].getAttribute('viewBox')", svg).split()[2])
    left, top, width, height = (float(part) for part in svg.get_attribute("data-plot").split(","))
    scale = box[0] / view_width
    # Offsets are from the element's centre.
    start_x = (left + width * start_fraction) * scale - box[0] / 2
    end_x = (left + width * end_fraction) * scale - box[0] / 2
    middle_y = (top + height / 2) * scale - box[1] / 2
    actions = ActionChains(page.driver, duration=50)
    actions.move_to_element_with_offset(svg, int(start_x), int(middle_y)).click_and_hold()
    steps = 8
    for _ in range(steps):
        actions.move_by_offset(int((end_x - start_x) / steps), 0)
    actions.release().perform()


def test_long_history_chart_keeps_the_spike(page, seeded: Seeded) -> None:
    page.open(f"/runs/{seeded.long_run_id}")
    domain = chart_domain(page, LONG_METRIC)
    assert domain["x0"] <= 0 and domain["x1"] >= LONG_HISTORY_POINTS - 1
    assert domain["y1"] >= SPIKE_VALUE, f"the spike of {SPIKE_VALUE} at step {SPIKE_STEP} is lost: {domain}"
    assert page.errors() == []


def test_chart_zooms_by_dragging_and_resets(page, seeded: Seeded) -> None:
    page.open(f"/runs/{seeded.long_run_id}")
    before = chart_domain(page, LONG_METRIC)
    span = before["x1"] - before["x0"]

    drag_across(page, LONG_METRIC, 0.5, 0.75)

    zoomed = wait_until(
        lambda: (domain := chart_domain(page, LONG_METRIC))["x0"] != before["x0"] and domain,
        message="the chart to redraw for the selected range",
    )
    assert chart_svg(page, LONG_METRIC).get_attribute("data-zoomed") == "true"
    assert before["x0"] + 0.4 * span < zoomed["x0"] < before["x0"] + 0.6 * span
    assert before["x0"] + 0.65 * span < zoomed["x1"] < before["x0"] + 0.85 * span
    # The range holds the spike, so the zoomed chart, recomputed on the server, must still show it.
    assert zoomed["x0"] <= SPIKE_STEP <= zoomed["x1"]
    assert zoomed["y1"] >= SPIKE_VALUE

    figure = page.driver.find_element(By.CSS_SELECTOR, f'figure[data-chart-key="{LONG_METRIC}"]')
    reset = figure.find_element(By.XPATH, ".//button[contains(translate(., 'RESET', 'reset'), 'reset')]")
    reset.click()
    wait_until(
        lambda: (
            chart_domain(page, LONG_METRIC)["x0"] == before["x0"]
            and chart_domain(page, LONG_METRIC)["x1"] == before["x1"]
        ),
        message="the chart to return to the whole range",
    )
    assert chart_svg(page, LONG_METRIC).get_attribute("data-zoomed") is None
    assert page.errors() == []


def test_hovering_a_chart_reads_out_exact_values(page, seeded: Seeded) -> None:
    page.open(f"/runs/{seeded.long_run_id}")
    svg = chart_svg(page, LONG_METRIC)
    page.script("arguments[0].scrollIntoView({block: 'center'})", svg)
    ActionChains(page.driver).move_to_element(svg).move_by_offset(5, 0).perform()
    figure = page.driver.find_element(By.CSS_SELECTOR, f'figure[data-chart-key="{LONG_METRIC}"]')
    readout = wait_until(
        lambda: (text := figure.find_element(By.CSS_SELECTOR, ".chart-readout").text.strip()) and text,
        message="the hover read-out",
    )
    assert readout.startswith(f"{LONG_METRIC} @ "), readout
    assert "mean" in readout
    assert page.errors() == []


def test_running_run_updates_live_and_stops_when_it_ends(page, api: Api) -> None:
    experiment_id = api.create_experiment("live-updates", "Runs the live-update test writes to.")
    now_ms = int(time.time() * 1000)
    run_id = api.create_run(
        experiment_id,
        name="live-run",
        status="RUNNING",
        start_time=now_ms - 60_000,
        metrics=[{"key": "loss", "value": 1.0 - step / 20, "step": step, "timestamp": now_ms} for step in range(5)],
    )
    page.open(f"/runs/{run_id}")
    live = page.driver.find_element(By.ID, "run-live")
    live_path = live.get_attribute("data-live-url")
    interval_seconds = int(live.get_attribute("data-interval")) / 1000
    status = page.driver.find_element(By.CSS_SELECTOR, "[data-run-status]")
    assert status.text == "RUNNING"
    page.script("window.lablogNotReloaded = true")

    api.log_points(run_id, [{"key": "loss", "value": 0.4242, "step": 99}])

    value_cell = '#latest-metrics tr[data-metric-key="loss"] td[data-field="{}"]'
    wait_until(
        lambda: page.driver.find_element(By.CSS_SELECTOR, value_cell.format("value")).text == "0.4242",
        timeout=interval_seconds * 3,
        message="the new loss value to appear",
    )
    assert page.driver.find_element(By.CSS_SELECTOR, value_cell.format("step")).text == "99"
    wait_until(lambda: chart_domain(page, "loss")["x1"] >= 99, message="the loss chart to include step 99")
    assert page.script("return window.lablogNotReloaded === true"), "the page reloaded instead of updating"

    api.update_run(run_id, status="FINISHED", end_time=int(time.time() * 1000))
    wait_until(
        lambda: page.driver.find_element(By.CSS_SELECTOR, "[data-run-status]").text == "FINISHED",
        timeout=interval_seconds * 3,
        message="the status badge to show FINISHED",
    )
    assert page.script("return window.lablogNotReloaded === true"), "the page reloaded instead of updating"

    # Every request the page made about this run since it loaded: live data and redrawn charts.
    polls = "return performance.getEntriesByType('resource').filter(e => e.name.includes(arguments[0])).length"
    # The last refresh, which saw the run end, may still be redrawing its charts: let those requests finish.
    settled = [page.script(polls, run_id)]
    while len(settled) < 2 or settled[-1] != settled[-2]:
        assert len(settled) < 10, f"requests about the run keep coming: {settled}"
        time.sleep(1)
        settled.append(page.script(polls, run_id))
    count = settled[-1]
    assert count >= 2 and page.script(polls, live_path) >= 2
    time.sleep(interval_seconds * 1.5)
    assert page.script(polls, run_id) == count, "the page still polls after the run ended"
    assert page.errors() == []


def test_artifacts_preview_inline(page, seeded: Seeded) -> None:
    run = f"/runs/{seeded.long_run_id}"
    page.open(run)
    listing = page.driver.find_element(By.CSS_SELECTOR, "table.artifacts").text
    for name in ("notes.txt", "config.json", "eval/", "plots/"):
        assert name in listing

    page.open(f"{run}?path=plots/attention.png")
    image = page.driver.find_element(By.CSS_SELECTOR, ".artifact-preview img")
    wait_until(lambda: page.script("return arguments[0].complete", image), message="the image to load")
    assert page.script("return [arguments[0].naturalWidth, arguments[0].naturalHeight]", image) == [96, 64]

    page.open(f"{run}?path=eval/predictions.csv")
    preview = page.driver.find_element(By.CSS_SELECTOR, ".artifact-preview")
    headers = [cell.text for cell in preview.find_elements(By.CSS_SELECTOR, "thead th")]
    assert headers == ["index", "label", "score"]
    assert len(preview.find_elements(By.CSS_SELECTOR, "tbody tr")) == 40

    page.open(f"{run}?path=config.json")
    text = page.driver.find_element(By.CSS_SELECTOR, ".artifact-preview pre").text
    assert '"layers"' in text and "\n" in text, "JSON is not shown pretty-printed"

    page.open(f"{run}?path=notes.txt")
    assert "corrupt shard" in page.driver.find_element(By.CSS_SELECTOR, ".artifact-preview pre").text
    assert page.errors() == []
