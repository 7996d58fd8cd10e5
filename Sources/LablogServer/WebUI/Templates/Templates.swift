/// Every page template compiled into the binary, by name. Pages extend `layout` with Mustache's template
/// inheritance (`{{<layout}}{{$main}}...{{/main}}{{/layout}}`).
enum Templates {
    static let all: [String: String] = [
        "layout": LayoutTemplate.source
    ]
}
