/// Every URL of MLflow's Tracking REST API that Lablog serves, defined once for the router and the tests.
package enum MLflowPaths {
    /// The prefix of MLflow's tracking endpoints.
    package static let tracking = "/api/2.0/mlflow/"

    package static let experimentsCreate = tracking + "experiments/create"
    package static let experimentsGet = tracking + "experiments/get"
    package static let experimentsGetByName = tracking + "experiments/get-by-name"
    package static let experimentsSearch = tracking + "experiments/search"
    package static let experimentsUpdate = tracking + "experiments/update"
    package static let experimentsDelete = tracking + "experiments/delete"
    package static let experimentsRestore = tracking + "experiments/restore"
    package static let experimentsSetTag = tracking + "experiments/set-experiment-tag"
    package static let experimentsDeleteTag = tracking + "experiments/delete-experiment-tag"

    package static let runsCreate = tracking + "runs/create"
    package static let runsGet = tracking + "runs/get"
    package static let runsUpdate = tracking + "runs/update"
    package static let runsDelete = tracking + "runs/delete"
    package static let runsRestore = tracking + "runs/restore"
    package static let runsSearch = tracking + "runs/search"

    package static let runsLogMetric = tracking + "runs/log-metric"
    /// MLflow spells it `log-parameter`, not `log-param`.
    package static let runsLogParameter = tracking + "runs/log-parameter"
    package static let runsLogBatch = tracking + "runs/log-batch"
    package static let runsSetTag = tracking + "runs/set-tag"
    package static let runsDeleteTag = tracking + "runs/delete-tag"
    package static let runsLogInputs = tracking + "runs/log-inputs"
    package static let runsOutputs = tracking + "runs/outputs"
    package static let runsLogModel = tracking + "runs/log-model"

    package static let metricsGetHistory = tracking + "metrics/get-history"
    package static let metricsGetHistoryBulkInterval = tracking + "metrics/get-history-bulk-interval"

    package static let loggedModelsSearch = tracking + "logged-models/search"
    /// The capability probe the client sends before artifact downloads; it lives under `/api/3.0/`.
    package static let serverInfo = "/api/3.0/mlflow/server-info"

    /// Whether `path` belongs to MLflow's APIs (tracking, artifact proxy, 3.0 extras), whose errors take MLflow's
    /// shape rather than the native one.
    package static func isMLflowPath(_ path: String) -> Bool {
        path.hasPrefix("/api/2.0/") || path.hasPrefix("/api/3.0/")
    }
}
