/// Builders of JSON Schema (2020-12, as OpenAPI 3.1 uses) fragments.
enum Schema {
    static let string: JSONValue = ["type": "string"]
    static let integer64: JSONValue = ["type": "integer", "format": "int64"]
    static let number: JSONValue = ["type": "number"]
    static let boolean: JSONValue = ["type": "boolean"]
    static let dateTime: JSONValue = ["type": "string", "format": "date-time"]

    static func ref(_ name: String) -> JSONValue {
        ["$ref": .string("#/components/schemas/\(name)")]
    }

    static func integer(minimum: Int) -> JSONValue {
        ["type": "integer", "minimum": .int(minimum)]
    }

    static func array(of items: JSONValue, maxItems: Int? = nil) -> JSONValue {
        .compacting(["type": "array", "items": items, "maxItems": maxItems.map { .int($0) }])
    }

    static func enumeration(_ values: [String]) -> JSONValue {
        ["type": "string", "enum": .array(values.map { .string($0) })]
    }

    /// `schema` or `null`.
    static func nullable(_ type: String, format: String? = nil) -> JSONValue {
        .compacting(["type": [.string(type), "null"], "format": format.map { .string($0) }])
    }

    static func oneOf(_ schemas: [JSONValue]) -> JSONValue {
        ["oneOf": .array(schemas)]
    }

    /// An object with the given properties, of which `required` must be present.
    static func object(
        _ properties: KeyValuePairs<String, JSONValue>, required: [String] = [], description: String? = nil
    ) -> JSONValue {
        .compacting([
            "type": "object",
            "description": description.map { .string($0) },
            "properties": .object(properties.map { .init(key: $0.key, value: $0.value) }),
            "required": required.isEmpty ? nil : .array(required.map { .string($0) }),
        ])
    }

    /// An object whose keys are free and whose values all match `values`.
    static func map(of values: JSONValue) -> JSONValue {
        ["type": "object", "additionalProperties": values]
    }

    /// `schema` with a description.
    static func described(_ schema: JSONValue, _ description: String) -> JSONValue {
        guard case .object(var members) = schema else { return schema }
        members.append(.init(key: "description", value: .string(description)))
        return .object(members)
    }
}
