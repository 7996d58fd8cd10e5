/// One documented operation of the native API: what the OpenAPI document says about a method on a path.
struct APIOperation {
    /// The HTTP method, upper-case.
    var method: String
    /// The path in OpenAPI's `{param}` form, the same as ``Paths/Pattern``.
    var path: String
    /// A unique, stable identifier, for client generators.
    var id: String
    var summary: String
    /// The group the operation is listed under.
    var tag: String
    var parameters: [JSONValue] = []
    var requestBody: JSONValue?
    /// Responses by status code, success first; every operation also gets a `default` error response.
    var responses: [JSONValue.Member]

    /// The operation object of the OpenAPI document.
    var json: JSONValue {
        var allResponses = responses
        allResponses.append(.init(key: "default", value: APIResponse.error("Any other failure, in the error format")))
        return .compacting([
            "operationId": .string(id),
            "summary": .string(summary),
            "tags": [.string(tag)],
            "parameters": parameters.isEmpty ? nil : .array(parameters),
            "requestBody": requestBody,
            "responses": .object(allResponses),
        ])
    }
}

/// Builders of parameter objects.
enum APIParameter {
    static func path(_ name: String, _ description: String, schema: JSONValue) -> JSONValue {
        ["name": .string(name), "in": "path", "required": true, "description": .string(description), "schema": schema]
    }

    static func query(_ name: String, _ description: String, schema: JSONValue, repeatable: Bool = false)
        -> JSONValue
    {
        let schema: JSONValue = repeatable ? ["type": "array", "items": schema] : schema
        return .compacting([
            "name": .string(name), "in": "query", "required": false, "description": .string(description),
            "schema": schema, "explode": repeatable ? true : nil,
        ])
    }

    static let experimentID = path("experiment_id", "The experiment's integer id.", schema: Schema.integer64)
    static let runID = path("run_id", "The run's 32-character hexadecimal id.", schema: Schema.ref("RunID"))
    static let tagID = path("tag_id", "The tag's integer id.", schema: Schema.integer64)
    static let limit = query("limit", "Page size, 1 to 1000 (default 100).", schema: Schema.integer(minimum: 1))
    static let cursor = query(
        "cursor", "The opaque cursor of the next page, from the `Link` header.", schema: Schema.string)
    static let lifecycle = query(
        "lifecycle", "Which entities to include (default `active`).",
        schema: Schema.enumeration(["active", "deleted", "all"]))
}

/// Builders of request bodies and responses.
enum APIResponse {
    /// A required JSON request body.
    static func body(_ schema: JSONValue) -> JSONValue {
        ["required": true, "content": ["application/json": ["schema": schema]]]
    }

    /// A JSON response.
    static func json(_ description: String, _ schema: JSONValue, headers: [String] = []) -> JSONValue {
        .compacting([
            "description": .string(description),
            "headers": headers.isEmpty ? nil : .object(headers.map { .init(key: $0, value: header($0)) }),
            "content": ["application/json": ["schema": schema]],
        ])
    }

    /// A paginated JSON array.
    static func page(_ description: String, of item: JSONValue) -> JSONValue {
        json(description, Schema.array(of: item), headers: ["Link", "X-Total-Count"])
    }

    /// A response without a body.
    static func empty(_ description: String) -> JSONValue {
        ["description": .string(description)]
    }

    /// An error response in the one error format.
    static func error(_ description: String) -> JSONValue {
        json(description, Schema.ref("Error"))
    }

    /// The description of a response header.
    static func header(_ name: String) -> JSONValue {
        switch name {
        case "Link": ["description": "`<url>; rel=\"next\"` while more pages follow.", "schema": Schema.string]
        case "X-Total-Count": ["description": "The number of matches across all pages.", "schema": Schema.integer64]
        case "Location": ["description": "The URL of the created resource.", "schema": Schema.string]
        default: ["schema": Schema.string]
        }
    }
}

extension [JSONValue.Member] {
    /// Response members from status/response pairs.
    static func responses(_ pairs: KeyValuePairs<String, JSONValue>) -> Self {
        pairs.map { JSONValue.Member(key: $0.key, value: $0.value) }
    }
}
