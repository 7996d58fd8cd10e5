/// The common script: small enhancements of what the HTML already shows. Pages work without it.
enum AppScript {
    static let source = """
        "use strict";
        // Shows every <time datetime> in the viewer's own time zone; the server writes UTC.
        function lablogLocalTimes(root) {
          const format = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
          for (const element of root.querySelectorAll("time[datetime]")) {
            const date = new Date(element.getAttribute("datetime"));
            if (!isNaN(date)) { element.textContent = format.format(date); element.title = date.toISOString(); }
          }
        }
        document.addEventListener("DOMContentLoaded", () => lablogLocalTimes(document));
        """
}
