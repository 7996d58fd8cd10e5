/// Previous and next links over a list paged with store cursors.
///
/// Cursors are opaque store strings that only lead forward, so the way back travels in the URL: `back` repeats
/// the cursors of the earlier pages, oldest first (an empty one stands for the first page). Next pushes the
/// current cursor; Previous pops the last one.
struct PagerModel: Sendable {
    /// The first page, when this is not it.
    let firstURL: String?
    let previousURL: String?
    let nextURL: String?
    /// `Page 3 · 1,234 experiments`.
    let summary: String

    /// The pager of one page.
    /// - Parameters:
    ///   - path: the page's path.
    ///   - query: the page's other parameters (filters, sort), kept on every link.
    ///   - cursor: the cursor this page was read with (nil on the first page).
    ///   - back: the cursors of the earlier pages, from the `back` parameters.
    ///   - nextCursor: the store's cursor of the following page.
    ///   - totalCount: the number of matches, when counted.
    ///   - noun: what is counted, plural (`experiments`).
    init(
        path: String, query: [(name: String, value: String?)], cursor: String?, back: [String], nextCursor: String?,
        totalCount: Int?, noun: String
    ) {
        func link(cursor: String?, back: [String]) -> String {
            WebPaths.with(path, query: query + [("cursor", cursor)] + back.map { ("back", $0.isEmpty ? "-" : $0) })
        }
        let onFirstPage = cursor == nil
        firstURL = onFirstPage ? nil : link(cursor: nil, back: [])
        if onFirstPage {
            previousURL = nil
        } else {
            let previousCursor = back.last.flatMap { $0.isEmpty ? nil : $0 }
            previousURL = link(cursor: previousCursor, back: Array(back.dropLast()))
        }
        nextURL = nextCursor.map { link(cursor: $0, back: back + [cursor ?? ""]) }
        var summary = "Page \(back.count + 1)"
        if let totalCount { summary += " · \(NumberFormatting.count(totalCount)) \(noun)" }
        self.summary = summary
    }

    /// The `back` parameters of a request, with `-` (the first page) read as an empty cursor.
    static func back(_ query: QueryItems) -> [String] {
        query.values("back").map { $0 == "-" ? "" : $0 }
    }
}

/// The partial templates every page may include: `{{>pager}}` inside a section over a ``PagerModel``, and
/// `{{>time}}` inside a section over a ``TimeCell``.
enum PartialTemplates {
    static let pager = """
        <nav class="pager" aria-label="Pages">
        {{#firstURL}}<a href="{{firstURL}}">First page</a>{{/firstURL}}
        {{#previousURL}}<a href="{{previousURL}}" rel="prev">&larr; Previous</a>{{/previousURL}}
        <span class="muted">{{summary}}</span>
        {{#nextURL}}<a href="{{nextURL}}" rel="next">Next &rarr;</a>{{/nextURL}}
        </nav>
        """

    static let time = #"<time datetime="{{iso}}">{{text}}</time>"#
}
