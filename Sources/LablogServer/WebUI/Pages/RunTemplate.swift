/// The run page: summary, parent and child runs, params, editable tags, latest metrics, a chart per metric,
/// and the artifact browser with previews.
enum RunTemplate {
    static let source = """
        {{<layout}}
        {{$title}}{{name}} · Run · Lablog{{/title}}
        {{$main}}
        <p class="muted"><a href="{{experimentURL}}">{{experimentName}}</a> › run</p>
        <h1>{{name}} <span class="badge status-{{status}}" data-run-status>{{status}}</span>\
        {{#isDeleted}} <span class="badge">deleted</span>{{/isDeleted}}</h1>
        {{#isLive}}<p class="muted" id="run-live" data-live-url="{{liveURL}}" data-interval="5000">\
        Running: this page refreshes its values and charts every 5 seconds.</p>{{/isLive}}
        <dl class="run-facts">
          <dt>Run id</dt><dd><code>{{runID}}</code></dd>
          <dt>Started</dt><dd><time datetime="{{start.iso}}">{{start.text}}</time></dd>
          {{#end}}<dt>Ended</dt><dd><time datetime="{{iso}}">{{text}}</time></dd>{{/end}}
          <dt>Duration</dt><dd data-run-duration>{{duration}}</dd>
          {{#hasUser}}<dt>User</dt><dd>{{userID}}</dd>{{/hasUser}}
          {{#parent}}<dt>Parent run</dt><dd><a href="{{url}}">{{name}}</a> <span class="badge status-{{status}}">\
        {{status}}</span></dd>{{/parent}}
        </dl>
        {{#hasChildren}}
        <h2>Child runs</h2>
        <ul class="child-runs">
        {{#children}}<li><a href="{{url}}">{{name}}</a> <span class="badge status-{{status}}">{{status}}</span></li>
        {{/children}}
        </ul>
        {{#moreChildren}}<p class="muted">Only the first 100 child runs are listed.</p>{{/moreChildren}}
        {{/hasChildren}}

        <h2 id="params">Params</h2>
        {{#hasParams}}<div class="table-wrap"><table><thead><tr><th scope="col">Key</th><th scope="col">Value</th></tr>\
        </thead><tbody>
        {{#params}}<tr><td>{{key}}</td><td>{{value}}</td></tr>
        {{/params}}
        </tbody></table></div>{{/hasParams}}
        {{^hasParams}}<p class="muted">No params.</p>{{/hasParams}}

        <h2 id="tags">Tags</h2>
        {{#hasTags}}<div class="table-wrap"><table><thead><tr><th scope="col">Key</th><th scope="col">Value</th>\
        <th scope="col"><span class="muted">Remove</span></th></tr></thead><tbody>
        {{#tags}}<tr><td>{{key}}</td><td>{{value}}</td><td><form method="post" action="{{tagDeleteURL}}">\
        <input type="hidden" name="key" value="{{key}}">\
        <button type="submit" class="secondary" style="white-space:nowrap" \
        aria-label="Remove tag {{key}}">Remove</button></form></td></tr>
        {{/tags}}
        </tbody></table></div>{{/hasTags}}
        {{^hasTags}}<p class="muted">No tags.</p>{{/hasTags}}
        <form class="inline" method="post" action="{{tagFormURL}}">
          <label>Key <input name="key" required maxlength="250"></label>
          <label>Value <input name="value" maxlength="8000"></label>
          <button type="submit">Set tag</button>
        </form>

        <h2 id="metrics">Latest metrics</h2>
        {{#hasMetrics}}<div class="table-wrap"><table id="latest-metrics"><thead><tr><th scope="col">Metric</th>\
        <th scope="col" class="num">Value</th><th scope="col" class="num">Step</th><th scope="col">Time</th></tr>\
        </thead><tbody>
        {{#metrics}}<tr data-metric-key="{{key}}"><td>{{key}}</td><td class="num" data-field="value">{{value}}</td>\
        <td class="num" data-field="step">{{step}}</td><td data-field="time">\
        <time datetime="{{time.iso}}">{{time.text}}</time></td></tr>
        {{/metrics}}
        </tbody></table></div>{{/hasMetrics}}
        {{^hasMetrics}}<p class="muted">No metrics logged.</p>{{/hasMetrics}}

        {{#hasMetrics}}
        <h2 id="charts">Charts</h2>
        <form class="inline chart-controls" method="get" action="#charts">
          <label>X axis <select name="axis">{{#controls.axes}}<option value="{{value}}"\
        {{#selected}} selected{{/selected}}>{{label}}</option>{{/controls.axes}}</select></label>
          <label>Y scale <select name="scale">{{#controls.scales}}<option value="{{value}}"\
        {{#selected}} selected{{/selected}}>{{label}}</option>{{/controls.scales}}</select></label>
          <label>Smoothing (0–0.99) <input name="smooth" type="number" min="0" max="0.99" step="0.05" \
        value="{{controls.smoothing}}"></label>
          {{#controls.hasPath}}<input type="hidden" name="path" value="{{controls.path}}">{{/controls.hasPath}}
          <button type="submit">Apply</button>
        </form>
        <p class="muted chart-help">Each chart shows the mean per interval with the min–max range behind it. \
        Drag across a chart to zoom; hover or tap for exact values.</p>
        <div class="grid charts">
        {{#charts}}<figure class="card chart-card" data-chart-key="{{key}}" style="margin:0">\
        <figcaption>{{key}}</figcaption>\
        {{{svg}}}</figure>
        {{/charts}}
        </div>
        {{#hasLazyCharts}}
        <h3>{{lazyChartCount}} more charts</h3>
        <p class="muted">Open a chart to load it, or <a href="{{allChartsURL}}">show every chart on the page</a>.</p>
        <div class="grid charts">
        {{#lazyCharts}}<details class="card chart-card lazy-chart" data-chart-key="{{key}}" data-src="{{url}}">\
        <summary>{{key}}</summary><p><a href="{{url}}">Open the chart of {{key}}</a></p></details>
        {{/lazyCharts}}
        </div>
        {{/hasLazyCharts}}
        {{/hasMetrics}}

        <h2 id="artifacts">Artifacts</h2>
        {{#artifacts}}
        {{#hasMessage}}<p class="muted">{{message}}</p>{{/hasMessage}}
        {{^hasMessage}}
        <nav aria-label="Artifact folder" class="crumbs">\
        {{#crumbs}}<a href="{{browseURL}}">{{name}}</a> / {{/crumbs}}</nav>
        {{#hasEntries}}<div class="table-wrap"><table class="artifacts"><thead><tr><th scope="col">Name</th>\
        <th scope="col" class="num">Size</th><th scope="col">Download</th></tr></thead><tbody>
        {{#entries}}<tr><td><a href="{{browseURL}}">{{name}}{{#isDirectory}}/{{/isDirectory}}</a></td>\
        <td class="num">{{size}}</td><td>{{^isDirectory}}<a href="{{downloadURL}}" download>Download</a>\
        {{/isDirectory}}</td></tr>
        {{/entries}}
        </tbody></table></div>{{/hasEntries}}
        {{^hasEntries}}<p class="muted">This folder is empty.</p>{{/hasEntries}}
        {{#preview}}
        <section class="card artifact-preview" aria-label="Preview of {{name}}">
        <h3>{{name}} <span class="muted">{{size}}</span> <a href="{{downloadURL}}" download>Download</a></h3>
        {{#isImage}}<img src="{{downloadURL}}" alt="{{name}}" style="max-width:100%;height:auto">{{/isImage}}
        {{#isText}}<pre style="overflow:auto;max-height:32rem;white-space:pre-wrap;overflow-wrap:anywhere">\
        {{text}}</pre>{{/isText}}
        {{#isTable}}<div class="table-wrap"><table><thead><tr>{{#header}}<th scope="col">{{text}}</th>{{/header}}\
        </tr></thead><tbody>
        {{#rows}}<tr>{{#cells}}<td>{{text}}</td>{{/cells}}</tr>
        {{/rows}}
        </tbody></table></div>{{/isTable}}
        {{#truncated}}<p class="muted">Preview of the first 64 KB only.</p>{{/truncated}}
        {{#hasNote}}<p class="muted">{{note}}</p>{{/hasNote}}
        </section>
        {{/preview}}
        {{/hasMessage}}
        {{/artifacts}}
        {{/main}}
        {{$scripts}}<script src="{{chartScriptURL}}" defer></script>{{/scripts}}
        {{/layout}}
        """
}
