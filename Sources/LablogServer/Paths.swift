import LablogCore

/// Every native URL, defined once: router patterns, `Location` and `Link` headers, and test URLs use these.
public enum Paths {
    public static let health = "/api/health"
    public static let seed = "/api/seed"
    public static let dashboardData = "/api/dashboard/data"
    public static let openAPI = "/openapi.json"

    public static let experiments = "/api/experiments"
    public static let experimentsBulkDelete = "/api/experiments/bulk/delete"
    public static let experimentsBulkRestore = "/api/experiments/bulk/restore"
    public static let experimentsBulkTag = "/api/experiments/bulk/tag"
    public static let runs = "/api/runs"
    public static let runsBulkDelete = "/api/runs/bulk/delete"
    public static let runsBulkRestore = "/api/runs/bulk/restore"

    /// Router patterns with `{name}` captures.
    public enum Pattern {
        public static let experiment = "/api/experiments/{experiment_id}"
        public static let experimentRestore = "/api/experiments/{experiment_id}/restore"
        public static let experimentTags = "/api/experiments/{experiment_id}/tags"
        public static let experimentTag = "/api/experiments/{experiment_id}/tags/{tag_id}"
        public static let experimentRuns = "/api/experiments/{experiment_id}/runs"
        public static let experimentExport = "/api/experiments/{experiment_id}/export"
        public static let run = "/api/runs/{run_id}"
        public static let runRestore = "/api/runs/{run_id}/restore"
        public static let runTags = "/api/runs/{run_id}/tags"
        public static let runTag = "/api/runs/{run_id}/tags/{tag_id}"
        public static let runMetrics = "/api/runs/{run_id}/metrics"
        public static let runMetricHistory = "/api/runs/{run_id}/metrics/{key}"
        /// A metric's whole history, streamed as JSON pages, binary records or CSV by the `Accept` header.
        public static let runMetricHistoryStream = "/api/runs/{run_id}/metrics/{key}/history"
        /// A metric's history summarised into chart buckets.
        public static let runMetricBuckets = "/api/runs/{run_id}/metrics/{key}/buckets"
        public static let runParams = "/api/runs/{run_id}/params"
    }

    public static func experiment(_ id: ExperimentID) -> String { "/api/experiments/\(id)" }
    public static func experimentRestore(_ id: ExperimentID) -> String { "/api/experiments/\(id)/restore" }
    public static func experimentTags(_ id: ExperimentID) -> String { "/api/experiments/\(id)/tags" }
    public static func experimentTag(_ id: ExperimentID, tagID: Int64) -> String {
        "/api/experiments/\(id)/tags/\(tagID)"
    }
    public static func experimentRuns(_ id: ExperimentID) -> String { "/api/experiments/\(id)/runs" }
    public static func experimentExport(_ id: ExperimentID) -> String { "/api/experiments/\(id)/export" }
    public static func run(_ id: RunID) -> String { "/api/runs/\(id)" }
    public static func runRestore(_ id: RunID) -> String { "/api/runs/\(id)/restore" }
    public static func runTags(_ id: RunID) -> String { "/api/runs/\(id)/tags" }
    public static func runTag(_ id: RunID, tagID: Int64) -> String { "/api/runs/\(id)/tags/\(tagID)" }
    public static func runMetrics(_ id: RunID) -> String { "/api/runs/\(id)/metrics" }
    /// The history URL of a metric; the key is percent-encoded because keys may contain `/` and spaces.
    public static func runMetricHistory(_ id: RunID, key: String) -> String {
        "/api/runs/\(id)/metrics/\(percentEncode(key))"
    }

    /// The streamed history URL of a metric (key percent-encoded).
    public static func runMetricHistoryStream(_ id: RunID, key: String) -> String {
        runMetricHistory(id, key: key) + "/history"
    }

    /// The chart buckets URL of a metric (key percent-encoded).
    public static func runMetricBuckets(_ id: RunID, key: String) -> String {
        runMetricHistory(id, key: key) + "/buckets"
    }
    public static func runParams(_ id: RunID) -> String { "/api/runs/\(id)/params" }

    /// Percent-encodes everything but unreserved characters (RFC 3986).
    public static func percentEncode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result
    }
}
