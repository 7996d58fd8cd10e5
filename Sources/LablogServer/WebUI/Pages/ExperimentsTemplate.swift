/// The templates of the experiments list and the experiment edit page.
enum ExperimentsTemplate {
    static let list = """
        {{<layout}}
        {{$title}}{{heading}} · Lablog{{/title}}
        {{$main}}
        <h1>{{heading}}</h1>
        <form class="inline" method="get" action="/experiments" role="search">
          <label>Name contains <input type="search" name="q" value="{{query}}"></label>
          <label>Status <select name="status">{{#statusOptions}}
            <option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/statusOptions}}
          </select></label>
          <label>Tag <input name="tag" value="{{tag}}" placeholder="key or key:value"></label>
          <label>Show <select name="lifecycle">{{#lifecycleOptions}}
            <option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/lifecycleOptions}}
          </select></label>
          <label>Sort by <select name="sort">{{#sortOptions}}
            <option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/sortOptions}}
          </select></label>
          <label>Order <select name="order">{{#orderOptions}}
            <option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/orderOptions}}
          </select></label>
          <button type="submit">Apply</button>
          <a href="/experiments">Reset</a>
        </form>
        <p>{{#inTrash}}<a href="{{activeURL}}">Back to active experiments</a>{{/inTrash}}
        {{^inTrash}}<a href="{{trashURL}}">Trash</a>{{/inTrash}}</p>
        {{^inTrash}}{{#create}}
        <details class="panel"{{#open}} open{{/open}}>
          <summary>New experiment</summary>
          {{#error}}<p class="error-box" role="alert">{{error}}</p>{{/error}}
          <form class="stacked" method="post" action="/experiments">
            <input type="hidden" name="return" value="{{returnURL}}">
            <label>Name <input name="name" value="{{name}}" required maxlength="500"></label>
            <label>Description <textarea name="description" rows="2">{{description}}</textarea></label>
            <label>Status <select name="status">{{#statusOptions}}
              <option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/statusOptions}}
            </select></label>
            <label>Tags, one per line (key or key:value) <textarea name="tags" rows="2">{{tags}}</textarea></label>
            <button type="submit">Create experiment</button>
          </form>
        </details>
        {{/create}}{{/inTrash}}
        {{#isEmpty}}<p class="muted">No experiments match.</p>{{/isEmpty}}
        {{^isEmpty}}
        <div class="table-wrap">
        <table class="experiments">
          <thead><tr>
            {{#nameHeader}}<th{{#ariaSort}} aria-sort="{{ariaSort}}"{{/ariaSort}}>
              <a href="{{url}}">{{label}}{{arrow}}</a></th>{{/nameHeader}}
            <th>Status</th><th class="col-desc">Description</th><th class="col-tags">Tags</th>
            <th class="num">Runs</th><th>Last activity</th>
            {{#createdHeader}}<th{{#ariaSort}} aria-sort="{{ariaSort}}"{{/ariaSort}}>
              <a href="{{url}}">{{label}}{{arrow}}</a></th>{{/createdHeader}}
            <th>Actions</th>
          </tr></thead>
          <tbody>{{#rows}}
          <tr>
            <td class="name"><a href="{{url}}">{{name}}</a>{{#description}}
              <span class="under-name">{{description}}</span>{{/description}}{{#hasTags}}
              <span class="under-name">{{#tags}}<span class="badge">{{text}}</span> {{/tags}}</span>{{/hasTags}}</td>
            <td><span class="badge status-{{status}}">{{status}}</span></td>
            <td class="col-desc">{{#description}}{{description}}{{/description}}</td>
            <td class="col-tags">{{#tags}}<span class="badge">{{text}}</span> {{/tags}}</td>
            <td class="num">{{runCount}}</td>
            <td>{{#lastActivity}}{{>time}}{{/lastActivity}}</td>
            <td>{{#created}}{{>time}}{{/created}}</td>
            <td class="actions"><div class="actions">{{^isDeleted}}
              <a href="{{editURL}}">Edit</a>
              <form method="post" action="{{deleteURL}}">
                <input type="hidden" name="return" value="{{returnURL}}">
                <button class="secondary" type="submit">Delete</button></form>{{/isDeleted}}{{#isDeleted}}
              <form method="post" action="{{restoreURL}}">
                <input type="hidden" name="return" value="{{returnURL}}">
                <button class="secondary" type="submit">Restore</button></form>
              <details><summary>Delete forever…</summary>
                <form method="post" action="{{purgeURL}}">
                <input type="hidden" name="return" value="{{returnURL}}">
                <input type="hidden" name="confirm" value="yes">
                <p>Removes the experiment and all its runs. This cannot be undone.</p>
                <button class="danger" type="submit">Delete {{name}} forever</button></form>
              </details>{{/isDeleted}}
            </div></td>
          </tr>{{/rows}}
          </tbody>
        </table>
        </div>
        {{/isEmpty}}
        {{#pager}}{{>pager}}{{/pager}}
        {{/main}}
        {{/layout}}
        """

    static let edit = """
        {{<layout}}
        {{$title}}Edit {{name}} · Lablog{{/title}}
        {{$main}}
        <p><a href="/experiments">Experiments</a> / <a href="{{experimentURL}}">{{name}}</a></p>
        <h1>Edit {{name}}</h1>
        {{#isDeleted}}<p class="error-box">This experiment is in the trash.</p>{{/isDeleted}}
        {{#form}}
        {{#error}}<p class="error-box" role="alert">{{error}}</p>{{/error}}
        <form class="stacked" method="post" action="{{editURL}}">
          <label>Name <input name="name" value="{{name}}" required maxlength="500"></label>
          <label>Description <textarea name="description" rows="3">{{description}}</textarea></label>
          <label>Status <select name="status">{{#statusOptions}}
            <option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/statusOptions}}
          </select></label>
          <button type="submit">Save</button>
        </form>
        {{/form}}
        <h2>Tags</h2>
        {{^tags}}<p class="muted">No tags.</p>{{/tags}}
        <ul class="tag-list">{{#tags}}
          <li><span class="badge">{{text}}</span>
            <form method="post" action="{{tagDeleteURL}}"><input type="hidden" name="key" value="{{key}}">
              <button class="secondary" type="submit" aria-label="Remove tag {{key}}">Remove</button></form>
          </li>{{/tags}}
        </ul>
        {{#tagError}}<p class="error-box" role="alert">{{tagError}}</p>{{/tagError}}
        <form class="inline" method="post" action="{{tagsURL}}">
          <label>Key <input name="key" value="{{newTagKey}}" required></label>
          <label>Value <input name="value" value="{{newTagValue}}"></label>
          <button type="submit">Add tag</button>
        </form>
        <h2>Trash</h2>
        {{^isDeleted}}<form method="post" action="{{deleteURL}}">
          <input type="hidden" name="return" value="{{returnURL}}">
          <button class="danger" type="submit">Move to trash</button></form>{{/isDeleted}}
        {{#isDeleted}}<form method="post" action="{{restoreURL}}">
          <input type="hidden" name="return" value="{{returnURL}}">
          <button type="submit">Restore</button></form>{{/isDeleted}}
        {{/main}}
        {{/layout}}
        """
}
