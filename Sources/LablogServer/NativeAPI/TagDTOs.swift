import LablogCore

/// A stored tag on the wire: `{"id": 7, "key": "team", "value": "vision"}`.
///
/// The tag endpoints also send `"name"` (the key) because the legacy API called a label tag's text its name.
struct TagResponse: Encodable {
    var id: Int64
    var key: String
    var value: String
    var name: String?

    enum CodingKeys: String, CodingKey {
        case id, key, value, name
    }

    init(_ tag: Tag, includingLegacyName: Bool = false) {
        id = tag.id
        key = tag.key
        value = tag.value
        name = includingLegacyName ? tag.key : nil
    }
}

extension Tag {
    /// Whether the tag only mirrors a run attribute the native API already shows (`mlflow.runName` is the run's
    /// `name`, `mlflow.parentRunId` its `parent_run_id`). MLflow clients need those tags; native readers would see
    /// every value twice, so the native views leave them out.
    static func mirrorsRunAttribute(_ key: String) -> Bool {
        key == RunTagKeys.runName || key == RunTagKeys.parentRunID
    }
}

extension [Tag] {
    /// The tags a native reader sees: all but the attribute mirrors.
    var nativeRunTags: [Tag] { filter { !Tag.mirrorsRunAttribute($0.key) } }
}

/// One tag to set: `{"key": "team", "value": "vision"}`, the legacy label `{"name": "baseline"}`, or (inside a tag
/// list) the bare string `"baseline"`. A missing or null value is the empty value of a label.
struct TagInput: Decodable {
    var tag: KeyValue

    enum CodingKeys: String, CodingKey {
        case key, value, name
    }

    init(from decoder: any Decoder) throws {
        if let label = try? decoder.singleValueContainer().decode(String.self) {
            tag = KeyValue(key: label, value: "")
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let key: String
        if container.contains(.key) {
            key = try container.decode(String.self, forKey: .key)
        } else if container.contains(.name) {
            key = try container.decode(String.self, forKey: .name)
        } else {
            throw LablogError.invalidValue(
                field: WirePath.describe(container.codingPath + [CodingKeys.key]), reason: "is required")
        }
        let hasValue = container.contains(.value) ? try !container.decodeNil(forKey: .value) : false
        tag = KeyValue(key: key, value: hasValue ? try container.decodeStringified(forKey: .value) : "")
    }
}

/// A list of key/value pairs given either as an object (`{"team": "vision", "lr": 0.01}`) or as an array of
/// ``TagInput`` entries. Used for tags and params; scalar values are stringified as MLflow's clients do.
struct KeyValueList: Decodable {
    var pairs: [KeyValue]

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: DynamicKey.self) {
            // Object keys come back in no particular order; sorting keeps what the store sees deterministic.
            pairs = try object.allKeys.sorted { $0.stringValue < $1.stringValue }.map { key in
                KeyValue(key: key.stringValue, value: try object.decodeStringified(forKey: key))
            }
            return
        }
        guard var array = try? decoder.unkeyedContainer() else {
            throw LablogError.invalidValue(
                field: WirePath.describe(decoder.codingPath),
                reason: "must be an object of key/value pairs or an array of {\"key\", \"value\"} entries")
        }
        var pairs: [KeyValue] = []
        while !array.isAtEnd {
            pairs.append(try array.decode(TagInput.self).tag)
        }
        self.pairs = pairs
    }
}
