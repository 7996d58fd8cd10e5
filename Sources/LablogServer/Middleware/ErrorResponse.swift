import Foundation
import Hummingbird
import LablogCore
import NIOCore

/// An error translated for the wire: status, body and extra headers. The one place errors meet HTTP.
struct ErrorResponse: Sendable {
    var status: HTTPResponse.Status
    var body: ErrorBody
    var headers: HTTPFields = [:]
    /// Whether the error is a bug or an outage rather than a refused request; those are logged at `.error`.
    var isUnexpected = false

    /// Maps any error to its response.
    /// - Parameters:
    ///   - error: what a route or middleware threw.
    ///   - path: the request path, for route-not-found messages.
    ///   - uploadLimit: the body limit in bytes, for payload-too-large messages.
    init(for error: any Error, path: String, uploadLimit: Int) {
        switch error {
        case let error as LablogError:
            self.init(domain: error)
        case let error as TransportError:
            self.init(transport: error)
        case is NIOTooManyBytesError:
            self.init(transport: .payloadTooLarge(limit: uploadLimit))
        case let error as DecodingError:
            self.init(decoding: error)
        case let error as HTTPError:
            self.init(http: error, path: path, uploadLimit: uploadLimit)
        case let error as any HTTPResponseError:
            self.init(status: error.status, message: error.status.reasonPhrase)
        default:
            self.init(
                status: .internalServerError, body: ErrorBody(error: "Internal server error", code: "INTERNAL_ERROR"))
            isUnexpected = true
        }
    }

    init(status: HTTPResponse.Status, body: ErrorBody) {
        self.status = status
        self.body = body
    }

    private init(domain error: LablogError) {
        let status: HTTPResponse.Status =
            switch error {
            case .notFound: .notFound
            case .alreadyExists, .paramConflict, .runLimitReached, .invalidState: .conflict
            case .invalidValue: .unprocessableContent
            case .invalidFilter, .badRequest: .badRequest
            case .forbidden: .forbidden
            case .storageUnavailable: .serviceUnavailable
            }
        var body = ErrorBody(error: error.message, code: error.code)
        if case .invalidFilter(let filterError) = error { body.position = filterError.position }
        if case .invalidValue(let field, _) = error { body.field = field }
        self.init(status: status, body: body)
        isUnexpected = status == .serviceUnavailable
    }

    private init(transport error: TransportError) {
        let status: HTTPResponse.Status =
            switch error {
            case .routeNotFound: .notFound
            case .methodNotAllowed: .methodNotAllowed
            case .unsupportedMediaType: .unsupportedMediaType
            case .malformedJSON: .badRequest
            case .payloadTooLarge: .contentTooLarge
            }
        self.init(status: status, body: ErrorBody(error: error.message, code: error.code))
        if case .methodNotAllowed(_, let allowed) = error {
            headers[.allow] = allowed.joined(separator: ", ")
        }
    }

    /// Syntax errors are malformed JSON (400); a wrong type or a missing key is a validation failure (422) that
    /// names the field path.
    private init(decoding error: DecodingError) {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            self.init(transport: .malformedJSON(Self.syntaxReason(context)))
        case .dataCorrupted(let context):
            self.init(field: context.codingPath.dottedPath, reason: context.debugDescription)
        case .keyNotFound(let key, let context):
            self.init(field: (context.codingPath + [key]).dottedPath, reason: "is required")
        case .valueNotFound(let type, let context):
            self.init(field: context.codingPath.dottedPath, reason: "must be \(Self.typeName(type)), not null")
        case .typeMismatch(let type, let context):
            self.init(field: context.codingPath.dottedPath, reason: "must be \(Self.typeName(type))")
        @unknown default:
            self.init(transport: .malformedJSON("\(error)"))
        }
    }

    private init(field: String, reason: String) {
        let shownField = field.isEmpty ? "body" : field
        self.init(domain: .invalidValue(field: shownField, reason: reason))
    }

    private init(http error: HTTPError, path: String, uploadLimit: Int) {
        switch error.status {
        case .notFound where error.body == nil:
            self.init(transport: .routeNotFound(path: path))
        case .contentTooLarge:
            self.init(transport: .payloadTooLarge(limit: uploadLimit))
        default:
            self.init(status: error.status, message: error.body ?? error.status.reasonPhrase)
        }
        headers.append(contentsOf: error.headers)
    }

    /// Any other status, with a code derived from it.
    private init(status: HTTPResponse.Status, message: String) {
        let code =
            switch status {
            case .badRequest: "BAD_REQUEST"
            case .unauthorized: "UNAUTHORIZED"
            case .forbidden: "FORBIDDEN"
            case .notFound: "NOT_FOUND"
            case .methodNotAllowed: "METHOD_NOT_ALLOWED"
            case .conflict: "CONFLICT"
            case .contentTooLarge: "PAYLOAD_TOO_LARGE"
            case .unsupportedMediaType: "UNSUPPORTED_MEDIA_TYPE"
            case .unprocessableContent: "VALIDATION_FAILED"
            case .tooManyRequests: "TOO_MANY_REQUESTS"
            case .serviceUnavailable: "SERVICE_UNAVAILABLE"
            default: status.code >= 500 ? "INTERNAL_ERROR" : "HTTP_\(status.code)"
            }
        self.init(status: status, body: ErrorBody(error: message, code: code))
        isUnexpected = status.code >= 500
    }

    private static func syntaxReason(_ context: DecodingError.Context) -> String {
        if let underlying = context.underlyingError {
            return "\(context.debugDescription) (\(underlying.localizedDescription))"
        }
        return context.debugDescription
    }

    private static func typeName(_ type: Any.Type) -> String {
        let name = String(describing: type)
        switch name {
        case "String": return "a string"
        case "Bool": return "a boolean"
        case "Int", "Int64", "Int32", "UInt", "UInt64": return "an integer"
        case "Double", "Float": return "a number"
        default:
            if name.hasPrefix("Array<") { return "an array" }
            if name.hasPrefix("Dictionary<") { return "an object" }
            return "a value of type \(name)"
        }
    }
}

extension [any CodingKey] {
    /// `metrics[2].value`: the path of a decoding error as a user would write it.
    var dottedPath: String {
        var path = ""
        for key in self {
            if let index = key.intValue {
                path += "[\(index)]"
            } else {
                path += path.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return path
    }
}
