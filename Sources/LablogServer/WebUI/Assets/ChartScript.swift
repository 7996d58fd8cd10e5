/// The chart script (`charts.js`): hover read-out, zoom by drag selection, reset, legend toggles, charts loaded
/// on demand, and the live refresh of a running run and of the compare page. The page shows everything without
/// it; it only enhances.
enum ChartScript {
    /// The script as a fingerprinted asset.
    static let asset = Asset(name: "charts.js", contentType: "text/javascript; charset=utf-8", body: source)

    static let source = """
        "use strict";
        (() => {
          const svgNS = "http://www.w3.org/2000/svg";
          const format = (v) => {
            if (v === "" || v === undefined) return "–";
            const n = Number(v);
            return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(6)));
          };
          const duration = (ms) => {
            const s = Math.floor(Math.abs(ms) / 1000), sign = ms < 0 ? "-" : "";
            if (s === 0) return sign + Math.abs(ms) + "ms";
            const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
            return sign + (h ? h + "h " + m + "m" : m ? m + "m " + r + "s" : r + "s");
          };
          const xText = (axis, x) => axis === "time" ? new Date(x).toLocaleString()
            : axis === "relative" ? duration(x) : String(Math.round(x));

          function points(group) {
            const text = group.getAttribute("data-points") || "";
            return text === "" ? [] : text.split(";").map((item) => {
              const f = item.split(",");
              return { x0: Number(f[0]), x1: Number(f[1]), min: f[2], max: f[3], mean: f[4], smooth: f[5] };
            });
          }

          function holder(svg) { return svg.closest(".chart-card") || svg.parentElement; }

          function setup(svg) {
            if (svg.dataset.ready) return;
            svg.dataset.ready = "1";
            const card = holder(svg);
            const [left, top, width, height] = svg.dataset.plot.split(",").map(Number);
            const x0 = Number(svg.dataset.x0), x1 = Number(svg.dataset.x1), axis = svg.dataset.axis;
            const series = [...svg.querySelectorAll("g.series")].map((g) => ({ g, points: points(g) }));
            const hidden = new Set((card.dataset.hidden || "").split(",").filter((s) => s !== ""));
            for (const s of series) if (hidden.has(s.g.dataset.series)) s.g.style.display = "none";
            for (const item of svg.querySelectorAll(".legend-item")) {
              const index = item.dataset.series;
              if (hidden.has(index)) { item.setAttribute("aria-pressed", "false"); item.style.opacity = "0.4"; }
              const toggle = () => {
                const off = !hidden.has(index);
                if (off) hidden.add(index); else hidden.delete(index);
                card.dataset.hidden = [...hidden].join(",");
                item.setAttribute("aria-pressed", String(!off));
                item.style.opacity = off ? "0.4" : "1";
                const g = svg.querySelector('g.series[data-series="' + index + '"]');
                if (g) g.style.display = off ? "none" : "";
              };
              item.style.cursor = "pointer";
              item.addEventListener("click", toggle);
              item.addEventListener("keydown", (e) => {
                if (e.key === "Enter" || e.key === " ") { e.preventDefault(); toggle(); }
              });
            }
            let readout = card.querySelector(".chart-readout");
            if (!readout) {
              readout = document.createElement("p");
              readout.className = "chart-readout muted";
              readout.setAttribute("aria-live", "polite");
              readout.style.margin = ".3rem 0 0";
              // Shown from the first hover on, so an untouched chart has no empty line under its legend.
              readout.hidden = true;
              card.appendChild(readout);
            }
            let reset = card.querySelector(".chart-reset");
            if (svg.dataset.zoomed && svg.dataset.zoomUrl && !reset) {
              reset = document.createElement("button");
              reset.type = "button";
              reset.className = "chart-reset secondary";
              reset.textContent = "Reset zoom";
              reset.addEventListener("click", () => { delete card.dataset.zoomed; load(card, svg.dataset.zoomUrl); });
              card.appendChild(reset);
            }
            const cursor = document.createElementNS(svgNS, "line");
            cursor.setAttribute("y1", top); cursor.setAttribute("y2", top + height);
            cursor.setAttribute("stroke", "#5b6475"); cursor.setAttribute("stroke-dasharray", "3 3");
            cursor.style.display = "none";
            const band = document.createElementNS(svgNS, "rect");
            band.setAttribute("y", top); band.setAttribute("height", height);
            band.setAttribute("fill", "#2a5db0"); band.setAttribute("fill-opacity", "0.15");
            band.style.display = "none";
            svg.append(cursor, band);
            const point = (e) => {
              const p = svg.createSVGPoint(); p.x = e.clientX; p.y = e.clientY;
              const m = svg.getScreenCTM();
              return m ? p.matrixTransform(m.inverse()) : { x: 0, y: 0 };
            };
            const local = (e) => point(e).x;
            const clamp = (sx) => Math.min(left + width, Math.max(left, sx));
            const dataX = (sx) => x0 + (clamp(sx) - left) / width * (x1 - x0);
            const show = (sx) => {
              const x = dataX(sx);
              const parts = [];
              for (const s of series) {
                if (s.g.style.display === "none" || s.points.length === 0) continue;
                let best = s.points[0], gap = Infinity;
                for (const p of s.points) {
                  const d = x < p.x0 ? p.x0 - x : x > p.x1 ? x - p.x1 : 0;
                  if (d < gap) { gap = d; best = p; }
                }
                const range = best.x0 === best.x1 ? xText(axis, best.x0)
                  : xText(axis, best.x0) + " – " + xText(axis, best.x1);
                let text = s.g.dataset.label + " @ " + range + ": mean " + format(best.mean);
                if (best.min !== best.max) text += ", min " + format(best.min) + ", max " + format(best.max);
                if (best.smooth !== undefined) text += ", smoothed " + format(best.smooth);
                parts.push(text);
              }
              readout.textContent = parts.length ? parts.join(" · ") : "\\u00a0";
              if (parts.length) readout.hidden = false;
              cursor.setAttribute("x1", clamp(sx)); cursor.setAttribute("x2", clamp(sx));
              cursor.style.display = "";
            };
            let start = null;
            svg.addEventListener("pointerdown", (e) => {
              const p = point(e);
              // Only drags that start inside the plot zoom; the legend below keeps its clicks.
              if (p.x < left || p.x > left + width || p.y < top || p.y > top + height || !svg.dataset.zoomUrl) return;
              const sx = p.x;
              start = sx;
              svg.setPointerCapture(e.pointerId);
            });
            svg.addEventListener("pointermove", (e) => {
              const sx = local(e);
              show(sx);
              if (start !== null) {
                band.setAttribute("x", Math.min(start, clamp(sx)));
                band.setAttribute("width", Math.abs(clamp(sx) - start));
                band.style.display = "";
              }
            });
            svg.addEventListener("pointerup", (e) => {
              if (start === null) return;
              const end = clamp(local(e));
              const low = Math.min(start, end), high = Math.max(start, end);
              start = null;
              band.style.display = "none";
              // A tap or a tiny drag is a hover, not a zoom.
              if (high - low > 4) zoom(card, svg, Math.floor(dataX(low)), Math.ceil(dataX(high)));
            });
            svg.addEventListener("pointercancel", () => { start = null; band.style.display = "none"; });
            svg.addEventListener("pointerleave", () => { if (start === null) cursor.style.display = "none"; });
          }

          function zoom(card, svg, from, to) {
            if (to <= from) to = from + 1;
            card.dataset.zoomed = "1";
            load(card, svg.dataset.zoomUrl + "&from=" + from + "&to=" + to + "&buckets=600");
          }

          async function load(card, url) {
            // Only the newest request of a chart may draw: a slow refresh must not undo a zoom made meanwhile.
            const ticket = String(Number(card.dataset.ticket || 0) + 1);
            card.dataset.ticket = ticket;
            try {
              const response = await fetch(url, { headers: { Accept: "image/svg+xml" } });
              if (!response.ok) return;
              const text = await response.text();
              if (card.dataset.ticket !== ticket) return;
              const old = card.querySelector("svg.chart");
              const box = document.createElement("div");
              box.innerHTML = text;
              const fresh = box.querySelector("svg.chart");
              if (!fresh) return;
              if (old) old.replaceWith(fresh); else card.insertBefore(fresh, card.querySelector(".chart-readout"));
              const reset = card.querySelector(".chart-reset");
              if (reset && !fresh.dataset.zoomed) reset.remove();
              setup(fresh);
            } catch (error) {
              // A failed refresh leaves the chart as it was; the next one tries again.
            }
          }

          function live(marker) {
            const url = marker.dataset.liveUrl, interval = Number(marker.dataset.interval) || 5000;
            const tick = async () => {
              let run;
              try {
                const response = await fetch(url, { headers: { Accept: "application/json" } });
                if (!response.ok) return true;
                run = await response.json();
              } catch (error) { return true; }
              for (const badge of document.querySelectorAll("[data-run-status]")) {
                badge.textContent = run.status;
                badge.className = "badge status-" + run.status;
              }
              for (const m of run.latest_metrics || []) {
                for (const row of document.querySelectorAll("tr[data-metric-key]")) {
                  if (row.dataset.metricKey !== m.key) continue;
                  row.querySelector('[data-field="value"]').textContent = format(m.value);
                  row.querySelector('[data-field="step"]').textContent = String(m.step);
                  const time = row.querySelector('[data-field="time"] time');
                  if (time) { time.setAttribute("datetime", m.timestamp); time.textContent = m.timestamp; }
                }
              }
              if (typeof lablogLocalTimes === "function") lablogLocalTimes(document);
              for (const card of document.querySelectorAll(".chart-card")) {
                const svg = card.querySelector("svg.chart");
                if (svg && svg.dataset.zoomUrl && !card.dataset.zoomed) load(card, svg.dataset.zoomUrl);
              }
              const running = run.status === "RUNNING";
              if (!running) marker.textContent = "The run has ended (" + run.status + "); live updates stopped.";
              return running;
            };
            const loop = async () => { if (await tick()) setTimeout(loop, interval); };
            setTimeout(loop, interval);
          }

          // A page region that refreshes itself (the compare page while a run is RUNNING): the page is fetched
          // again, the region swapped in place, and charts set up anew with the series the reader had hidden.
          function livePage(region) {
            const interval = Number(region.dataset.livePage) || 5000;
            const tick = async () => {
              let html;
              try {
                const response = await fetch(location.href, { headers: { Accept: "text/html" } });
                if (!response.ok) return true;
                html = await response.text();
              } catch (error) { return true; }
              const fresh = new DOMParser().parseFromString(html, "text/html").getElementById(region.id);
              if (!fresh) return false;
              const hidden = new Map();
              for (const card of region.querySelectorAll("[data-chart-key]")) {
                if (card.dataset.hidden) hidden.set(card.dataset.chartKey, card.dataset.hidden);
              }
              region.replaceChildren(...[...fresh.childNodes].map((node) => document.adoptNode(node)));
              for (const card of region.querySelectorAll("[data-chart-key]")) {
                if (hidden.has(card.dataset.chartKey)) card.dataset.hidden = hidden.get(card.dataset.chartKey);
              }
              for (const svg of region.querySelectorAll("svg.chart[data-plot]")) setup(svg);
              if (typeof lablogLocalTimes === "function") lablogLocalTimes(region);
              const running = fresh.hasAttribute("data-live-page");
              if (!running) region.removeAttribute("data-live-page");
              return running;
            };
            const loop = async () => { if (await tick()) setTimeout(loop, interval); };
            setTimeout(loop, interval);
          }

          document.addEventListener("DOMContentLoaded", () => {
            for (const svg of document.querySelectorAll("svg.chart[data-plot]")) setup(svg);
            for (const details of document.querySelectorAll("details.lazy-chart[data-src]")) {
              details.addEventListener("toggle", () => {
                if (details.open && !details.querySelector("svg.chart")) load(details, details.dataset.src);
              });
            }
            const marker = document.getElementById("run-live");
            if (marker && marker.dataset.liveUrl) live(marker);
            for (const region of document.querySelectorAll("[data-live-page]")) livePage(region);
          });
        })();
        """
}
