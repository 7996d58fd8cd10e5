/// The one style sheet: mobile first (readable from 360 px), system fonts, no external resources.
enum StyleSheet {
    static let source = """
        :root {
          --fg: #1d2330; --muted: #5b6475; --bg: #ffffff; --panel: #f5f7fa; --line: #d9dee7;
          --accent: #2a5db0; --danger: #b3261e; --ok: #2e7d32; --warn: #a15c00;
          font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.45;
        }
        * { box-sizing: border-box; }
        body { margin: 0; color: var(--fg); background: var(--bg); }
        a { color: var(--accent); }
        a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible {
          outline: 3px solid #7aa7ee; outline-offset: 2px;
        }
        .top { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; padding: .6rem 1rem;
          border-bottom: 1px solid var(--line); background: var(--panel); }
        .brand { font-weight: 700; font-size: 1.1rem; color: var(--fg); text-decoration: none; }
        .top nav { display: flex; gap: 1rem; }
        .top nav a[aria-current="page"] { font-weight: 600; text-decoration: none; color: var(--fg); }
        main { padding: 1rem; max-width: 1400px; margin: 0 auto; }
        h1 { font-size: 1.4rem; margin: .2rem 0 .8rem; overflow-wrap: anywhere; }
        h2 { font-size: 1.1rem; margin: 1.4rem 0 .6rem; }
        .muted { color: var(--muted); }
        .table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
        table { border-collapse: collapse; width: 100%; font-size: .9rem; }
        th, td { padding: .4rem .6rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top;
          overflow-wrap: break-word; }
        th { background: var(--panel); font-weight: 600; white-space: nowrap; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        form.inline { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin: .5rem 0 1rem; }
        label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); gap: .2rem; }
        input, select, button, textarea { font: inherit; padding: .35rem .5rem; border: 1px solid var(--line);
          border-radius: 4px; background: #fff; color: var(--fg); max-width: 100%; }
        button { cursor: pointer; background: var(--accent); color: #fff; border-color: var(--accent); }
        button.secondary { background: #fff; color: var(--accent); }
        button.danger { background: var(--danger); border-color: var(--danger); }
        .pager { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; margin: .8rem 0; }
        .badge { display: inline-block; padding: 0 .45rem; border-radius: 999px; font-size: .8rem;
          border: 1px solid var(--line); background: var(--panel); white-space: nowrap; }
        .status-RUNNING, .status-running { color: var(--accent); }
        .status-FINISHED, .status-completed { color: var(--ok); }
        .status-FAILED, .status-failed, .status-KILLED { color: var(--danger); }
        .error-box { border: 1px solid var(--danger); background: #fdecea; padding: .6rem .8rem; border-radius: 6px; }
        .card h2 { margin-top: 0; }
        .grid { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 420px), 1fr)); }
        .card { border: 1px solid var(--line); border-radius: 6px; padding: .8rem; background: #fff; min-width: 0; }
        svg.chart { width: 100%; height: auto; display: block; touch-action: pan-y; }
        form.stacked { display: grid; gap: .6rem; max-width: 36rem; margin: .6rem 0; }
        form.stacked button { justify-self: start; }
        details.panel { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .8rem; margin: .5rem 0 1rem; }
        summary { cursor: pointer; color: var(--accent); }
        td.name { min-width: 12rem; }
        td.col-desc { min-width: 12rem; }
        td.col-tags { min-width: 6rem; }
        .under-name { display: none; }
        div.actions { display: flex; flex-wrap: nowrap; gap: .5rem; align-items: flex-start; }
        div.actions summary { white-space: nowrap; padding: .35rem 0; }
        div.actions details[open] { min-width: 14rem; max-width: 18rem; }
        div.actions form, .tag-list form { display: inline; }
        .tag-list { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem; }
        ul.bars { list-style: none; padding: 0; margin: 0; display: grid; gap: .4rem; }
        ul.bars li { display: grid; grid-template-columns: minmax(5rem, 8rem) 1fr auto; gap: .5rem;
          align-items: center; }
        .bar-track { background: var(--panel); border-radius: 3px; height: .9rem; overflow: hidden; }
        .bar-fill { display: block; height: 100%; background: var(--accent); min-width: 2px; }
        .bar-count { font-variant-numeric: tabular-nums; }
        svg.chart .bar { fill: var(--accent); }
        svg.chart .grid { stroke: var(--line); }
        svg.chart .axis { stroke: var(--muted); }
        svg.chart .tick { fill: var(--muted); font-size: 13px; }
        svg.runs-chart-narrow { display: none; }
        svg.runs-chart-wide .tick { font-size: 16px; }
        @media (max-width: 900px) {
          svg.runs-chart-wide { display: none; }
          svg.runs-chart-narrow { display: block; }
        }
        @media (max-width: 600px) {
          main { padding: .6rem; } th, td { padding: .3rem .4rem; }
          svg.runs-chart-narrow .tick { font-size: 20px; }
          td.name { min-width: 6rem; }
          table.experiments th { white-space: normal; }
          table.experiments td.name a { overflow-wrap: anywhere; }
          .under-name .badge { white-space: normal; overflow-wrap: anywhere; border-radius: .5rem; }
          th.col-desc, td.col-desc, th.col-tags, td.col-tags { display: none; }
          .under-name { display: block; margin-top: .2rem; color: var(--muted); font-size: .85rem;
            overflow-wrap: anywhere; }
        }
        """
}
