/// Input rules shared by every API. Each check throws ``LablogError/invalidValue(field:reason:)``.
public enum Validator {
    /// Checks a metric, param or tag key: non-empty, at most 250 characters, MLflow's character set, and no
    /// path tricks (`..`, leading or doubled `/`).
    ///
    /// - Parameters:
    ///   - key: the key to check.
    ///   - field: the name of the input field, used in the error.
    public static func key(_ key: String, field: String = "key") throws {
        guard !key.isEmpty else { throw LablogError.invalidValue(field: field, reason: "must not be empty") }
        let length = key.unicodeScalars.count
        guard length <= Limits.maxKeyLength else {
            throw LablogError.invalidValue(
                field: field, reason: "is \(length) characters long; the maximum is \(Limits.maxKeyLength)")
        }
        for scalar in key.unicodeScalars where !isAllowedKeyScalar(scalar) {
            throw LablogError.invalidValue(
                field: field,
                reason: "'\(key)' contains '\(scalar)'; keys may only contain letters, digits, underscores, "
                    + "dashes, periods, spaces, colons and slashes")
        }
        if key.hasPrefix("..") || !hasNormalisedSegments(key) {
            throw LablogError.invalidValue(
                field: field,
                reason: "'\(key)' is not a normalised path (no leading, trailing or doubled '/', "
                    + "no '.' or '..' segments)")
        }
    }

    /// Checks an experiment update's name and description before a store applies it.
    public static func experimentUpdate(_ update: ExperimentUpdate) throws {
        if let name = update.name { try experimentName(name) }
        if let description = update.description ?? nil {
            try length(description, atMost: Limits.maxDescriptionLength, field: "description")
        }
    }

    /// Checks everything a new run carries: its name, params, tags, metrics and user.
    public static func newRun(_ new: NewRun) throws {
        if let name = new.name { try runName(name) }
        try batch(metrics: new.metrics, params: new.params, tags: new.tags)
        try length(new.userID, atMost: Limits.maxKeyLength, field: "user_id")
    }

    /// Checks a batch of params, tags and metric points before any of it is stored.
    public static func batch(metrics: [MetricPoint], params: [KeyValue], tags: [KeyValue]) throws {
        try params.forEach(param)
        try tags.forEach(runTag)
        try metrics.forEach(metric)
    }

    /// Checks a dataset input as MLflow's log-inputs does: name and digest present, every field within its limit.
    public static func datasetInput(_ input: DatasetInput) throws {
        let dataset = input.dataset
        guard !dataset.name.isEmpty else {
            throw LablogError.invalidValue(field: "dataset.name", reason: "must not be empty")
        }
        guard !dataset.digest.isEmpty else {
            throw LablogError.invalidValue(field: "dataset.digest", reason: "must not be empty")
        }
        try length(dataset.name, atMost: Limits.maxDatasetNameLength, field: "dataset.name")
        try length(dataset.digest, atMost: Limits.maxDatasetDigestLength, field: "dataset.digest")
        try length(dataset.source, atMost: Limits.maxDatasetSourceLength, field: "dataset.source")
        try length(dataset.schema ?? "", atMost: Limits.maxDatasetSchemaLength, field: "dataset.schema")
        try length(dataset.profile ?? "", atMost: Limits.maxDatasetProfileLength, field: "dataset.profile")
        for tag in input.tags {
            try length(tag.key, atMost: Limits.maxInputTagKeyLength, field: "tags.key")
            try length(tag.value, atMost: Limits.maxInputTagValueLength, field: "tags.\(tag.key)")
        }
    }

    /// Checks that `text` is at most `limit` characters, counted as Unicode code points like MLflow counts them.
    public static func length(_ text: String, atMost limit: Int, field: String) throws {
        let count = text.unicodeScalars.count
        guard count <= limit else {
            throw LablogError.invalidValue(
                field: field, reason: "is \(count) characters long; the maximum is \(limit)")
        }
    }

    /// Checks an experiment name: not blank, at most 500 characters.
    public static func experimentName(_ name: String) throws {
        guard !name.trimmingWhitespace().isEmpty else {
            throw LablogError.invalidValue(field: "name", reason: "must not be empty")
        }
        try length(name, atMost: Limits.maxExperimentNameLength, field: "name")
    }

    /// Checks a param's key and value.
    public static func param(_ param: KeyValue) throws {
        try key(param.key, field: "params.key")
        try length(param.value, atMost: Limits.maxParamValueLength, field: "params.\(param.key)")
    }

    /// Checks a run tag's key and value.
    public static func runTag(_ tag: KeyValue) throws {
        try key(tag.key, field: "tags.key")
        try length(tag.value, atMost: Limits.maxRunTagValueLength, field: "tags.\(tag.key)")
    }

    /// Checks an experiment tag's key and value.
    public static func experimentTag(_ tag: KeyValue) throws {
        try key(tag.key, field: "tags.key")
        try length(tag.value, atMost: Limits.maxExperimentTagValueLength, field: "tags.\(tag.key)")
    }

    /// Checks a metric point's key and timestamp.
    public static func metric(_ point: MetricPoint) throws {
        try key(point.key, field: "metrics.key")
        guard point.timestamp >= 0 else {
            throw LablogError.invalidValue(field: "metrics.timestamp", reason: "must not be negative")
        }
    }

    /// Checks a run name.
    public static func runName(_ name: String) throws {
        try length(name, atMost: Limits.maxRunNameLength, field: "name")
    }

    private static func isAllowedKeyScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        // ASCII first: Unicode property lookups cost more than the rest of logging a point.
        case "a"..."z", "A"..."Z", "0"..."9", "/", ".", "-", " ", ":", "_": true
        default: !scalar.isASCII && (scalar.properties.isAlphabetic || scalar.properties.numericType != nil)
        }
    }

    /// Whether no `/`-separated segment of `key` is empty, `.` or `..` (so no leading, trailing or doubled `/`).
    private static func hasNormalisedSegments(_ key: String) -> Bool {
        var length = 0
        var dots = 0
        func segmentIsNormal() -> Bool { length > 0 && !(dots == length && length <= 2) }
        for byte in key.utf8 {
            if byte == UInt8(ascii: "/") {
                guard segmentIsNormal() else { return false }
                length = 0
                dots = 0
            } else {
                length += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
        }
        return segmentIsNormal()
    }
}

extension String {
    func trimmingWhitespace() -> Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return self[start..<max(start, end)]
    }
}
