import Hummingbird
import LablogCore

/// The MLflow 3 calls that classic tracking depends on without using their results: the logged-model search that
/// `list_artifacts` and `download_artifacts` make (and fail on when it is missing), and the server-info probe made
/// before artifact downloads.
struct MLflowModelRoutes {
    func addRoutes(to router: Router<AppRequestContext>) {
        router.post(RouterPath(MLflowPaths.loggedModelsSearch), use: searchLoggedModels)
        router.get(RouterPath(MLflowPaths.serverInfo), use: serverInfo)
    }

    /// `logged-models/search` -> `{}`: Lablog records no logged models, so every search is empty.
    @Sendable func searchLoggedModels(_ request: Request, context: AppRequestContext) async throws -> Response {
        try MLflowJSON.emptyResponse()
    }

    /// `GET /api/3.0/mlflow/server-info`: no multipart or presigned transfers, so clients use plain uploads and
    /// downloads through the artifact proxy.
    @Sendable func serverInfo(_ request: Request, context: AppRequestContext) async throws -> Response {
        try MLflowJSON.response(ServerInfo())
    }

    /// The capabilities the client reads.
    struct ServerInfo: Encodable {
        var storeType = "SqlStore"
        var multipartUploadsEnabled = false
        var multipartDownloadsEnabled = false

        enum CodingKeys: String, CodingKey {
            case storeType = "store_type"
            case multipartUploadsEnabled = "multipart_uploads_enabled"
            case multipartDownloadsEnabled = "multipart_downloads_enabled"
        }
    }
}
