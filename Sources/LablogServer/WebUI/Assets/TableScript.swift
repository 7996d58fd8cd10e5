/// `table.js`: enhancements of the runs table and the compare page. Without it every control still works:
/// checkboxes are submitted by their forms and "differences only" is a GET switch.
enum TableScript {
    static let asset = Asset(name: "table.js", contentType: "text/javascript; charset=utf-8", body: source)

    static let source = """
        "use strict";
        // Select-all and a live count of the selected runs.
        function lablogRunSelection(form) {
          const boxes = () => Array.from(form.querySelectorAll('input[type=checkbox][name=runs]'));
          const all = form.querySelector("[data-select-all]");
          const count = form.querySelector("[data-selection-count]");
          const update = () => {
            const selected = boxes().filter((box) => box.checked).length;
            if (count) { count.textContent = selected === 1 ? "1 run selected" : selected + " runs selected"; }
            if (all) {
              all.checked = selected > 0 && selected === boxes().length;
              all.indeterminate = selected > 0 && selected < boxes().length;
            }
          };
          if (all) {
            all.hidden = false;
            all.addEventListener("change", () => {
              for (const box of boxes()) { box.checked = all.checked; }
              update();
            });
          }
          form.addEventListener("change", (event) => {
            if (event.target.name === "runs") { update(); }
          });
          update();
        }
        // "Differences only" without a reload: rows whose values are all equal carry class "same".
        function lablogDiffToggle(toggle) {
          const table = document.getElementById(toggle.getAttribute("data-diff-toggle"));
          if (!table) { return; }
          const apply = () => {
            for (const row of table.querySelectorAll("tr.same")) { row.hidden = toggle.checked; }
            const url = new URL(window.location.href);
            if (toggle.checked) { url.searchParams.set("diff", "1"); } else { url.searchParams.delete("diff"); }
            window.history.replaceState(null, "", url);
          };
          toggle.addEventListener("change", apply);
          const submit = toggle.form && toggle.form.querySelector("[data-diff-submit]");
          if (submit) { submit.hidden = true; }
        }
        document.addEventListener("DOMContentLoaded", () => {
          for (const form of document.querySelectorAll("[data-run-selection]")) { lablogRunSelection(form); }
          for (const toggle of document.querySelectorAll("[data-diff-toggle]")) { lablogDiffToggle(toggle); }
        });
        """
}
