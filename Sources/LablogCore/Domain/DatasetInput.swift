/// A dataset a run read, as MLflow's `log_input` records it. Datasets are shared per experiment by
/// (name, digest): the first registration's source, schema and profile are kept.
public struct Dataset: Sendable, Equatable, Hashable {
    public var name: String
    public var digest: String
    public var sourceType: String
    public var source: String
    public var schema: String?
    public var profile: String?

    /// Makes a dataset description.
    public init(
        name: String, digest: String, sourceType: String, source: String, schema: String? = nil,
        profile: String? = nil
    ) {
        self.name = name
        self.digest = digest
        self.sourceType = sourceType
        self.source = source
        self.schema = schema
        self.profile = profile
    }
}

/// One use of a dataset by a run, with the input's tags (MLflow keeps the context in `mlflow.data.context`).
public struct DatasetInput: Sendable, Equatable, Hashable {
    public var dataset: Dataset
    public var tags: [KeyValue]

    /// Makes a dataset input.
    public init(dataset: Dataset, tags: [KeyValue] = []) {
        self.dataset = dataset
        self.tags = tags
    }

    /// The input tag key that holds the context ("training", "evaluation", ...).
    public static let contextTagKey = "mlflow.data.context"

    /// The input's context, if tagged.
    public var context: String? { tags.first { $0.key == Self.contextTagKey }?.value }
}
