/// Every page template compiled into the binary, by name. Pages extend `layout` with Mustache's template
/// inheritance (`{{<layout}}{{$main}}...{{/main}}{{/layout}}`).
enum Templates {
    static let all: [String: String] = [
        "layout": LayoutTemplate.source,
        "pager": PartialTemplates.pager,
        "time": PartialTemplates.time,
        "experiments": ExperimentsTemplate.list,
        "experiment-edit": ExperimentsTemplate.edit,
        "dashboard": DashboardTemplate.source,
        "experiment": ExperimentTemplate.source,
        "compare": CompareTemplate.source,
        "run": RunTemplate.source,
    ]
}
