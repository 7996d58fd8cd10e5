/// The dashboard's template.
enum DashboardTemplate {
    static let source = """
        {{<layout}}
        {{$title}}Dashboard · Lablog{{/title}}
        {{$main}}
        <h1>Dashboard</h1>
        <p>{{totalExperiments}} active experiments · {{totalRuns}} active runs</p>
        <div class="grid">
          <section class="card" aria-labelledby="experiments-by-status">
            <h2 id="experiments-by-status">Experiments by status</h2>
            {{^experimentsByStatus}}<p class="muted">No experiments yet.</p>{{/experimentsByStatus}}
            <ul class="bars">{{#experimentsByStatus}}
              <li><span class="bar-label status-{{label}}">{{label}}</span>
                <span class="bar-track"><span class="bar-fill" style="width: {{percent}}%"></span></span>
                <span class="bar-count">{{count}}</span></li>{{/experimentsByStatus}}
            </ul>
          </section>
          <section class="card" aria-labelledby="runs-by-status">
            <h2 id="runs-by-status">Runs by status</h2>
            {{^runsByStatus}}<p class="muted">No runs yet.</p>{{/runsByStatus}}
            <ul class="bars">{{#runsByStatus}}
              <li><span class="bar-label status-{{label}}">{{label}}</span>
                <span class="bar-track"><span class="bar-fill" style="width: {{percent}}%"></span></span>
                <span class="bar-count">{{count}}</span></li>{{/runsByStatus}}
            </ul>
          </section>
        </div>
        <section aria-labelledby="runs-over-time">
          <h2 id="runs-over-time">Runs over time</h2>
          {{^hasRunsPerDay}}<p class="muted">No runs yet.</p>{{/hasRunsPerDay}}
          {{#hasRunsPerDay}}
          <div class="card">{{{runsPerDayChartWide}}}{{{runsPerDayChartNarrow}}}</div>
          <details><summary>Runs per day as a table</summary>
            <div class="table-wrap"><table>
              <thead><tr><th>Day (UTC)</th><th class="num">Runs</th></tr></thead>
              <tbody>{{#runsPerDay}}<tr><td>{{day}}</td><td class="num">{{count}}</td></tr>{{/runsPerDay}}</tbody>
            </table></div>
          </details>
          {{/hasRunsPerDay}}
        </section>
        <section aria-labelledby="best-runs">
          <h2 id="best-runs">Best run per experiment</h2>
          <form class="inline" method="get" action="/dashboard">
            <label>Metric <input name="metric" value="{{metric}}" required></label>
            <label>Goal <select name="goal">{{#goalOptions}}
              <option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/goalOptions}}
            </select></label>
            <button type="submit">Show</button>
          </form>
          {{#error}}<p class="error-box" role="alert">{{error}}</p>{{/error}}
          {{^hasBestRuns}}<p class="muted">No run has logged “{{metric}}”.</p>{{/hasBestRuns}}
          {{#hasBestRuns}}
          <div class="table-wrap"><table>
            <thead><tr><th>Experiment</th><th>Best run</th><th class="num">{{metric}} ({{goalText}})</th></tr></thead>
            <tbody>{{#bestRuns}}
              <tr><td><a href="{{experimentURL}}">{{experimentName}}</a></td>
                <td><a href="{{runURL}}">{{runName}}</a></td><td class="num">{{value}}</td></tr>{{/bestRuns}}
            </tbody>
          </table></div>
          {{/hasBestRuns}}
        </section>
        {{/main}}
        {{/layout}}
        """
}
