import Foundation
import Hummingbird
import LablogCore

/// The ids captured from native API paths.
///
/// A malformed id in a path names something that cannot exist, so it answers 404 like an unknown one; the same
/// text in a body is a validation failure instead.
extension AppRequestContext {
    /// The `{experiment_id}` capture.
    /// - Throws: ``LablogError/notFound(_:_:)`` when it is not an integer.
    func experimentID() throws -> ExperimentID {
        let text = parameters.get("experiment_id") ?? ""
        guard let id = ExperimentID(text) else { throw LablogError.notFound(.experiment, text) }
        return id
    }

    /// The `{run_id}` capture.
    /// - Throws: ``LablogError/notFound(_:_:)`` when it is not 32 hexadecimal characters.
    func runID() throws -> RunID {
        let text = parameters.get("run_id") ?? ""
        guard let id = RunID(text) else { throw LablogError.notFound(.run, text) }
        return id
    }

    /// The `{tag_id}` capture.
    /// - Throws: ``LablogError/notFound(_:_:)`` when it is not an integer.
    func tagID() throws -> Int64 {
        let text = parameters.get("tag_id") ?? ""
        guard let id = Int64(text) else { throw LablogError.notFound(.tag, text) }
        return id
    }

    /// The `{key}` capture of a metric history, percent-decoded.
    ///
    /// The router matches raw path segments, so a key containing `/` arrives as one segment only when the client
    /// encodes it as `%2F` (as ``Paths/runMetricHistory(_:key:)`` does); decoding happens here.
    /// - Throws: ``LablogError/notFound(_:_:)`` when the percent-encoding is invalid.
    func metricKey() throws -> String {
        let text = parameters.get("key") ?? ""
        guard let key = text.removingPercentEncoding, !key.isEmpty else { throw LablogError.notFound(.metric, text) }
        return key
    }
}
