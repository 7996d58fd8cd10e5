import Hummingbird
import LablogCore

/// The browser pages: server-rendered HTML from the templates compiled into the binary, with their assets.
struct WebUI {
    let store: any TrackingStore
    let configuration: ServerConfiguration
    let pages: PageRenderer

    func addRoutes(to router: Router<AppRequestContext>) {
        AssetRoutes(maxAge: configuration.staticFileCache).addRoutes(to: router)
    }
}
