/// The integer id of an experiment. Id 0 is the "Default" experiment MLflow clients expect.
public typealias ExperimentID = Int64

/// A named container of runs.
public struct Experiment: Sendable, Equatable, Codable {
    public var id: ExperimentID
    public var name: String
    public var description: String?
    public var status: ExperimentStatus
    public var lifecycle: Lifecycle
    public var tags: [Tag]
    /// Creation time in milliseconds since the Unix epoch.
    public var createdAt: Int64
    /// Last update time in milliseconds since the Unix epoch.
    public var updatedAt: Int64
    /// Number of runs in the experiment (active and deleted).
    public var runCount: Int
    /// Start time of the newest run, in milliseconds, if the experiment has runs.
    public var lastRunAt: Int64?
    /// Where the experiment's artifacts live, when it was given one at creation.
    public var artifactLocation: String?

    /// Makes an experiment value.
    public init(
        id: ExperimentID, name: String, description: String?, status: ExperimentStatus, lifecycle: Lifecycle,
        tags: [Tag], createdAt: Int64, updatedAt: Int64, runCount: Int = 0, lastRunAt: Int64? = nil,
        artifactLocation: String? = nil
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.status = status
        self.lifecycle = lifecycle
        self.tags = tags
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.runCount = runCount
        self.lastRunAt = lastRunAt
        self.artifactLocation = artifactLocation
    }
}

/// The status of an experiment, as the legacy tracker had it.
public enum ExperimentStatus: String, Sendable, Codable, CaseIterable {
    case running, completed, failed
}

/// Whether an entity is live or in the trash.
public enum Lifecycle: String, Sendable, Codable, CaseIterable {
    case active, deleted
}

/// A key/value label on an experiment or a run. The value may be empty ("label" tags).
public struct Tag: Sendable, Equatable, Codable {
    /// The stable id used by the legacy `DELETE .../tags/{tag_id}` endpoints.
    public var id: Int64
    public var key: String
    public var value: String

    /// Makes a tag value.
    public init(id: Int64, key: String, value: String) {
        self.id = id
        self.key = key
        self.value = value
    }
}

/// A key/value pair to set: a tag or a param before it is stored.
public struct KeyValue: Sendable, Equatable, Hashable, Codable {
    public var key: String
    public var value: String

    /// Makes a key/value pair.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// What is needed to create an experiment.
public struct NewExperiment: Sendable, Equatable {
    public var name: String
    public var description: String?
    public var status: ExperimentStatus
    public var tags: [KeyValue]
    public var artifactLocation: String?

    /// Makes a creation request; validation happens in the store call.
    public init(
        name: String, description: String? = nil, status: ExperimentStatus = .running, tags: [KeyValue] = [],
        artifactLocation: String? = nil
    ) {
        self.name = name
        self.description = description
        self.status = status
        self.tags = tags
        self.artifactLocation = artifactLocation
    }
}

/// A partial update of an experiment: nil fields are left unchanged.
public struct ExperimentUpdate: Sendable, Equatable {
    public var name: String?
    /// `.some(nil)` clears the description.
    public var description: String??
    public var status: ExperimentStatus?

    /// Makes a partial update.
    public init(name: String? = nil, description: String?? = nil, status: ExperimentStatus? = nil) {
        self.name = name
        self.description = description
        self.status = status
    }
}
