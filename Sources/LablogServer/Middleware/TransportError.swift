/// Failures of the HTTP layer itself, before a request reaches the domain.
package enum TransportError: Error, Sendable, Equatable {
    /// No route matches the path.
    case routeNotFound(path: String)
    /// The path exists, but not with this method.
    case methodNotAllowed(method: String, allowed: [String])
    /// The body's content type is not the one the route reads.
    case unsupportedMediaType(String)
    /// The body is not valid JSON, or not the JSON shape the route reads.
    case malformedJSON(String)
    /// The body is larger than the route accepts.
    case payloadTooLarge(limit: Int)

    package var code: String {
        switch self {
        case .routeNotFound: "ROUTE_NOT_FOUND"
        case .methodNotAllowed: "METHOD_NOT_ALLOWED"
        case .unsupportedMediaType: "UNSUPPORTED_MEDIA_TYPE"
        case .malformedJSON: "MALFORMED_JSON"
        case .payloadTooLarge: "PAYLOAD_TOO_LARGE"
        }
    }

    package var message: String {
        switch self {
        case .routeNotFound(let path): "No route matches '\(path)'"
        case .methodNotAllowed(let method, let allowed):
            "Method \(method) is not allowed here; allowed: \(allowed.joined(separator: ", "))"
        case .unsupportedMediaType(let type): "Unsupported content type '\(type)'; send application/json"
        case .malformedJSON(let reason): "Malformed JSON body: \(reason)"
        case .payloadTooLarge(let limit): "The request body exceeds the limit of \(limit) bytes"
        }
    }
}
