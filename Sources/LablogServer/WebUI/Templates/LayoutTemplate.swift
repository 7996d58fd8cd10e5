/// The frame of every page: head, navigation and main area. Pages fill the `title`, `main` and `scripts`
/// blocks; the layout reads `layout` (a ``LayoutModel``) from the page's model.
enum LayoutTemplate {
    static let source = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{$title}}Lablog{{/title}}</title>
        <link rel="stylesheet" href="{{layout.styleSheetURL}}">
        </head>
        <body>
        <header class="top">
          <a class="brand" href="/">Lablog</a>
          <nav aria-label="Main">
            <a href="/experiments"{{#layout.onExperiments}} aria-current="page"{{/layout.onExperiments}}>Experiments</a>
            <a href="/dashboard"{{#layout.onDashboard}} aria-current="page"{{/layout.onDashboard}}>Dashboard</a>
          </nav>
        </header>
        <main id="main">
        {{$main}}{{/main}}
        </main>
        <script src="{{layout.scriptURL}}" defer></script>
        {{$scripts}}{{/scripts}}
        </body>
        </html>
        """
}

/// What the layout needs from every page.
struct LayoutModel: Sendable {
    /// The fingerprinted URL of the style sheet.
    let styleSheetURL: String
    /// The fingerprinted URL of the common script.
    let scriptURL: String
    /// Which navigation entry is current.
    var onExperiments = false
    var onDashboard = false
}
