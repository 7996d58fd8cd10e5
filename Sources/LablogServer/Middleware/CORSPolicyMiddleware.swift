import HTTPTypes
import Hummingbird

/// Applies `CORS_ORIGINS`: Hummingbird's CORS middleware for `*`, and for a list of origins the same
/// middleware only when the request's `Origin` is on the list (others get no CORS headers, so browsers refuse).
struct CORSPolicyMiddleware<Context: RequestContext>: RouterMiddleware {
    let allowedOrigins: Set<String>?
    let cors: CORSMiddleware<Context>

    /// Returns nil for ``CORSOrigins/sameOrigin``: no middleware at all.
    init?(_ origins: CORSOrigins) {
        let methods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete, .head, .options]
        switch origins {
        case .sameOrigin:
            return nil
        case .any:
            allowedOrigins = nil
            cors = CORSMiddleware(
                allowOrigin: .all, allowHeaders: Self.allowedHeaders, allowMethods: methods,
                exposedHeaders: Self.exposed)
        case .list(let list):
            allowedOrigins = Set(list)
            cors = CORSMiddleware(
                allowOrigin: .originBased, allowHeaders: Self.allowedHeaders, allowMethods: methods,
                exposedHeaders: Self.exposed)
        }
    }

    /// Request headers scripts may send.
    private static var allowedHeaders: [HTTPField.Name] {
        [.accept, .authorization, .contentType, .origin, HTTPField.Name("X-Request-ID")!]
    }

    /// Response headers scripts may read: pagination, locations and request ids.
    private static var exposed: [String] { ["Link", "X-Total-Count", "X-Request-ID", "Location"] }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let allowedOrigins {
            guard let origin = request.headers[.origin], allowedOrigins.contains(origin.lowercased()) else {
                return try await next(request, context)
            }
        }
        var response = try await cors.handle(request, context: context, next: next)
        // Hummingbird sends the exposed headers on preflights only; browsers read them from actual responses.
        if request.method != .options, response.headers[.accessControlAllowOrigin] != nil {
            response.headers[.accessControlExposeHeaders] = Self.exposed.joined(separator: ", ")
        }
        return response
    }
}
