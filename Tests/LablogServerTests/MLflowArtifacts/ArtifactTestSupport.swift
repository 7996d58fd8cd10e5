import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LablogCore
import LablogServer
import NIOCore
import Testing

/// A run's artifact folder as the mlflow client addresses it: `<experiment_id>/<run_id>/artifacts`.
let runFolder = "1/0123456789abcdef0123456789abcdef/artifacts"

/// A temporary folder that holds the artifact root and, beside it, a folder that must stay untouched.
struct ArtifactSandbox {
    /// The parent of everything; removed at the end of the test.
    let base: URL
    /// The server's artifact root.
    var root: URL { base.appendingPathComponent("artifacts") }
    /// A folder outside the root, where escaped writes would land.
    var outside: URL { base.appendingPathComponent("outside") }

    init() throws {
        base = FileManager.default.temporaryDirectory.appendingPathComponent("lablog-artifacts-test-\(UUID())")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
    }

    /// The file-system URL of an artifact path below the root.
    func file(_ path: String) -> URL { root.appendingPathComponent(path) }

    /// Every file below `outside`, to prove that nothing escaped the root.
    func filesOutside() throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: outside.path).sorted()
    }
}

/// Runs `body` against the real application with its artifact root in a fresh sandbox.
func withArtifactApp(
    _ body: @Sendable (any TestClientProtocol, ArtifactSandbox) async throws -> Void
) async throws {
    let sandbox = try ArtifactSandbox()
    defer { try? FileManager.default.removeItem(at: sandbox.base) }
    let configuration = ServerConfiguration(port: 0, artifactsDirectory: sandbox.root.path)
    try await withTestApp(configuration: configuration) { client, _ in try await body(client, sandbox) }
}

extension TestClientProtocol {
    /// Uploads raw bytes to the artifact at `path` (segments are percent-encoded here).
    @discardableResult
    func upload(_ path: String, _ bytes: [UInt8], contentType: String = "application/octet-stream") async throws
        -> TestResponse
    {
        try await execute(
            uri: MLflowArtifactPaths.artifact(path), method: .put, headers: [.contentType: contentType],
            body: ByteBuffer(bytes: bytes)
        ) { $0 }
    }

    /// Uploads `bytes` and requires MLflow's `{}` answer.
    func uploadOK(_ path: String, _ bytes: [UInt8]) async throws {
        let response = try await upload(path, bytes)
        try #require(response.status == .ok, "PUT \(path): \(String(buffer: response.body))")
        #expect(String(buffer: response.body) == "{}")
    }

    /// Sends `uri` exactly as written: no encoding, no normalisation.
    func raw(_ method: HTTPRequest.Method, _ uri: String, body: [UInt8]? = nil) async throws -> TestResponse {
        try await execute(uri: uri, method: method, headers: [:], body: body.map { ByteBuffer(bytes: $0) }) { $0 }
    }

    /// The bytes of the artifact at `path`.
    func download(_ path: String) async throws -> TestResponse {
        try await raw(.get, MLflowArtifactPaths.artifact(path))
    }

    /// The listing of the folder at `path`.
    func listing(_ path: String) async throws -> TestResponse {
        try await raw(.get, MLflowArtifactPaths.listing(path))
    }
}

extension TestResponse {
    /// The body's bytes.
    var bytes: [UInt8] { Array(body.readableBytesView) }
}

/// Requires MLflow's error shape with this status and code, and returns the message.
@discardableResult
func expectMLflowError(
    _ response: TestResponse, _ status: HTTPResponse.Status, _ code: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> String {
    #expect(response.status == status, "\(String(buffer: response.body))", sourceLocation: sourceLocation)
    let body = try response.jsonObject()
    #expect(body["error_code"] as? String == code, "\(body)", sourceLocation: sourceLocation)
    let message = try #require(body["message"] as? String, sourceLocation: sourceLocation)
    #expect(!message.isEmpty, sourceLocation: sourceLocation)
    return message
}

/// Deterministic pseudo-random bytes, so a failing comparison replays exactly.
func patternedBytes(count: Int, seed: UInt64 = 0x5EED) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return UInt8(truncatingIfNeeded: state >> 56)
    }
}
