/// The experiment page: header, filter box, column chooser, the runs table in one form with the bulk actions.
enum ExperimentTemplate {
    static let source = """
        {{<layout}}
        {{$title}}{{title}} · Lablog{{/title}}
        {{$main}}
        <div class="runs-page">
        <p class="crumbs"><a href="/experiments">Experiments</a> /</p>
        {{#experiment}}
        <h1>{{name}}</h1>
        <p class="meta"><span class="badge">{{status}}</span>{{#isDeleted}} <span class="badge">in trash</span>\
        {{/isDeleted}} · {{runCount}} · created {{#created}}{{>time}}{{/created}}</p>
        {{#description}}<p class="description">{{description}}</p>{{/description}}
        {{#hasTags}}<ul class="tags" aria-label="Tags">{{#tags}}<li><span class="badge">{{key}} = {{value}}</span></li>\
        {{/tags}}</ul>{{/hasTags}}
        {{/experiment}}
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        <nav class="tabs" aria-label="Lifecycle">
          <a href="{{activeURL}}"{{^viewingTrash}} aria-current="page"{{/viewingTrash}}>Active runs</a>
          <a href="{{trashURL}}"{{#viewingTrash}} aria-current="page"{{/viewingTrash}}>Trash</a>
        </nav>
        <form method="get" class="filter-form" role="search">
          {{#filterFormFields}}<input type="hidden" name="{{name}}" value="{{value}}">{{/filterFormFields}}
          <label for="run-filter">Filter runs</label>
          <div class="filter-row">
            <input id="run-filter" name="filter" value="{{filter}}"
              placeholder="metrics.acc > 0.9 and params.lr = '0.01'"
              autocomplete="off" spellcheck="false"{{#filterError}} aria-invalid="true" aria-describedby="filter-error"\
        {{/filterError}}>
            <label class="inline-label">Page size <select name="limit">{{#pageSizes}}<option value="{{value}}"\
        {{#selected}} selected{{/selected}}>{{value}}</option>{{/pageSizes}}</select></label>
            <button type="submit">Apply</button>
          </div>
        </form>
        {{#filterError}}
        <div id="filter-error" class="error-box" role="alert">
          <p><strong>{{what}} error:</strong> {{message}} (at position {{position}})</p>
          <pre class="caret" aria-hidden="true">{{input}}
        {{caret}}</pre>
        </div>
        {{/filterError}}
        <details class="columns">
          <summary>Columns</summary>
          <form method="get">
            {{#chooserFields}}<input type="hidden" name="{{name}}" value="{{value}}">{{/chooserFields}}
            <input type="hidden" name="cols_set" value="1">
            {{#columnGroups}}
            <fieldset><legend>{{title}}</legend>
              {{#isEmpty}}<p class="muted">None</p>{{/isEmpty}}
              {{#columns}}<label class="check"><input type="checkbox" name="cols" value="{{name}}"\
        {{#checked}} checked{{/checked}}> {{label}}</label>{{/columns}}
            </fieldset>
            {{/columnGroups}}
            <button type="submit">Show columns</button>
          </form>
        </details>
        <p class="summary" id="run-summary">{{summary}}</p>
        {{#emptyHint}}
        <div class="empty-hint">
          <p>Log one with the API: <code>POST {{createRunPath}}</code> with a JSON body such as
          <code>{"name": "first-run"}</code>.</p>
          <p>Or with MLflow, pointing the tracking URI at this server:
          <code>mlflow.set_experiment("{{experimentName}}")</code> then <code>mlflow.start_run()</code>.</p>
        </div>
        {{/emptyHint}}
        {{^emptyHint}}
        <p class="exports">Export: <a href="{{exportCSV}}" download>CSV</a> ·
          <a href="{{exportJSON}}" download>JSON</a></p>
        <form method="post" action="{{tagAction}}" class="runs-form" data-run-selection>
          <input type="hidden" name="return" value="{{returnQuery}}">
          {{#hasRows}}
          <div class="bulk">
            <fieldset class="bulk-tag"><legend>Tag selected runs</legend>
              <label>Key <input name="tag_key" autocomplete="off"></label>
              <label>Value <input name="tag_value" autocomplete="off"></label>
              <button type="submit" formaction="{{tagAction}}" class="secondary">Set tag</button>
            </fieldset>
            <button type="submit" formaction="{{compareAction}}" formmethod="get">Compare selected</button>
            {{^viewingTrash}}<button type="submit" class="danger" formaction="{{deleteAction}}">\
        Delete selected</button>\
        {{/viewingTrash}}
            {{#viewingTrash}}<button type="submit" formaction="{{restoreAction}}">Restore selected</button>\
        {{/viewingTrash}}
            <span class="muted" data-selection-count aria-live="polite"></span>
          </div>
          {{/hasRows}}
          <div class="table-wrap">
          <table class="runs">
            <thead><tr>
              <th scope="col"><input type="checkbox" data-select-all aria-label="Select all runs on this page"
                hidden></th>
              {{#headers}}<th scope="col"{{#numeric}} class="num"{{/numeric}}{{#ariaSort}} aria-sort="{{ariaSort}}"\
        {{/ariaSort}}>{{#group}}<span class="group">{{group}}</span> {{/group}}{{#sortURL}}<a href="{{sortURL}}">\
        {{label}}{{arrow}}</a>{{/sortURL}}{{^sortURL}}{{label}}{{/sortURL}}</th>{{/headers}}
            </tr></thead>
            <tbody>
            {{#rows}}
              <tr>
                <td><input type="checkbox" name="runs" value="{{id}}" id="run-{{id}}" aria-label="Select {{name}}"></td>
                <th scope="row"><a href="{{url}}">{{name}}</a></th>
                <td class="status-{{status}}">{{status}}</td>
                <td class="nowrap">{{#start}}{{>time}}{{/start}}</td>
                <td class="num nowrap">{{duration}}</td>
                {{#cells}}<td{{#numeric}} class="num"{{/numeric}}>\
        {{#missing}}<span class="muted">–</span>{{/missing}}\
        {{text}}</td>{{/cells}}
              </tr>
            {{/rows}}
            {{^hasRows}}<tr><td colspan="{{columnCount}}" class="muted">{{summary}}</td></tr>{{/hasRows}}
            </tbody>
          </table>
          </div>
        </form>
        {{/emptyHint}}
        {{#pager}}{{>pager}}{{/pager}}
        </div>
        {{/main}}
        {{$scripts}}<script src="{{tableScriptURL}}" defer></script>{{/scripts}}
        {{/layout}}
        """

    /// Rules only the runs table and compare pages need, scoped to their `.runs-page` wrapper; they are served in
    /// the one cached style sheet, not inlined into every render.
    static let styles = """
        .runs-page .crumbs { margin: 0; font-size: .9rem; }
        .runs-page .meta { margin: 0 0 .5rem; color: var(--muted); }
        .runs-page .tags { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .3rem;
          margin: .3rem 0; }
        .runs-page .description { white-space: pre-wrap; overflow-wrap: anywhere; }
        .runs-page .notice { border: 1px solid var(--ok); background: #edf7ee; padding: .5rem .8rem; border-radius: 6px; }
        .runs-page .tabs { display: flex; gap: 1rem; margin: .8rem 0; }
        .runs-page .tabs a[aria-current="page"] { font-weight: 600; color: var(--fg); text-decoration: none; }
        .runs-page .filter-row { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; }
        .runs-page .filter-row input[name=filter] { flex: 1 1 16rem; font-family: ui-monospace, monospace; }
        .runs-page .inline-label { flex-direction: row; align-items: center; gap: .3rem; }
        .runs-page pre.caret { margin: .4rem 0 0; overflow-x: auto; font-size: .9rem; }
        .runs-page details.columns { margin: .8rem 0; }
        .runs-page details.columns fieldset { border: 1px solid var(--line); border-radius: 6px; margin: .5rem 0; }
        .runs-page label.check { display: inline-flex; flex-direction: row; align-items: center; gap: .3rem;
          margin: .2rem .8rem .2rem 0;
          color: var(--fg); overflow-wrap: anywhere; }
        .runs-page .bulk { display: flex; flex-wrap: wrap; gap: .6rem; align-items: end; margin: .6rem 0; }
        .runs-page .bulk-tag { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end;
          border: 1px solid var(--line); border-radius: 6px; margin: 0; }
        .runs-page th .group { font-weight: 400; color: var(--muted); font-size: .75rem; }
        .runs-page tr.differs th { box-shadow: inset 3px 0 0 var(--warn); }
        .runs-page td.differs { background: #fff4e0; }
        .runs-page .best { font-weight: 700; color: var(--ok); }
        .runs-page td.nowrap { white-space: nowrap; overflow-wrap: normal; }
        .runs-page .empty-hint { border: 1px solid var(--line); border-radius: 6px; padding: .2rem .8rem; }
        .runs-page .empty-hint code { overflow-wrap: anywhere; }
        .runs-page .chart-scroll { overflow-x: auto; }
        .runs-page .scroll-hint { display: none; }
        /* The charts scale with the page; on narrower screens their text grows to stay readable, and the
           parallel-coordinates titles alternate between two rows. */
        @media (max-width: 760px) {
          .runs-page svg.parallel .pc-tick, .runs-page svg.scatter .sc-tick { font-size: 19px; }
          .runs-page svg.parallel .pc-title, .runs-page svg.scatter .sc-title { font-size: 21px; }
          .runs-page svg.parallel .pc-odd { transform: translateY(-26px); }
        }
        @media (max-width: 480px) {
          .runs-page svg.parallel .pc-tick, .runs-page svg.scatter .sc-tick { font-size: 26px; }
          .runs-page svg.parallel .pc-title, .runs-page svg.scatter .sc-title { font-size: 29px; }
          .runs-page svg.parallel .pc-odd { transform: translateY(-36px); }
          .runs-page .scroll-hint { display: block; font-size: .85rem; color: var(--muted); }
          .runs-page .chart-scroll.scrolls { border: 1px solid var(--line); border-radius: 6px; }
        }
        .runs-page table.compare tbody th { white-space: normal; min-width: 9rem; }
        .runs-page figure.card { margin: 0; }
        .runs-page .swatch { display: inline-block; width: .8em; height: .8em; border-radius: 2px; margin-right: .3em; }
        """
}
