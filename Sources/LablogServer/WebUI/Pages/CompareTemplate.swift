/// The compare page: runs as columns, params and latest metrics as rows, then the charts.
enum CompareTemplate {
    static let source = """
        {{<layout}}
        {{$title}}{{title}} · Lablog{{/title}}
        {{$main}}
        <div class="runs-page">
        <p class="crumbs"><a href="/experiments">Experiments</a> / {{#experimentURL}}<a href="{{experimentURL}}">\
        {{experimentName}}</a> / {{/experimentURL}}<span aria-current="page">{{title}}</span></p>
        <h1>{{title}}</h1>
        <p class="meta">{{summary}}</p>
        {{#notes}}<p class="notice" role="status">{{.}}</p>{{/notes}}
        {{^hasRuns}}<p>No runs to compare. Select runs on an experiment page and choose “Compare selected”.</p>\
        {{/hasRuns}}
        {{#hasRuns}}
        <h2 id="params-heading">Params</h2>
        {{^hasParams}}<p class="muted">These runs have no params.</p>{{/hasParams}}
        {{#hasParams}}
        <form method="get" class="inline diff-form">
          {{#diffFields}}<input type="hidden" name="{{name}}" value="{{value}}">{{/diffFields}}
          <label class="check"><input type="checkbox" name="diff" value="1" data-diff-toggle="params-table"\
        {{#differencesOnly}} checked{{/differencesOnly}}> Differences only ({{equalParamCount}} equal hidden)</label>
          <button type="submit" class="secondary" data-diff-submit>Apply</button>
        </form>
        <div class="table-wrap">
        <table id="params-table" class="compare" aria-labelledby="params-heading">
          <thead><tr><th scope="col">Param</th>{{#runs}}<th scope="col"><span class="swatch" style="background:\
        {{color}}"></span><a href="{{url}}">{{name}}</a></th>{{/runs}}</tr></thead>
          <tbody>
          {{#params}}
            <tr class="{{#differs}}differs{{/differs}}{{^differs}}same{{/differs}}"{{#hidden}} hidden{{/hidden}}>
              <th scope="row">{{key}}</th>
              {{#cells}}<td{{#differs}} class="differs"{{/differs}}>{{#missing}}<span class="muted">–</span>\
        {{/missing}}{{text}}</td>{{/cells}}
            </tr>
          {{/params}}
          </tbody>
        </table>
        </div>
        {{/hasParams}}
        <div id="compare-live"{{#live}} data-live-page="{{liveInterval}}"{{/live}}>
        <h2 id="metrics-heading">Latest metrics</h2>
        {{#live}}<p class="muted" id="compare-live-note">Some of these runs are still running: their values and \
        charts refresh by themselves.</p>{{/live}}
        {{^hasMetrics}}<p class="muted">These runs have no metrics.</p>{{/hasMetrics}}
        {{#hasMetrics}}
        <p class="muted">★ marks the best value. Losses and errors are best when lowest, other metrics when
        highest.</p>
        <div class="table-wrap">
        <table class="compare" aria-labelledby="metrics-heading">
          <thead><tr><th scope="col">Metric</th>{{#runs}}<th scope="col"><span class="swatch" style="background:\
        {{color}}"></span><a href="{{url}}">{{name}}</a></th>{{/runs}}</tr></thead>
          <tbody>
          {{#metrics}}
            <tr data-goal="{{goal}}">
              <th scope="row">{{key}} <span class="muted goal">({{goalLabel}}, <a href="{{flipURL}}">{{flipLabel}}</a>)\
        </span></th>
              {{#cells}}<td class="num">{{#missing}}<span class="muted">–</span>{{/missing}}{{#best}}\
        <strong class="best" title="best">★ {{text}}</strong>{{/best}}{{^best}}{{text}}{{/best}}</td>{{/cells}}
            </tr>
          {{/metrics}}
          </tbody>
        </table>
        </div>
        <h2>Metric charts</h2>
        <p class="muted">{{chartNote}}</p>
        <details class="columns">
          <summary>Charted metrics</summary>
          <form method="get">
            {{#chartFields}}<input type="hidden" name="{{name}}" value="{{value}}">{{/chartFields}}
            <input type="hidden" name="chart_set" value="1">
            <fieldset><legend>Metrics</legend>{{#chartChoices}}<label class="check"><input type="checkbox"\
         name="chart" value="{{name}}"{{#checked}} checked{{/checked}}> {{label}}</label>{{/chartChoices}}</fieldset>
            <button type="submit">Draw</button>
          </form>
        </details>
        <div class="grid">
        {{#charts}}<figure class="card" data-chart-key="{{key}}"><figcaption>{{key}}</figcaption>{{{svg}}}</figure>\
        {{/charts}}
        </div>
        {{/hasMetrics}}
        </div>
        {{#crossExperiment}}
        <h2>Experiments</h2>
        <ul>{{#runs}}<li><a href="{{url}}">{{name}}</a> in <a href="{{experimentURL}}">{{experimentName}}</a></li>\
        {{/runs}}</ul>
        {{/crossExperiment}}
        {{#parallel}}
        <h2 id="parallel-heading">Parallel coordinates</h2>
        <form method="get" class="inline chart-form">
          {{#fields}}<input type="hidden" name="{{name}}" value="{{value}}">{{/fields}}
          <input type="hidden" name="pc_set" value="1">
          <fieldset><legend>Params</legend>{{#checkboxes}}<label class="check"><input type="checkbox" name="pc"\
         value="{{name}}"{{#checked}} checked{{/checked}}> {{label}}</label>{{/checkboxes}}</fieldset>
          <label>Colour by metric <select name="pc_metric">{{#firstSelect}}<option value="{{value}}"{{#selected}}\
         selected{{/selected}}>{{label}}</option>{{/firstSelect}}</select></label>
          <button type="submit">Draw</button>
        </form>
        <p class="muted">{{note}}</p>
        {{#scrolls}}<p class="scroll-hint">Wider than this screen: scroll the chart sideways.</p>{{/scrolls}}
        <div class="chart-scroll{{#scrolls}} scrolls{{/scrolls}}">{{{svg}}}</div>
        {{/parallel}}
        {{#scatter}}
        <h2>Scatter</h2>
        <form method="get" class="inline chart-form">
          {{#fields}}<input type="hidden" name="{{name}}" value="{{value}}">{{/fields}}
          <label>x <select name="x">{{#firstSelect}}<option value="{{value}}"{{#selected}} selected{{/selected}}>\
        {{label}}</option>{{/firstSelect}}</select></label>
          <label>y <select name="y">{{#secondSelect}}<option value="{{value}}"{{#selected}} selected{{/selected}}>\
        {{label}}</option>{{/secondSelect}}</select></label>
          <button type="submit">Draw</button>
        </form>
        <p class="muted">{{note}}</p>
        {{#scrolls}}<p class="scroll-hint">Wider than this screen: scroll the chart sideways.</p>{{/scrolls}}
        <div class="chart-scroll{{#scrolls}} scrolls{{/scrolls}}">{{{svg}}}</div>
        {{/scatter}}
        {{/hasRuns}}
        </div>
        {{/main}}
        {{$scripts}}<script src="{{tableScriptURL}}" defer></script>{{#chartScriptURL}}
        <script src="{{chartScriptURL}}" defer></script>{{/chartScriptURL}}{{/scripts}}
        {{/layout}}
        """
}
