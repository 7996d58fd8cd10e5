public import Hummingbird
public import LablogCore
public import Logging

/// Builds the Lablog application: routes, middleware and services, on the given store.
///
/// `main` and every test call this; tests pass an in-memory store and port 0. Before the server accepts
/// connections the store is migrated, and the demo data is seeded when `SEED_ON_STARTUP` is set.
/// - Parameters:
///   - configuration: the validated server configuration.
///   - store: the tracking store.
///   - logger: the application logger; requests log through it with their request id.
/// - Throws: when a page template compiled into the binary does not parse, so a broken build fails at start.
public func buildApplication(
    configuration: ServerConfiguration, store: any TrackingStore, logger: Logger = Logger(label: "lablog")
) throws -> some ApplicationProtocol {
    let built = try buildRouter(configuration: configuration, store: store)
    var app = Application(
        router: built.router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "lablog"),
        logger: logger
    )
    app.beforeServerStarts {
        try await store.migrate()
        if configuration.seedOnStartup {
            let summary = try await DemoData.seed(into: store)
            logger.info(
                "Seeded demo data",
                metadata: ["experiments": "\(summary.experimentsCreated)", "runs": "\(summary.runsCreated)"])
        }
    }
    return app
}

/// The application's router, and which of its routes only exist to answer 405.
package struct LablogRouter {
    package let router: Router<AppRequestContext>
    /// The (method, path) fallbacks that answer 405 Method Not Allowed; every other route is real.
    package let methodNotAllowedRoutes: Set<RouteKey>

    /// The routes that do something: every registered route but the 405 fallbacks.
    package var realRoutes: Set<RouteKey> { router.routeKeys.subtracting(methodNotAllowedRoutes) }
}

/// Builds the router: middleware first (it only applies to routes added after it), then the native API, the
/// system routes, and last the 405 fallbacks, which need the full route list.
///
/// The outer middleware (request id, logging, CORS) cannot throw, so the error middleware is the first that
/// sees errors and every error reaches the client in the one error format, CORS headers and request id included.
package func buildRouter(configuration: ServerConfiguration, store: any TrackingStore) throws -> LablogRouter {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: RequestLoggingMiddleware())
    if let cors = CORSPolicyMiddleware<AppRequestContext>(configuration.corsOrigins) {
        router.add(middleware: cors)
    }
    router.add(middleware: ErrorMiddleware())
    NativeAPI(store: store).addRoutes(to: router)
    MLflowAPI(store: store).addRoutes(to: router)
    MLflowArtifactsAPI(configuration: configuration).addRoutes(to: router)
    WebUI(store: store, configuration: configuration, pages: try PageRenderer()).addRoutes(to: router)
    SystemRoutes(store: store, configuration: configuration, openAPIDocument: OpenAPIDocument.serialized)
        .addRoutes(to: router)
    let fallbacks = router.addMethodNotAllowedFallbacks()
    return LablogRouter(router: router, methodNotAllowedRoutes: fallbacks)
}
