import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LablogCore
import LablogSQLite
import LablogServer
import Testing

@Suite("OpenAPI document")
struct OpenAPITests {
    /// The served document, parsed.
    private func servedDocument() async throws -> [String: Any] {
        try await withTestApp { client, _ in
            let response = try await client.send(.get, "/openapi.json")
            #expect(response.status == .ok)
            #expect(response.header("Content-Type")?.hasPrefix("application/json") == true)
            return try response.jsonObject()
        }
    }

    private static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// Every (method, path) the document describes.
    private func documentedRoutes(_ document: [String: Any]) throws -> Set<RouteKey> {
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var routes: Set<RouteKey> = []
        for (path, item) in paths {
            for method in item.keys where Self.methods.contains(method) {
                routes.insert(RouteKey(method: method.uppercased(), path: path))
            }
        }
        return routes
    }

    @Test("Every route of the router is documented, and every documented route exists")
    func routesMatch() async throws {
        let built = try buildRouter(configuration: ServerConfiguration(port: 0), store: try SQLiteStore.inMemory())
        // The document describes the native API; MLflow's APIs under /api/2.0/ and /api/3.0/ follow MLflow's own
        // spec, and the browser pages and their assets are not an API.
        let implemented = built.realRoutes.filter { route in
            !MLflowPaths.isMLflowPath(route.path) && (route.path.hasPrefix("/api/") || route.path == Paths.openAPI)
        }
        let documented = try documentedRoutes(try await servedDocument())

        let undocumented = implemented.subtracting(documented).sorted()
        let missing = documented.subtracting(implemented).sorted()
        #expect(undocumented.isEmpty, "routes missing from /openapi.json: \(undocumented)")
        #expect(missing.isEmpty, "documented routes that do not exist: \(missing)")
        #expect(implemented.count >= 30)
    }

    @Test("The 405 fallbacks are not real routes, and every path has its real methods")
    func fallbacksAreSeparate() throws {
        let built = try buildRouter(configuration: ServerConfiguration(port: 0), store: try SQLiteStore.inMemory())
        #expect(!built.methodNotAllowedRoutes.isEmpty)
        #expect(built.methodNotAllowedRoutes.isDisjoint(with: built.realRoutes))
        #expect(built.methodNotAllowedRoutes.contains(RouteKey(method: "DELETE", path: Paths.health)))
        #expect(built.realRoutes.contains(RouteKey(method: "GET", path: Paths.health)))
        let byPath = Dictionary(grouping: built.router.routeKeys, by: \.path)
        for (path, routes) in byPath {
            let methods = Set(routes.map(\.method))
            #expect(methods.isSuperset(of: ["GET", "POST", "PUT", "PATCH", "DELETE"]), "\(path): \(methods)")
        }
    }

    @Test("The document is well-formed OpenAPI 3.1")
    func structure() async throws {
        let document = try await servedDocument()
        #expect(document["openapi"] as? String == "3.1.0")
        let info = try #require(document["info"] as? [String: Any])
        #expect(info["title"] as? String != nil)
        #expect(info["version"] as? String == LablogVersion.current)
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        #expect(schemas["Error"] != nil)

        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var operationIDs: [String] = []
        for (path, item) in paths {
            let captures = Set(Self.captures(in: path))
            for (method, value) in item {
                let operation = try #require(value as? [String: Any], "\(method) \(path)")
                let label = "\(method.uppercased()) \(path)"
                operationIDs.append(try #require(operation["operationId"] as? String, "\(label)"))
                #expect((operation["summary"] as? String)?.isEmpty == false, "\(label)")
                let responses = try #require(operation["responses"] as? [String: Any], "\(label)")
                #expect(responses.keys.contains { $0.hasPrefix("2") }, "\(label) has no success response")
                #expect(responses["default"] != nil, "\(label) has no error response")
                let parameters = operation["parameters"] as? [[String: Any]] ?? []
                let pathParameters = Set(
                    parameters.filter { $0["in"] as? String == "path" }.compactMap {
                        $0["name"] as? String
                    })
                #expect(pathParameters == captures, "\(label): path parameters \(pathParameters)")
                for parameter in parameters {
                    #expect(["path", "query"].contains(parameter["in"] as? String), "\(label)")
                    #expect(parameter["schema"] != nil, "\(label)")
                }
                if ["post", "put", "patch"].contains(method), operation["requestBody"] != nil {
                    #expect(responses["415"] != nil && responses["422"] != nil, "\(label) lacks body errors")
                }
            }
        }
        #expect(Set(operationIDs).count == operationIDs.count, "operation ids repeat")
    }

    @Test("Every $ref points at a defined schema")
    func references() async throws {
        let document = try await servedDocument()
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        var references: Set<String> = []
        Self.collectReferences(in: document, into: &references)
        #expect(!references.isEmpty)
        for reference in references {
            let prefix = "#/components/schemas/"
            #expect(reference.hasPrefix(prefix), "\(reference)")
            #expect(schemas[String(reference.dropFirst(prefix.count))] != nil, "undefined schema \(reference)")
        }
    }

    private static func captures(in path: String) -> [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map {
            String($0.dropFirst().dropLast())
        }
    }

    private static func collectReferences(in value: Any, into references: inout Set<String>) {
        if let object = value as? [String: Any] {
            if let reference = object["$ref"] as? String { references.insert(reference) }
            for child in object.values { collectReferences(in: child, into: &references) }
        } else if let array = value as? [Any] {
            for child in array { collectReferences(in: child, into: &references) }
        }
    }
}
