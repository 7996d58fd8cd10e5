/// An experiment as stored, for copying between backends: every column, and its tags (with their ids, which the
/// legacy tag endpoints address) in id order.
public struct TransferExperiment: Sendable, Equatable {
    /// The experiment id, kept by the copy.
    public var id: ExperimentID
    /// The unique name.
    public var name: String
    /// The description, if any.
    public var description: String?
    /// `running`, `completed` or `failed`.
    public var status: String
    /// `active` or `deleted`.
    public var lifecycle: String
    /// Where its artifacts live; copied as is, the files are not moved.
    public var artifactLocation: String?
    /// Milliseconds since the Unix epoch.
    public var createdAt: Int64
    /// When it last changed, in milliseconds since the Unix epoch.
    public var updatedAt: Int64
    /// How many runs were ever created in it.
    public var runCount: Int64
    /// When its last run was created, in milliseconds since the Unix epoch.
    public var lastRunAt: Int64?
    /// Its tags with their ids, in id order.
    public var tags: [Tag]

    /// Makes a record; `tags` are in id order.
    public init(
        id: ExperimentID, name: String, description: String?, status: String, lifecycle: String,
        artifactLocation: String?, createdAt: Int64, updatedAt: Int64, runCount: Int64, lastRunAt: Int64?,
        tags: [Tag]
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.status = status
        self.lifecycle = lifecycle
        self.artifactLocation = artifactLocation
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.runCount = runCount
        self.lastRunAt = lastRunAt
        self.tags = tags
    }
}

/// A dataset registered in an experiment, keyed by (experiment, name, digest).
public struct TransferDataset: Sendable, Equatable {
    /// The experiment the dataset is registered in.
    public var experimentID: ExperimentID
    /// The name, unique with the digest in its experiment.
    public var name: String
    /// The digest of the content.
    public var digest: String
    /// The kind of source (`http`, `local`, ...).
    public var sourceType: String
    /// Where the data came from.
    public var source: String
    /// The schema document, if any.
    public var schema: String?
    /// The profile document, if any.
    public var profile: String?

    /// Makes a record.
    public init(
        experimentID: ExperimentID, name: String, digest: String, sourceType: String, source: String,
        schema: String?, profile: String?
    ) {
        self.experimentID = experimentID
        self.name = name
        self.digest = digest
        self.sourceType = sourceType
        self.source = source
        self.schema = schema
        self.profile = profile
    }
}

/// A run as stored, for copying between backends: its columns, params and latest metrics by key, tags (with
/// their ids) and inputs in the order they were stored, and its parent by run id. Histories travel separately,
/// chunk by chunk.
public struct TransferRun: Sendable, Equatable {
    /// The run id (32 lowercase hex characters).
    public var id: String
    /// The experiment the run belongs to.
    public var experimentID: ExperimentID
    /// The run name.
    public var name: String
    /// `RUNNING`, `SCHEDULED`, `FINISHED`, `FAILED` or `KILLED`.
    public var status: String
    /// Milliseconds since the Unix epoch.
    public var startTime: Int64
    /// When it ended, if it did.
    public var endTime: Int64?
    /// `active` or `deleted`.
    public var lifecycle: String
    /// The parent run's id; imports link it only when the parent is already there (see
    /// ``StoreTransfer/importParentLinks(_:)``).
    public var parentID: String?
    /// Where its artifacts live; copied as is, the files are not moved.
    public var artifactURI: String
    /// Who ran it.
    public var userID: String
    /// Params by key.
    public var params: [KeyValue]
    /// Tags with their ids, in id order.
    public var tags: [Tag]
    /// The materialised latest value of each metric, by key.
    public var latestMetrics: [TransferLatestMetric]
    /// The datasets it read, in the order they were logged.
    public var inputs: [TransferInput]

    /// Makes a record; each list must already be in the order the type describes.
    public init(
        id: String, experimentID: ExperimentID, name: String, status: String, startTime: Int64, endTime: Int64?,
        lifecycle: String, parentID: String?, artifactURI: String, userID: String, params: [KeyValue],
        tags: [Tag], latestMetrics: [TransferLatestMetric], inputs: [TransferInput]
    ) {
        self.id = id
        self.experimentID = experimentID
        self.name = name
        self.status = status
        self.startTime = startTime
        self.endTime = endTime
        self.lifecycle = lifecycle
        self.parentID = parentID
        self.artifactURI = artifactURI
        self.userID = userID
        self.params = params
        self.tags = tags
        self.latestMetrics = latestMetrics
        self.inputs = inputs
    }
}

/// A run's materialised latest value of one metric.
public struct TransferLatestMetric: Sendable, Equatable {
    /// The metric key.
    public var key: String
    /// The value; NaN and ±Infinity are legal.
    public var value: Double
    /// The step of the latest point.
    public var step: Int64
    /// Its time in milliseconds since the Unix epoch.
    public var timestamp: Int64

    /// Makes a record.
    public init(key: String, value: Double, step: Int64, timestamp: Int64) {
        self.key = key
        self.value = value
        self.step = step
        self.timestamp = timestamp
    }

    /// Equality that treats two NaN values as equal, so a copied value compares equal to its original.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.key == rhs.key && lhs.step == rhs.step && lhs.timestamp == rhs.timestamp
            && (lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN))
    }
}

/// A dataset a run read: the dataset by name and digest in the run's experiment, the context ('' for none) and
/// the input's tags by key.
public struct TransferInput: Sendable, Equatable {
    /// The dataset, by name and digest within the run's experiment.
    public var datasetName: String
    /// The dataset's digest.
    public var datasetDigest: String
    /// The context the dataset was used in; empty for none.
    public var context: String
    /// The input's tags by key.
    public var tags: [KeyValue]

    /// Makes a record.
    public init(datasetName: String, datasetDigest: String, context: String, tags: [KeyValue]) {
        self.datasetName = datasetName
        self.datasetDigest = datasetDigest
        self.context = context
        self.tags = tags
    }
}

/// A run's link to its parent, both by run id.
public struct TransferParentLink: Sendable, Equatable {
    /// The child run.
    public var runID: String
    /// Its parent run.
    public var parentID: String

    /// Makes a link.
    public init(runID: String, parentID: String) {
        self.runID = runID
        self.parentID = parentID
    }
}

/// The position a stored chunk of history is keyed by: its first point's step and timestamp.
public struct TransferPosition: Sendable, Equatable, Comparable {
    /// The step of the chunk's first point.
    public var step: Int64
    /// The timestamp of the chunk's first point.
    public var timestamp: Int64

    /// Makes a position.
    public init(step: Int64, timestamp: Int64) {
        self.step = step
        self.timestamp = timestamp
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.step, lhs.timestamp) < (rhs.step, rhs.timestamp)
    }
}

/// What a store holds of one metric history: enough to tell a complete copy from a partial one, and where a
/// partial one stops.
public struct TransferSeries: Sendable, Equatable {
    /// The metric key.
    public var key: String
    /// How many stored chunks hold the history.
    public var chunkCount: Int
    /// How many points they hold.
    public var pointCount: Int
    /// The key of the last chunk: a copy resumes after it.
    public var lastChunk: TransferPosition

    /// Makes a record.
    public init(key: String, chunkCount: Int, pointCount: Int, lastChunk: TransferPosition) {
        self.key = key
        self.chunkCount = chunkCount
        self.pointCount = pointCount
        self.lastChunk = lastChunk
    }
}

/// How many records of each kind a store holds.
public struct TransferCounts: Sendable, Equatable, CustomStringConvertible {
    /// Experiments, the default one included.
    public var experiments = 0
    /// Experiment tags.
    public var experimentTags = 0
    /// Registered datasets.
    public var datasets = 0
    /// Runs in either lifecycle state.
    public var runs = 0
    /// Params of all runs.
    public var params = 0
    /// Run tags.
    public var runTags = 0
    /// Materialised latest metric values.
    public var latestMetrics = 0
    /// Dataset inputs of runs.
    public var inputs = 0
    /// Tags of those inputs.
    public var inputTags = 0
    /// Stored chunks of history.
    public var chunks = 0
    /// Points of history.
    public var points = 0

    /// Makes counts, all zero.
    public init() {}

    public var description: String {
        "\(experiments) experiments (\(experimentTags) tags), \(datasets) datasets, \(runs) runs, \(params) params, "
            + "\(runTags) run tags, \(latestMetrics) latest metrics, \(inputs) inputs (\(inputTags) tags), "
            + "\(points) points in \(chunks) chunks"
    }
}
