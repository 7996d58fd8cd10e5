import Hummingbird
import Logging

/// Renders every error thrown by a route or an inner middleware as `{"error": ..., "code": ...}` with the
/// right status, so no error reaches Hummingbird's own (empty-bodied) error handling. On MLflow's paths
/// (`/api/2.0/...`, `/api/3.0/...`) the body is MLflow's `{"error_code": ..., "message": ...}` instead, and on
/// browser pages (paths outside `/api/`, `/openapi.json` and `/assets/`, asked for as HTML) an HTML page.
///
/// Unexpected errors become a 500 with a body and are logged at `.error` with the request id.
package struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    package init() {}

    package func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let rendered = ErrorResponse(for: error, path: request.uri.path, uploadLimit: context.maxUploadSize)
            if rendered.isUnexpected {
                context.logger.error(
                    "Request failed",
                    metadata: [
                        "request_id": .string(context.id),
                        "method": .string(request.method.rawValue),
                        "path": .string(request.uri.path),
                        "error": .string(String(reflecting: error)),
                    ])
            }
            return try Self.response(rendered, request: request, context: context)
        }
    }

    /// Encodes the error body with the context's encoder (or as an HTML page) and applies the status and headers.
    static func response(_ rendered: ErrorResponse, request: Request, context: Context) throws -> Response {
        if ErrorPage.wantsPage(request) {
            return ErrorPage.response(rendered)
        }
        var response = try context.responseEncoder.encode(rendered.body, from: request, context: context)
        response.status = rendered.status
        response.headers.append(contentsOf: rendered.headers)
        return response
    }
}
