import Hummingbird
import Logging

/// Logs one line per request: method, path, status and duration.
///
/// Successful health checks are logged at `.debug` so probes do not drown the log; everything else at `.info`.
struct RequestLoggingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        let isProbe = request.method == .get && request.uri.path == Paths.health && response.status == .ok
        let level: Logger.Level = isProbe ? .debug : .info
        context.logger.log(
            level: level,
            "\(request.method) \(request.uri.path) \(response.status.code)",
            metadata: [
                "method": .string(request.method.rawValue),
                "path": .string(request.uri.path),
                "status": .stringConvertible(response.status.code),
                "duration_ms": .stringConvertible((milliseconds * 100).rounded() / 100),
            ])
        return response
    }
}
