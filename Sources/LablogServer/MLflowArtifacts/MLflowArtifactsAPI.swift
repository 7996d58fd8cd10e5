import Hummingbird
import LablogCore

/// MLflow's artifact proxy under `/api/2.0/mlflow-artifacts/`: uploads, downloads and listings of run files.
struct MLflowArtifactsAPI {
    let configuration: ServerConfiguration

    func addRoutes(to router: Router<AppRequestContext>) {
    }
}
