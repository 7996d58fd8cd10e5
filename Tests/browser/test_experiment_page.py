"""The experiment page in a real browser: the filter box (results and inline errors), selecting runs and opening
the compare view."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from browser import save_screenshot, wait_until
from seed import SWEEP_RUNS, Seeded

RUN_LINKS = "table.runs tbody th[scope=row] a"


def shown_run_names(page) -> list[str]:
    return [link.text for link in page.driver.find_elements(By.CSS_SELECTOR, RUN_LINKS)]


def apply_filter(page, text: str) -> None:
    box = page.driver.find_element(By.ID, "run-filter")
    box.clear()
    box.send_keys(text)
    before = page.driver.current_url
    box.send_keys(Keys.ENTER)
    wait_until(lambda: page.driver.current_url != before, message="the filter form to submit")
    wait_until(lambda: page.script("return document.readyState") == "complete", message="the filtered page")


def test_valid_filter_narrows_the_table(page, seeded: Seeded) -> None:
    page.open(f"/experiments/{seeded.sweep_experiment_id}")
    unfiltered = shown_run_names(page)
    assert len(unfiltered) > len(seeded.candidate_run_names), "the unfiltered table shows too few runs"
    assert str(SWEEP_RUNS) in page.driver.find_element(By.ID, "run-summary").text

    apply_filter(page, "tags.stage = 'candidate'")

    assert parse_qs(urlparse(page.driver.current_url).query)["filter"] == ["tags.stage = 'candidate'"]
    assert sorted(shown_run_names(page)) == sorted(seeded.candidate_run_names)
    assert page.driver.find_element(By.ID, "run-filter").get_attribute("value") == "tags.stage = 'candidate'"
    assert not page.driver.find_elements(By.ID, "filter-error")
    assert page.errors() == []


def test_invalid_filter_shows_the_error_at_its_position(page, seeded: Seeded) -> None:
    page.open(f"/experiments/{seeded.sweep_experiment_id}")
    text = "metrics.accuracy >> 0.5"
    position = text.index(">>")

    apply_filter(page, text)
    save_screenshot(page.driver, "experiment-filter-error-1280")

    error = page.driver.find_element(By.ID, "filter-error")
    assert error.is_displayed()
    assert f"position {position}" in error.text
    assert "'>>'" in error.text
    # The caret line points at the offending characters under the echoed input.
    caret_block = error.find_element(By.CSS_SELECTOR, "pre").text.split("\n")
    assert caret_block[0] == text
    assert caret_block[1].index("^") == position
    box = page.driver.find_element(By.ID, "run-filter")
    assert box.get_attribute("value") == text, "the invalid filter must stay in the box to be corrected"
    assert box.get_attribute("aria-invalid") == "true"
    assert page.errors() == []


def test_selected_runs_open_in_the_compare_view(page, seeded: Seeded) -> None:
    experiment = seeded.sweep_experiment_id
    page.open(f"/experiments/{experiment}")
    rows = page.driver.find_elements(By.CSS_SELECTOR, "table.runs tbody tr")[:6]
    chosen = {}
    for row in rows:
        box = row.find_element(By.CSS_SELECTOR, "input[type=checkbox][name=runs]")
        box.click()
        chosen[box.get_attribute("value")] = row.find_element(By.CSS_SELECTOR, "th[scope=row]").text
    assert len(chosen) == 6
    count = page.driver.find_element(By.CSS_SELECTOR, "[data-selection-count]")
    wait_until(lambda: count.text == "6 runs selected", message="the selection count")

    page.driver.find_element(By.XPATH, "//button[normalize-space()='Compare selected']").click()
    wait_until(
        lambda: urlparse(page.driver.current_url).path == f"/experiments/{experiment}/compare",
        message="the compare page",
    )
    wait_until(lambda: page.script("return document.readyState") == "complete", message="the compare page to load")

    main_text = page.driver.find_element(By.TAG_NAME, "main").text
    for name in chosen.values():
        assert name in main_text, f"the compare page does not show {name}"
    assert page.errors() == []


def test_pages_through_the_runs_and_sorts_by_a_column(page, seeded: Seeded) -> None:
    page.open(f"/experiments/{seeded.sweep_experiment_id}")
    first_page = shown_run_names(page)
    page.driver.find_element(By.CSS_SELECTOR, "nav.pager a[rel=next]").click()
    wait_until(lambda: shown_run_names(page) and shown_run_names(page)[0] != first_page[0], message="the next page")
    second_page = shown_run_names(page)
    assert len(second_page) == len(first_page)
    assert not set(first_page) & set(second_page), "the next page repeats runs"
    assert page.driver.find_elements(By.CSS_SELECTOR, "nav.pager a[rel=prev]")

    header = page.driver.find_element(By.XPATH, "//table[contains(@class,'runs')]//th[.//a[normalize-space()='Name']]")
    header.find_element(By.TAG_NAME, "a").click()
    wait_until(
        lambda: (
            page.driver.find_element(
                By.XPATH, "//table[contains(@class,'runs')]//th[.//a[starts-with(normalize-space(), 'Name')]]"
            ).get_attribute("aria-sort")
            in ("ascending", "descending")
        ),
        message="the table to sort by name",
    )
    names = shown_run_names(page)
    assert names in (sorted(names), sorted(names, reverse=True)), f"not sorted by name: {names[:5]}"
    assert page.errors() == []


def test_export_links_honour_the_filter(page, seeded: Seeded) -> None:
    page.open(f"/experiments/{seeded.sweep_experiment_id}")
    apply_filter(page, "tags.stage = 'candidate'")
    for label in ("CSV", "JSON"):
        link = page.driver.find_element(By.XPATH, f"//p[contains(@class,'exports')]/a[normalize-space()='{label}']")
        query = parse_qs(urlparse(link.get_attribute("href")).query)
        assert query.get("filter") == ["tags.stage = 'candidate'"], f"the {label} export ignores the filter"
        exported = page.script(
            "return fetch(arguments[0]).then(response => response.text())", link.get_attribute("href")
        )
        for name in seeded.candidate_run_names:
            assert name in exported, f"the {label} export lacks {name}"
        assert "sweep-001-" not in exported, f"the {label} export holds runs the filter excludes"
    assert page.errors() == []
