import LablogCore

extension Paths.Pattern {
    /// A metric's whole history, streamed as JSON pages, binary records or CSV by the `Accept` header.
    public static let runMetricHistoryStream = "/api/runs/{run_id}/metrics/{key}/history"
    /// A metric's history summarised into chart buckets.
    public static let runMetricBuckets = "/api/runs/{run_id}/metrics/{key}/buckets"
}

extension Paths {
    /// The streamed history URL of a metric (key percent-encoded).
    public static func runMetricHistoryStream(_ id: RunID, key: String) -> String {
        runMetricHistory(id, key: key) + "/history"
    }

    /// The chart buckets URL of a metric (key percent-encoded).
    public static func runMetricBuckets(_ id: RunID, key: String) -> String {
        runMetricHistory(id, key: key) + "/buckets"
    }
}
