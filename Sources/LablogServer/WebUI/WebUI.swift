import Hummingbird
import LablogCore

/// The browser pages: server-rendered HTML from the templates compiled into the binary, with their assets.
struct WebUI {
    let store: any TrackingStore
    let configuration: ServerConfiguration
    let pages: PageRenderer

    func addRoutes(to router: Router<AppRequestContext>) {
        AssetRoutes(maxAge: configuration.staticFileCache).addRoutes(to: router)
        ExperimentsPage(store: store, pages: pages).addRoutes(to: router)
        DashboardPage(store: store, pages: pages).addRoutes(to: router)
        ExperimentPage(store: store, configuration: configuration, pages: pages).addRoutes(to: router)
        ComparePage(store: store, configuration: configuration, pages: pages).addRoutes(to: router)
        RunPage(store: store, configuration: configuration, pages: pages).addRoutes(to: router)
    }
}
