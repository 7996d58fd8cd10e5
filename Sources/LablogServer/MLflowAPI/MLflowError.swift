import Hummingbird

/// The MLflow error codes Lablog answers with, each with the HTTP status MLflow's server pairs it with.
package enum MLflowErrorCode: String, Sendable, Equatable {
    case invalidParameterValue = "INVALID_PARAMETER_VALUE"
    case resourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST"
    /// MLflow answers a taken name with 400, not 409, and `set_experiment` relies on the code.
    case resourceAlreadyExists = "RESOURCE_ALREADY_EXISTS"
    case endpointNotFound = "ENDPOINT_NOT_FOUND"
    case badRequest = "BAD_REQUEST"
    case permissionDenied = "PERMISSION_DENIED"
    case temporarilyUnavailable = "TEMPORARILY_UNAVAILABLE"
    case internalError = "INTERNAL_ERROR"

    /// The status MLflow's server sends with the code.
    package var status: HTTPResponse.Status {
        switch self {
        case .invalidParameterValue, .resourceAlreadyExists, .badRequest: .badRequest
        case .resourceDoesNotExist, .endpointNotFound: .notFound
        case .permissionDenied: .forbidden
        case .temporarilyUnavailable: .serviceUnavailable
        case .internalError: .internalServerError
        }
    }
}

/// A failure stated in MLflow's terms, for the cases where a route must pick MLflow's exact code or wording.
///
/// Domain failures stay ``LablogCore/LablogError``s; the error middleware translates those for MLflow paths.
package struct MLflowError: Error, Sendable, Equatable {
    package var code: MLflowErrorCode
    package var message: String

    /// Makes an error with a code and a message.
    package init(_ code: MLflowErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A required field that is absent or empty, in MLflow's words.
    package static func missingParameter(_ name: String) -> MLflowError {
        MLflowError(
            .invalidParameterValue,
            "Missing value for required parameter '\(name)'. See the API docs for more information about request "
                + "parameters.")
    }

    /// A field whose value is unusable.
    package static func invalidParameter(_ name: String, _ reason: String) -> MLflowError {
        MLflowError(.invalidParameterValue, "Invalid value for parameter '\(name)' supplied: \(reason)")
    }
}

/// The body of every MLflow error: `{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "..."}`.
struct MLflowErrorBody: Encodable, Sendable, Equatable {
    var errorCode: String
    var message: String

    enum CodingKeys: String, CodingKey {
        case errorCode = "error_code"
        case message
    }
}
