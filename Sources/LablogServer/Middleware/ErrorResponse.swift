import Foundation
import Hummingbird
import LablogCore
import NIOCore

/// An error translated for the wire: status, body and extra headers. The one place errors meet HTTP.
///
/// Native routes get the native body; MLflow's paths (`/api/2.0/...`, `/api/3.0/...`) get MLflow's body, codes and
/// statuses (see the extension at the end of the file).
struct ErrorResponse: Sendable {
    /// The two error bodies Lablog speaks.
    enum Body: Encodable, Sendable, Equatable {
        case native(ErrorBody)
        case mlflow(MLflowErrorBody)

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .native(let body): try body.encode(to: encoder)
            case .mlflow(let body): try body.encode(to: encoder)
            }
        }
    }

    var status: HTTPResponse.Status
    var body: Body
    var headers: HTTPFields = [:]
    /// Whether the error is a bug or an outage rather than a refused request; those are logged at `.error`.
    var isUnexpected = false

    /// Maps any error to its response.
    /// - Parameters:
    ///   - error: what a route or middleware threw.
    ///   - path: the request path, for route-not-found messages.
    ///   - uploadLimit: the body limit in bytes, for payload-too-large messages.
    init(for error: any Error, path: String, uploadLimit: Int) {
        if MLflowPaths.isMLflowPath(path) {
            self.init(mlflow: error, uploadLimit: uploadLimit)
            return
        }
        switch error {
        case let error as LablogError:
            self.init(domain: error)
        case let error as TransportError:
            self.init(transport: error)
        case is NIOTooManyBytesError:
            self.init(transport: .payloadTooLarge(limit: uploadLimit))
        case let error as DecodingError:
            // Routes decode through WireJSON, which already translates; this catches a decode made elsewhere.
            self.init(for: WireJSON.translate(error), path: path, uploadLimit: uploadLimit)
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
        self.body = .native(body)
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
}

// MARK: MLflow's error shape

extension ErrorResponse {
    /// Maps any error on an MLflow path to MLflow's body, code and status.
    ///
    /// The mlflow client retries every 5xx (and 429) for minutes and then loses the message, so only outages and
    /// bugs become 5xx here; every deterministic refusal is a 4xx.
    fileprivate init(mlflow error: any Error, uploadLimit: Int) {
        switch error {
        case let error as MLflowError:
            self.init(mlflow: error.code, error.message)
        case let error as LablogError:
            self.init(mlflowDomain: error)
        case let error as TransportError:
            self.init(mlflowTransport: error)
        case is NIOTooManyBytesError:
            self.init(mlflowTransport: .payloadTooLarge(limit: uploadLimit))
        case let error as DecodingError:
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
                self.init(mlflowTransport: .malformedJSON(context.debugDescription))
            } else if let translated = WireJSON.translate(error) as? LablogError {
                self.init(mlflowDomain: translated)
            } else {
                self.init(mlflow: .invalidParameterValue, "Malformed request: \(error)")
            }
        case let error as HTTPError:
            if error.status == .notFound, error.body == nil {
                self.init(mlflowTransport: .routeNotFound(path: ""))
            } else if error.status == .contentTooLarge {
                self.init(mlflowTransport: .payloadTooLarge(limit: uploadLimit))
            } else {
                self.init(mlflowStatus: error.status, message: error.body ?? error.status.reasonPhrase)
            }
            headers.append(contentsOf: error.headers)
        case let error as any HTTPResponseError:
            self.init(mlflowStatus: error.status, message: error.status.reasonPhrase)
        default:
            self.init(mlflow: .internalError, "Internal server error")
        }
    }

    fileprivate init(mlflow code: MLflowErrorCode, _ message: String, status: HTTPResponse.Status? = nil) {
        let status = status ?? code.status
        self.status = status
        body = .mlflow(MLflowErrorBody(errorCode: code.rawValue, message: message))
        isUnexpected = status.code >= 500
    }

    private init(mlflowDomain error: LablogError) {
        switch error {
        case .notFound(let resource, let id):
            let message =
                switch resource {
                case .run: "Run with id=\(id) not found"
                case .experiment: "No Experiment with id=\(id) exists"
                case .tag: "No tag with name: \(id)"
                default: error.message
                }
            self.init(mlflow: .resourceDoesNotExist, message)
        case .alreadyExists(let message):
            self.init(mlflow: .resourceAlreadyExists, message)
        case .paramConflict(let key, let stored, let attempted):
            self.init(
                mlflow: .invalidParameterValue,
                "Changing param values is not allowed. Param with key='\(key)' was already logged with "
                    + "value='\(stored)'. Attempted logging new value '\(attempted)'.")
        case .invalidValue, .invalidFilter, .invalidState, .badRequest, .runLimitReached:
            self.init(mlflow: .invalidParameterValue, error.message)
        case .forbidden(let message):
            self.init(mlflow: .permissionDenied, message)
        case .storageUnavailable:
            self.init(mlflow: .temporarilyUnavailable, error.message)
        }
    }

    private init(mlflowTransport error: TransportError) {
        switch error {
        case .routeNotFound:
            self.init(mlflow: .endpointNotFound, "No MLflow endpoint matches this path")
        case .methodNotAllowed(_, let allowed):
            // MLflow's server answers 405 too; the Allow header tells the caller what would work.
            self.init(mlflow: .endpointNotFound, error.message, status: .methodNotAllowed)
            headers[.allow] = allowed.joined(separator: ", ")
        case .unsupportedMediaType:
            self.init(mlflow: .badRequest, error.message)
        case .malformedJSON:
            self.init(mlflow: .invalidParameterValue, error.message)
        case .payloadTooLarge:
            self.init(mlflow: .invalidParameterValue, error.message, status: .contentTooLarge)
        }
    }

    /// Any other status, with MLflow's code for it; a 5xx stays a 5xx because it is not the caller's fault.
    private init(mlflowStatus status: HTTPResponse.Status, message: String) {
        let code: MLflowErrorCode =
            switch status {
            case .forbidden: .permissionDenied
            case .notFound: .resourceDoesNotExist
            case .serviceUnavailable: .temporarilyUnavailable
            default: status.code >= 500 ? .internalError : .badRequest
            }
        self.init(mlflow: code, message, status: status)
    }
}
