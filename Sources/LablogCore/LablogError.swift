/// Every failure the domain reports, each with a stable machine code.
///
/// Core never chooses an HTTP status: the server's error middleware maps each case for its wire format.
public enum LablogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of thing that can be missing.
    public enum Resource: String, Sendable {
        case experiment, run, tag, metric, param

        /// The resource's name for messages.
        public var displayName: String {
            switch self {
            case .experiment: "Experiment"
            case .run: "Run"
            case .tag: "Tag"
            case .metric: "Metric"
            case .param: "Param"
            }
        }
    }

    /// A named entity does not exist.
    case notFound(Resource, String)
    /// A unique name or key is already taken.
    case alreadyExists(String)
    /// An input value breaks a rule; `field` names it for the caller.
    case invalidValue(field: String, reason: String)
    /// A param was logged again with a different value.
    case paramConflict(key: String, stored: String, attempted: String)
    /// A filter or order-by string does not parse or type-check.
    case invalidFilter(FilterError)
    /// An experiment already holds the configured maximum number of runs.
    case runLimitReached(experimentID: ExperimentID, limit: Int)
    /// The operation is not allowed in the entity's current state (for example a write to a deleted run).
    case invalidState(String)
    /// The request itself is malformed (bad query parameter, bad cursor).
    case badRequest(String)
    /// The operation is switched off by configuration.
    case forbidden(String)
    /// The storage backend cannot be reached.
    case storageUnavailable(String)

    /// A stable, machine-readable code for the error.
    public var code: String {
        switch self {
        case .notFound(let resource, _): "\(resource.rawValue.uppercased())_NOT_FOUND"
        case .alreadyExists: "ALREADY_EXISTS"
        case .invalidValue: "VALIDATION_FAILED"
        case .paramConflict: "PARAM_CONFLICT"
        case .invalidFilter: "INVALID_FILTER"
        case .runLimitReached: "RUN_LIMIT_REACHED"
        case .invalidState: "INVALID_STATE"
        case .badRequest: "BAD_REQUEST"
        case .forbidden: "FORBIDDEN"
        case .storageUnavailable: "STORAGE_UNAVAILABLE"
        }
    }

    /// A human-readable message.
    public var message: String {
        switch self {
        case .notFound(let resource, let id): "\(resource.displayName) '\(id)' does not exist"
        case .alreadyExists(let message): message
        case .invalidValue(let field, let reason): "Invalid value for '\(field)': \(reason)"
        case .paramConflict(let key, let stored, let attempted):
            "Param '\(key)' is already logged with value '\(stored)'; params are immutable, "
                + "so the new value '\(attempted)' was refused"
        case .invalidFilter(let error): error.description
        case .runLimitReached(let experimentID, let limit):
            "Experiment \(experimentID) already has \(limit) runs, the maximum allowed by MAX_RUNS_PER_EXPERIMENT"
        case .invalidState(let message): message
        case .badRequest(let message): message
        case .forbidden(let message): message
        case .storageUnavailable(let message): "The database is unavailable: \(message)"
        }
    }

    public var description: String { "\(code): \(message)" }
}
