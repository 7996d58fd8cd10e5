import Hummingbird
import LablogCore

/// MLflow's Tracking REST API under `/api/2.0/mlflow/`, on the same store as the native API.
struct MLflowAPI {
    let store: any TrackingStore
    let configuration: ServerConfiguration

    func addRoutes(to router: Router<AppRequestContext>) {
    }
}
