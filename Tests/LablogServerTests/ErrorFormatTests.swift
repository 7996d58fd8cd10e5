import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LablogCore
import LablogServer
import Logging
import NIOCore
import Testing

@Suite("One error format for every failure")
struct ErrorFormatTests {
    @Test(
        "An unknown route answers 404 in the error format",
        arguments: [
            "/api/nope", "/no/such/page", "/api/experiments/1/nothing/here", "/static/app.css",
        ])
    func unknownRoute(path: String) async throws {
        try await withTestApp { client, _ in
            for method in [HTTPRequest.Method.get, .post] {
                let response = try await client.send(method, path)
                #expect(response.status == .notFound)
                let expected = try jsonText(["error": "No route matches '\(path)'", "code": "ROUTE_NOT_FOUND"])
                #expect(try response.canonicalBody() == expected)
                #expect(response.header("X-Request-ID")?.isEmpty == false)
            }
        }
    }

    @Test(
        "A known path with a wrong method answers 405 with an Allow header",
        arguments: [
            (HTTPRequest.Method.delete, "/api/health", "GET"),
            (.patch, "/api/seed", "POST"),
            (.put, "/openapi.json", "GET"),
            (.put, "/api/experiments", "GET, POST"),
            (.post, "/api/runs/0123456789abcdef0123456789abcdef", "DELETE, GET, PATCH"),
        ])
    func wrongMethod(method: HTTPRequest.Method, path: String, allow: String) async throws {
        try await withTestApp { client, _ in
            let response = try await client.send(method, path)
            #expect(response.status == .methodNotAllowed)
            #expect(response.header("Allow") == allow)
            let message = "Method \(method.rawValue) is not allowed here; allowed: \(allow)"
            #expect(try response.canonicalBody() == jsonText(["error": message, "code": "METHOD_NOT_ALLOWED"]))
        }
    }

    @Test("Malformed JSON answers 400")
    func malformedJSON() async throws {
        try await withTestApp { client, _ in
            let response = try await client.send(.post, "/api/experiments", body: #"{"name": "#)
            #expect(response.status == .badRequest)
            let body = try response.jsonObject()
            #expect(body["code"] as? String == "MALFORMED_JSON")
            #expect((body["error"] as? String)?.hasPrefix("Malformed JSON body") == true)
            #expect(Set(body.keys) == ["error", "code"])
        }
    }

    @Test("A body that is not JSON answers 415")
    func wrongContentType() async throws {
        try await withTestApp { client, _ in
            let response = try await client.send(
                .post, "/api/experiments", body: #"{"name": "x"}"#, contentType: "text/plain")
            #expect(response.status == .unsupportedMediaType)
            let expected = try jsonText([
                "error": "Unsupported content type 'text/plain'; send application/json",
                "code": "UNSUPPORTED_MEDIA_TYPE",
            ])
            #expect(try response.canonicalBody() == expected)
        }
    }

    @Test("A body over 8 MiB answers 413")
    func oversizedBody() async throws {
        try await withTestApp { client, _ in
            let padding = String(repeating: "x", count: 9 * 1024 * 1024)
            let response = try await client.send(
                .post, "/api/experiments", body: #"{"name": "big", "description": "\#(padding)"}"#)
            #expect(response.status == .contentTooLarge)
            let expected = try jsonText([
                "error": "The request body exceeds the limit of 8388608 bytes", "code": "PAYLOAD_TOO_LARGE",
            ])
            #expect(try response.canonicalBody() == expected)
        }
    }

    @Test("A body of the wrong shape answers 422 naming the field")
    func validationFailure() async throws {
        try await withTestApp { client, _ in
            let response = try await client.send(.post, "/api/experiments", body: #"{"name": 5}"#)
            #expect(response.status == .unprocessableContent)
            let body = try response.jsonObject()
            #expect(body["code"] as? String == "VALIDATION_FAILED")
            #expect(body["field"] as? String == "name")
            #expect((body["error"] as? String)?.contains("name") == true)
        }
    }

    @Test("An incoming X-Request-ID is kept; a hostile one is replaced")
    func requestID() async throws {
        try await withTestApp { client, _ in
            let kept = try await client.send(.get, "/api/health", headers: [.init("X-Request-ID")!: "trace-42.a_b"])
            #expect(kept.header("X-Request-ID") == "trace-42.a_b")
            let hostile = try await client.send(.get, "/api/nope", headers: [.init("X-Request-ID")!: "a\"b c"])
            #expect(hostile.header("X-Request-ID") != "a\"b c")
            #expect(hostile.header("X-Request-ID")?.isEmpty == false)
        }
    }

    @Test("An unexpected error answers 500 with a body and is logged at .error with the request id")
    func unexpectedError() async throws {
        struct Boom: Error {}
        let capture = LogCapture()
        let throwBoom: @Sendable (Request) async throws -> Never = { _ in throw Boom() }
        try await withErrorRouter(logger: capture.logger(), throwBoom) { client in
            let response = try await client.send(.get, "/throw")
            #expect(response.status == .internalServerError)
            #expect(
                try response.canonicalBody() == jsonText(["error": "Internal server error", "code": "INTERNAL_ERROR"]))
            let requestID = try #require(response.header("X-Request-ID"))
            let logged = capture.records.filter { $0.level == .error }
            #expect(logged.count == 1)
            #expect(logged.first?.metadata["request_id"]?.description == requestID)
            #expect(logged.first?.metadata["error"]?.description.contains("Boom") == true)
        }
    }

    @Test("Every error kind maps to its status, code and message")
    func errorMapping() async throws {
        for mapping in ErrorMapping.all {
            try await withErrorRouter(logger: LogCapture().logger(), mapping.throwError) { client in
                let response = try await client.send(.get, "/throw")
                #expect(response.status == mapping.status, "\(mapping.body)")
                #expect(try response.canonicalBody() == jsonText(mapping.body))
                for (name, value) in mapping.headers {
                    #expect(response.header(name) == value)
                }
            }
        }
    }

    @Test(
        "Decoding errors: syntax is 400 MALFORMED_JSON, shape is 422 VALIDATION_FAILED naming the field",
        arguments: [
            (#"{"count": "#, HTTPResponse.Status.badRequest, "MALFORMED_JSON", String?.none),
            (#"{"count": "three", "items": []}"#, .unprocessableContent, "VALIDATION_FAILED", "count"),
            (#"{"items": []}"#, .unprocessableContent, "VALIDATION_FAILED", "count"),
            (
                #"{"count": 1, "items": [{"value": 1}, {"value": null}]}"#, .unprocessableContent, "VALIDATION_FAILED",
                "items[1].value"
            ),
            (
                #"{"count": 1, "items": [{"value": 1}, {}]}"#, .unprocessableContent, "VALIDATION_FAILED",
                "items[1].value"
            ),
            (#"[1, 2]"#, .unprocessableContent, "VALIDATION_FAILED", "body"),
        ])
    func decodingErrors(json: String, status: HTTPResponse.Status, code: String, field: String?) async throws {
        struct Outer: Decodable {
            struct Item: Decodable { var value: Double }
            var count: Int
            var items: [Item]
        }
        let decode: @Sendable (Request) async throws -> Never = { _ in
            _ = try JSONDecoder().decode(Outer.self, from: Data(json.utf8))
            throw CancellationError()
        }
        try await withErrorRouter(logger: LogCapture().logger(), decode) { client in
            let response = try await client.send(.get, "/throw")
            #expect(response.status == status)
            let body = try response.jsonObject()
            #expect(body["code"] as? String == code)
            #expect(body["field"] as? String == field)
            let message = try #require(body["error"] as? String)
            #expect(message.contains(field ?? "Malformed JSON body"), "\(message)")
            #expect(Set(body.keys) == (field == nil ? ["error", "code"] : ["error", "code", "field"]))
        }
    }

    /// Runs `body` against a router holding the error middleware and one route, `/throw`, that throws.
    private func withErrorRouter(
        logger: Logger, _ throwError: @escaping @Sendable (Request) async throws -> Never,
        _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: ErrorMiddleware())
        router.get("/throw") { request, _ -> Response in try await throwError(request) }
        let app = Application(router: router, logger: logger)
        try await app.test(.router, body)
    }
}

/// One error thrown by a route and the response it must produce.
private struct ErrorMapping: Sendable {
    var throwError: @Sendable (Request) async throws -> Never
    var status: HTTPResponse.Status
    var body: [String: any Sendable]
    var headers: [String: String] = [:]

    init(
        _ error: any Error & Sendable, _ status: HTTPResponse.Status, _ body: [String: any Sendable],
        headers: [String: String] = [:]
    ) {
        throwError = { _ in throw error }
        self.status = status
        self.body = body
        self.headers = headers
    }

    static let all: [ErrorMapping] = domain + transport + framework

    static let domain: [ErrorMapping] = [
        .init(
            LablogError.notFound(.experiment, "7"), .notFound,
            ["error": "Experiment '7' does not exist", "code": "EXPERIMENT_NOT_FOUND"]),
        .init(
            LablogError.notFound(.run, "ab"), .notFound, ["error": "Run 'ab' does not exist", "code": "RUN_NOT_FOUND"]),
        .init(
            LablogError.alreadyExists("Experiment 'x' already exists"), .conflict,
            ["error": "Experiment 'x' already exists", "code": "ALREADY_EXISTS"]),
        .init(
            LablogError.invalidValue(field: "name", reason: "must not be empty"), .unprocessableContent,
            ["error": "Invalid value for 'name': must not be empty", "code": "VALIDATION_FAILED", "field": "name"]),
        .init(
            LablogError.paramConflict(key: "lr", stored: "0.1", attempted: "0.2"), .conflict,
            [
                "error": "Param 'lr' is already logged with value '0.1'; params are immutable, "
                    + "so the new value '0.2' was refused",
                "code": "PARAM_CONFLICT",
            ]),
        .init(
            LablogError.invalidFilter(
                FilterError(message: "expected a comparison operator", position: 12, input: "x")),
            .badRequest,
            ["error": "expected a comparison operator at position 12", "code": "INVALID_FILTER", "position": 12]),
        .init(
            LablogError.runLimitReached(experimentID: 3, limit: 5), .conflict,
            [
                "error": "Experiment 3 already has 5 runs, the maximum allowed by MAX_RUNS_PER_EXPERIMENT",
                "code": "RUN_LIMIT_REACHED",
            ]),
        .init(
            LablogError.invalidState("Run is deleted"), .conflict,
            ["error": "Run is deleted", "code": "INVALID_STATE"]),
        .init(LablogError.badRequest("bad cursor"), .badRequest, ["error": "bad cursor", "code": "BAD_REQUEST"]),
        .init(LablogError.forbidden("no"), .forbidden, ["error": "no", "code": "FORBIDDEN"]),
        .init(
            LablogError.storageUnavailable("gone"), .serviceUnavailable,
            ["error": "The database is unavailable: gone", "code": "STORAGE_UNAVAILABLE"]),
    ]

    static let transport: [ErrorMapping] = [
        .init(
            TransportError.routeNotFound(path: "/x"), .notFound,
            ["error": "No route matches '/x'", "code": "ROUTE_NOT_FOUND"]),
        .init(
            TransportError.methodNotAllowed(method: "PUT", allowed: ["GET", "POST"]), .methodNotAllowed,
            ["error": "Method PUT is not allowed here; allowed: GET, POST", "code": "METHOD_NOT_ALLOWED"],
            headers: ["Allow": "GET, POST"]),
        .init(
            TransportError.unsupportedMediaType("text/csv"), .unsupportedMediaType,
            ["error": "Unsupported content type 'text/csv'; send application/json", "code": "UNSUPPORTED_MEDIA_TYPE"]),
        .init(
            TransportError.malformedJSON("unexpected end"), .badRequest,
            ["error": "Malformed JSON body: unexpected end", "code": "MALFORMED_JSON"]),
        .init(
            TransportError.payloadTooLarge(limit: 10), .contentTooLarge,
            ["error": "The request body exceeds the limit of 10 bytes", "code": "PAYLOAD_TOO_LARGE"]),
    ]

    static let framework: [ErrorMapping] = [
        .init(HTTPError(.notFound), .notFound, ["error": "No route matches '/throw'", "code": "ROUTE_NOT_FOUND"]),
        .init(
            HTTPError(.unauthorized, message: "token expired"), .unauthorized,
            ["error": "token expired", "code": "UNAUTHORIZED"]),
        .init(
            HTTPError(.tooManyRequests), .tooManyRequests, ["error": "Too Many Requests", "code": "TOO_MANY_REQUESTS"]),
        .init(HTTPError(.badGateway), .badGateway, ["error": "Bad Gateway", "code": "INTERNAL_ERROR"]),
        .init(
            NIOTooManyBytesError(maxBytes: 8), .contentTooLarge,
            ["error": "The request body exceeds the limit of 8388608 bytes", "code": "PAYLOAD_TOO_LARGE"]),
    ]
}
