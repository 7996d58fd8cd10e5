import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LablogCore
import LablogSQLite
import LablogServer
import Logging
import Testing

@Suite("Request middleware: CORS and request logging")
struct MiddlewareTests {
    private static let origin = HTTPField.Name("Origin")!

    @Test("Without CORS_ORIGINS no CORS headers are sent")
    func sameOrigin() async throws {
        try await withTestApp { client, _ in
            let response = try await client.send(.get, "/api/health", headers: [Self.origin: "https://evil.example"])
            #expect(response.header("Access-Control-Allow-Origin") == nil)
        }
    }

    @Test("A listed origin gets CORS headers, on errors too; an unlisted one gets none")
    func listedOrigins() async throws {
        let configuration = ServerConfiguration(port: 0, corsOrigins: .list(["https://ui.example"]))
        try await withTestApp(configuration: configuration) { client, _ in
            let allowed = try await client.send(.get, "/api/health", headers: [Self.origin: "https://ui.example"])
            #expect(allowed.header("Access-Control-Allow-Origin") == "https://ui.example")
            #expect(allowed.header("Access-Control-Expose-Headers")?.contains("Link") == true)

            let failed = try await client.send(.get, "/api/nope", headers: [Self.origin: "https://ui.example"])
            #expect(failed.status == .notFound)
            #expect(failed.header("Access-Control-Allow-Origin") == "https://ui.example")
            #expect(try failed.jsonObject()["code"] as? String == "ROUTE_NOT_FOUND")

            let preflight = try await client.send(
                .options, "/api/experiments",
                headers: [Self.origin: "https://ui.example", .accessControlRequestMethod: "POST"])
            #expect(preflight.status == .noContent)
            #expect(preflight.header("Access-Control-Allow-Methods")?.contains("PATCH") == true)

            let other = try await client.send(.get, "/api/health", headers: [Self.origin: "https://evil.example"])
            #expect(other.status == .ok)
            #expect(other.header("Access-Control-Allow-Origin") == nil)
        }
    }

    @Test("CORS_ORIGINS=* allows every origin")
    func anyOrigin() async throws {
        try await withTestApp(configuration: ServerConfiguration(port: 0, corsOrigins: .any)) { client, _ in
            let response = try await client.send(.get, "/api/health", headers: [Self.origin: "https://x.example"])
            #expect(response.header("Access-Control-Allow-Origin") == "*")
        }
    }

    @Test("Every request is logged with method, path, status and duration")
    func requestLog() async throws {
        let capture = LogCapture()
        let store = try SQLiteStore.inMemory()
        let app = try buildApplication(
            configuration: ServerConfiguration(port: 0), store: store, logger: capture.logger())
        try await app.test(.router) { client in
            _ = try await client.send(.get, "/api/dashboard/data")
            _ = try await client.send(.delete, "/api/health")
            _ = try await client.send(.get, "/api/health")
        }
        let lines = capture.records.filter { $0.metadata["status"] != nil }
        #expect(
            lines.map(\.message) == ["GET /api/dashboard/data 200", "DELETE /api/health 405", "GET /api/health 200"])
        #expect(lines.map(\.level) == [.info, .info, .debug])
        for line in lines {
            #expect(line.metadata["duration_ms"] != nil)
            #expect(line.metadata["hb.request.id"] != nil)
        }
    }
}
