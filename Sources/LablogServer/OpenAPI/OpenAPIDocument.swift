import NIOCore

/// The OpenAPI 3.1 document of the native API, built from the operation list.
enum OpenAPIDocument {
    /// The document as JSON bytes, served at `/openapi.json`.
    static let serialized = ByteBuffer(string: document.serialized)

    /// Every documented operation.
    static var operations: [APIOperation] {
        APIOperation.experimentOperations + APIOperation.runOperations + APIOperation.systemOperations
    }

    /// The document as a JSON value: operations grouped by path, in the order they are listed.
    static var document: JSONValue {
        var paths: [JSONValue.Member] = []
        for operation in operations {
            let member = JSONValue.Member(key: operation.method.lowercased(), value: operation.json)
            if let index = paths.firstIndex(where: { $0.key == operation.path }),
                case .object(var methods) = paths[index].value
            {
                methods.append(member)
                paths[index].value = .object(methods)
            } else {
                paths.append(.init(key: operation.path, value: .object([member])))
            }
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Lablog native API",
                "version": .string(LablogVersion.current),
                "description": """
                The JSON API of Lablog, a self-hosted ML experiment tracker. Lists are paginated with `limit` and \
                `cursor` and a `Link: <...>; rel="next"` header; every error is `{"error": ..., "code": ...}`.
                """,
            ],
            "tags": [
                ["name": "experiments"], ["name": "runs"], ["name": "metrics"], ["name": "params"],
                ["name": "system"],
            ],
            "paths": .object(paths),
            "components": ["schemas": .object(OpenAPISchemas.all)],
        ]
    }
}
