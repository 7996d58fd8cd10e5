import Hummingbird
import LablogCore
import Logging
import NIOCore

/// The utility endpoints: health, demo seeding, dashboard data and the OpenAPI document.
struct SystemRoutes {
    let store: any TrackingStore
    let configuration: ServerConfiguration
    /// The serialized OpenAPI document, built once.
    let openAPIDocument: ByteBuffer

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(Paths.health), use: health)
        router.post(RouterPath(Paths.seed), use: seed)
        router.get(RouterPath(Paths.dashboardData), use: dashboardData)
        router.get(RouterPath(Paths.openAPI), use: openAPI)
    }

    /// `GET /api/health`: `{"status": "ok"}` after a real database query; 503 when it fails.
    @Sendable func health(_ request: Request, context: AppRequestContext) async throws -> HealthResponse {
        do {
            try await store.checkHealth()
        } catch let error as LablogError {
            throw error
        } catch {
            throw LablogError.storageUnavailable("\(error)")
        }
        return HealthResponse(status: "ok")
    }

    /// `POST /api/seed`: creates the demo data set when seeding is enabled; idempotent.
    @Sendable func seed(_ request: Request, context: AppRequestContext) async throws -> SeedResponse {
        guard configuration.seedEnabled else {
            throw LablogError.forbidden(
                "Seeding is disabled; enable it with --enable-seed, SEED_ON_STARTUP=true or DEBUG=true")
        }
        let summary = try await DemoData.seed(into: store)
        context.logger.info(
            "Seeded demo data",
            metadata: ["experiments": "\(summary.experimentsCreated)", "runs": "\(summary.runsCreated)"])
        return SeedResponse(summary)
    }

    /// `GET /api/dashboard/data?metric=accuracy&goal=max`: what the dashboard charts.
    @Sendable func dashboardData(_ request: Request, context: AppRequestContext) async throws -> DashboardResponse {
        let query = request.uri.queryParameters
        let metric = query.get("metric") ?? "accuracy"
        guard !metric.isEmpty, metric.count <= Limits.maxKeyLength else {
            throw LablogError.badRequest(
                "Query parameter 'metric' must be a metric key of 1 to \(Limits.maxKeyLength) characters")
        }
        let goalText = query.get("goal") ?? MetricGoal.max.rawValue
        guard let goal = MetricGoal(rawValue: goalText.lowercased()) else {
            throw LablogError.badRequest("Query parameter 'goal' must be 'max' or 'min', not '\(goalText)'")
        }
        return DashboardResponse(try await store.dashboard(metric: metric, goal: goal))
    }

    /// `GET /openapi.json`: the OpenAPI 3.1 document of the native API.
    @Sendable func openAPI(_ request: Request, context: AppRequestContext) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: openAPIDocument))
    }
}
