/// Size limits on user input, the same as MLflow's so that any client that works against MLflow works here.
public enum Limits {
    /// Longest metric, param or tag key.
    public static let maxKeyLength = 250
    /// Longest param value.
    public static let maxParamValueLength = 6000
    /// Longest run tag value.
    public static let maxRunTagValueLength = 8000
    /// Longest experiment tag value.
    public static let maxExperimentTagValueLength = 20000
    /// Longest experiment name.
    public static let maxExperimentNameLength = 500
    /// Longest experiment description.
    public static let maxDescriptionLength = 20000
    /// Longest run name.
    public static let maxRunNameLength = 250
    /// Most metric points in one native batch request.
    public static let maxMetricsPerNativeBatch = 10_000
    /// Most params in one request.
    public static let maxParamsPerBatch = 100
    /// Largest page size of a native list endpoint.
    public static let maxPageSize = 1000
    /// Largest page a store returns in one call (MLflow's search limit).
    public static let maxStorePageSize = 50_000
    /// Largest page size of a metric history read.
    public static let maxHistoryPageSize = 100_000
    /// Most ids in one bulk request.
    public static let maxBulkIDs = 1000
    /// Longest filter string.
    public static let maxFilterLength = 20_000
    /// Longest dataset name.
    public static let maxDatasetNameLength = 500
    /// Longest dataset digest.
    public static let maxDatasetDigestLength = 36
    /// Longest dataset source description.
    public static let maxDatasetSourceLength = 65535
    /// Longest dataset schema.
    public static let maxDatasetSchemaLength = 1_048_575
    /// Longest dataset profile.
    public static let maxDatasetProfileLength = 16_777_215
    /// Longest dataset input tag key.
    public static let maxInputTagKeyLength = 255
    /// Longest dataset input tag value.
    public static let maxInputTagValueLength = 500
}
