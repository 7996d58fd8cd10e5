import Hummingbird
import LablogCore

/// MLflow's Tracking REST API under `/api/2.0/mlflow/`, on the same store as the native API.
///
/// Requests and answers follow MLflow's wire rules (see ``MLflowJSON``); errors take MLflow's shape in the error
/// middleware, which recognises these paths.
struct MLflowAPI {
    let store: any TrackingStore

    func addRoutes(to router: Router<AppRequestContext>) {
        MLflowExperimentRoutes(store: store).addRoutes(to: router)
        MLflowRunRoutes(store: store).addRoutes(to: router)
        MLflowLoggingRoutes(store: store).addRoutes(to: router)
        MLflowMetricRoutes(store: store).addRoutes(to: router)
        MLflowModelRoutes().addRoutes(to: router)
    }
}
