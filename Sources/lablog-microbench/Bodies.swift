/// Request bodies shaped like what clients send: Python-style float text, millisecond timestamps.
enum Bodies {
    /// A native batch of `count` points: `[{"key", "value", "step", "timestamp"}]`.
    static func nativeBatch(points count: Int) -> String {
        let points = (0..<count).map { index in
            #"{"key": "train/loss", "value": \#(value(index)), "step": \#(index), "timestamp": \#(time(index))}"#
        }
        return "[" + points.joined(separator: ", ") + "]"
    }

    /// An MLflow log-batch body with `count` metrics, as MLflow's Python client writes it.
    static func mlflowLogBatch(metrics count: Int) -> String {
        let metrics = (0..<count).map { index in
            #"{"key": "train/loss", "value": \#(value(index)), "timestamp": \#(time(index)), "step": \#(index)}"#
        }
        return #"{"run_id": "0123456789abcdef0123456789abcdef", "metrics": ["#
            + metrics.joined(separator: ", ") + #"], "params": [], "tags": []}"#
    }

    /// A log-metric body as MLflow's Python client writes it (with both run id fields).
    static let mlflowLogMetric =
        #"{"run_id": "0123456789abcdef0123456789abcdef", "run_uuid": "0123456789abcdef0123456789abcdef", "#
        + #""key": "train/loss", "value": 0.23974648228664575, "timestamp": 1767225600000, "step": 12}"#

    /// A value with the 17 significant digits of a float32 loss printed by Python.
    static func value(_ index: Int) -> String {
        String(1.0 / (1.0 + Double(index) * 0.37))
    }

    static func time(_ index: Int) -> Int64 { 1_767_225_600_000 + Int64(index) * 13 }
}
