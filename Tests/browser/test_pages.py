"""Every page loads at 1280, 375 and 360 px wide without console errors, resources from elsewhere or sideways
scrolling of the page itself, and leaves a full-page screenshot in .build/screenshots/<page>-<width>.png for people
to look at."""

from __future__ import annotations

import time

import pytest

from browser import WIDTHS, horizontal_overflow, save_screenshot
from seed import Seeded


def page_paths(seeded: Seeded) -> dict[str, str]:
    sweep = seeded.sweep_experiment_id
    six = ",".join(seeded.sweep_run_ids[:6])
    across = ",".join([*seeded.sweep_run_ids[:2], seeded.long_run_id, seeded.running_run_id])
    return {
        "home": "/",
        "experiments": "/experiments",
        "experiment": f"/experiments/{sweep}",
        "experiment-nested": f"/experiments/{seeded.nlp_experiment_id}",
        "experiment-empty": f"/experiments/{seeded.empty_experiment_id}",
        "run-long-history": f"/runs/{seeded.long_run_id}",
        "run-running": f"/runs/{seeded.running_run_id}",
        "run-parent": f"/runs/{seeded.parent_run_id}",
        "run-child": f"/runs/{seeded.child_run_ids[0]}",
        "run-artifact-csv": f"/runs/{seeded.long_run_id}?path=eval/predictions.csv",
        "run-artifact-image": f"/runs/{seeded.long_run_id}?path=plots/attention.png",
        "compare": f"/experiments/{sweep}/compare?runs={six}",
        "compare-across": f"/compare?runs={across}",
        "dashboard": "/dashboard",
        "experiments-trash": "/experiments?lifecycle=deleted",
        "experiment-edit": f"/experiments/{sweep}/edit",
        "not-found": "/experiments/999999",
    }


# The most HTML one page may weigh, before compression.
MAX_PAGE_BYTES = 300_000

# Pages that answer with another status than 200 (and render an HTML error page).
EXPECTED_STATUS = {"not-found": 404}


PAGE_NAMES = list(page_paths(Seeded(sweep_run_ids=[""] * 6, child_run_ids=[""])))


@pytest.mark.parametrize("viewport", list(WIDTHS))
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_loads_cleanly(page, seeded: Seeded, name: str, viewport: str) -> None:
    path = page_paths(seeded)[name]
    expected = EXPECTED_STATUS.get(name, 200)
    status = page.status(path)
    assert status == expected, f"GET {path} answered {status}, not {expected}"

    page.open(path, viewport)
    # Scripts that fetch after load (live updates, lazy charts) get a moment to fail loudly.
    time.sleep(0.3)
    shot = save_screenshot(page.driver, f"{name}-{WIDTHS[viewport][0]}")

    errors = page.errors()
    if expected != 200:
        # The browser reports the page's own error status in the console; that one is intended.
        errors = [error for error in errors if not error.startswith(page.base_url + path + " ")]
    assert errors == [], f"console errors on {path}"
    assert page.script("return document.querySelector('main') !== null"), f"{path} has no <main>"
    assert page.script("return document.title").strip(), f"{path} has no title"
    # Complete without internet: the page and everything it loads come from the server itself.
    loaded = page.script("return performance.getEntriesByType('resource').map(entry => entry.name)")
    foreign = [url for url in loaded if not url.startswith(page.base_url + "/") and not url.startswith("data:")]
    assert foreign == [], f"{path} loads resources from elsewhere"
    html_bytes = page.script("return performance.getEntriesByType('navigation')[0].decodedBodySize")
    assert html_bytes < MAX_PAGE_BYTES, f"{path} is {html_bytes} bytes of HTML"
    overflow = horizontal_overflow(page.driver)
    assert overflow is None, f"{path} scrolls sideways at {viewport} width (see {shot.name}): {overflow}"
