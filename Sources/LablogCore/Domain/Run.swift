/// The status of a run, with MLflow's names.
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    case running = "RUNNING"
    case scheduled = "SCHEDULED"
    case finished = "FINISHED"
    case failed = "FAILED"
    case killed = "KILLED"

    /// Whether the status ends a run.
    public var isTerminal: Bool { self == .finished || self == .failed || self == .killed }

    /// Parses a status name in any case.
    public init?(name: String) {
        self.init(rawValue: name.uppercased())
    }
}

/// One training or evaluation execution.
public struct Run: Sendable, Equatable {
    public var id: RunID
    public var experimentID: ExperimentID
    public var name: String
    public var status: RunStatus
    /// Start time in milliseconds since the Unix epoch.
    public var startTime: Int64
    /// End time in milliseconds, once the run has ended.
    public var endTime: Int64?
    public var lifecycle: Lifecycle
    public var parentRunID: RunID?
    public var artifactURI: String
    public var userID: String
    /// Params sorted by key.
    public var params: [KeyValue]
    /// Tags sorted by key.
    public var tags: [Tag]
    /// The latest point of every metric key, sorted by key.
    public var latestMetrics: [MetricPoint]
    /// The datasets the run read, in the order they were first logged.
    public var inputs: [DatasetInput]

    /// Makes a run value.
    public init(
        id: RunID, experimentID: ExperimentID, name: String, status: RunStatus, startTime: Int64, endTime: Int64?,
        lifecycle: Lifecycle, parentRunID: RunID?, artifactURI: String, userID: String, params: [KeyValue],
        tags: [Tag], latestMetrics: [MetricPoint], inputs: [DatasetInput] = []
    ) {
        self.id = id
        self.experimentID = experimentID
        self.name = name
        self.status = status
        self.startTime = startTime
        self.endTime = endTime
        self.lifecycle = lifecycle
        self.parentRunID = parentRunID
        self.artifactURI = artifactURI
        self.userID = userID
        self.params = params
        self.tags = tags
        self.latestMetrics = latestMetrics
        self.inputs = inputs
    }
}

/// What is needed to create a run.
public struct NewRun: Sendable, Equatable {
    public var experimentID: ExperimentID
    /// A name; one is generated when nil or empty.
    public var name: String?
    public var status: RunStatus
    /// Start time in milliseconds; the store's clock when nil.
    public var startTime: Int64?
    public var parentRunID: RunID?
    public var userID: String
    public var params: [KeyValue]
    public var tags: [KeyValue]
    public var metrics: [MetricPoint]

    /// Makes a creation request; validation happens in the store call.
    public init(
        experimentID: ExperimentID, name: String? = nil, status: RunStatus = .running, startTime: Int64? = nil,
        parentRunID: RunID? = nil, userID: String = "", params: [KeyValue] = [], tags: [KeyValue] = [],
        metrics: [MetricPoint] = []
    ) {
        self.experimentID = experimentID
        self.name = name
        self.status = status
        self.startTime = startTime
        self.parentRunID = parentRunID
        self.userID = userID
        self.params = params
        self.tags = tags
        self.metrics = metrics
    }
}

/// A partial update of a run: nil fields are left unchanged.
public struct RunUpdate: Sendable, Equatable {
    public var name: String?
    public var status: RunStatus?
    /// End time in milliseconds. When the status becomes terminal and this is nil, the store's clock is used.
    public var endTime: Int64?

    /// Makes a partial update.
    public init(name: String? = nil, status: RunStatus? = nil, endTime: Int64? = nil) {
        self.name = name
        self.status = status
        self.endTime = endTime
    }

    /// The status and end time this update writes to a run that now has `status` and `endTime`; nil fields are
    /// left as they are.
    ///
    /// A run ends once: ending a run that has already ended with another status, or at another explicit end time,
    /// is refused, so when two clients finish the same run at once exactly one of them wins and the other is told
    /// how the run ended. Repeating the ending that was applied changes nothing (a retried request succeeds).
    /// Setting the status back to RUNNING resumes an ended run, which may then end again. The end time alone can
    /// always be edited. `now` stamps an ending that names no end time.
    public func change(
        of id: RunID, status current: RunStatus, endTime currentEnd: Int64?, now: Int64
    ) throws -> (status: RunStatus?, endTime: Int64?) {
        guard let status else { return (nil, endTime) }
        guard status.isTerminal else { return (status, endTime) }
        guard current.isTerminal else { return (status, endTime ?? now) }
        if status == current && (endTime == nil || endTime == currentEnd) { return (nil, nil) }
        let ended = currentEnd.map { " at \($0)" } ?? ""
        let asked = endTime.map { " at \($0)" } ?? ""
        throw LablogError.invalidState(
            "Run \(id) has already ended as \(current.rawValue)\(ended), so it cannot end again as "
                + "\(status.rawValue)\(asked); set its status to RUNNING first to resume it")
    }
}
