import Hummingbird
import LablogCore

/// The native JSON API under `/api/`: every route group, mounted on one router.
struct NativeAPI {
    let store: any TrackingStore
    /// The clock for values a request leaves untimed (metric points without a timestamp, legacy metric values).
    var now: @Sendable () -> Int64 = StoreEnvironment.systemNow

    func addRoutes(to router: Router<AppRequestContext>) {
        ExperimentBulkRoutes(store: store).addRoutes(to: router)
        ExperimentRoutes(store: store).addRoutes(to: router)
        ExperimentTagRoutes(store: store).addRoutes(to: router)
        RunRoutes(store: store, now: now).addRoutes(to: router)
        RunTagRoutes(store: store).addRoutes(to: router)
        MetricRoutes(store: store, now: now).addRoutes(to: router)
        ParamRoutes(store: store).addRoutes(to: router)
        ExportRoutes(store: store).addRoutes(to: router)
    }
}
