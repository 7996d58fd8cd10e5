import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A thin HTTP layer over AsyncHTTPClient for the benchmark: one pooled client, whole responses.
struct BenchHTTP: Sendable {
    /// One complete response.
    struct Response: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: ByteBuffer

        var text: String { String(buffer: body) }

        /// Decodes the body as JSON.
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try JSONDecoder().decode(type, from: Data(body.readableBytesView))
        }

        /// The target of the `Link: <...>; rel="next"` header, if there is another page.
        var nextLink: String? {
            for value in headers["Link"] {
                for link in value.split(separator: ",") where link.contains("rel=\"next\"") {
                    guard let open = link.firstIndex(of: "<"), let close = link.firstIndex(of: ">") else { continue }
                    return String(link[link.index(after: open)..<close])
                }
            }
            return nil
        }
    }

    let client: HTTPClient
    /// The server's origin, for example `http://127.0.0.1:8000`.
    let baseURL: String

    /// Sends one request; `path` may also be an absolute URL (as `Link` headers may carry).
    func send(
        _ method: HTTPMethod, _ path: String, body: ByteBuffer? = nil, headers: [(String, String)] = []
    ) async throws -> Response {
        let response = try await client.execute(request(method, path, body: body, headers: headers), timeout: timeout)
        let collected = try await response.body.collect(upTo: 512 << 20)
        return Response(status: Int(response.status.code), headers: response.headers, body: collected)
    }

    /// Sends a `GET` and counts the body's bytes as they stream in, without keeping them.
    func streamedLength(_ path: String, accept: String) async throws -> (status: Int, headers: HTTPHeaders, bytes: Int)
    {
        let response = try await client.execute(
            request(.GET, path, body: nil, headers: [("Accept", accept)]), timeout: timeout)
        var bytes = 0
        for try await part in response.body { bytes += part.readableBytes }
        return (Int(response.status.code), response.headers, bytes)
    }

    private var timeout: TimeAmount { .seconds(600) }

    private func request(
        _ method: HTTPMethod, _ path: String, body: ByteBuffer?, headers: [(String, String)]
    ) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: path.hasPrefix("http") ? path : baseURL + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(body)
        }
        return request
    }

    /// Sends a JSON body and fails unless the server answers with a 2xx status.
    func expectSuccess(_ method: HTTPMethod, _ path: String, json: String) async throws -> Response {
        let response = try await send(method, path, body: ByteBuffer(string: json))
        guard (200..<300).contains(response.status) else {
            throw BenchError("\(method) \(path) answered \(response.status): \(response.text.prefix(500))")
        }
        return response
    }

    /// Creates an experiment and returns its id.
    func createExperiment(named name: String) async throws -> Int64 {
        struct Created: Decodable { var id: Int64 }
        return try await expectSuccess(.POST, "/api/experiments", json: #"{"name": "\#(name)"}"#)
            .decode(Created.self).id
    }

    /// Creates a run from a legacy body and returns its id.
    func createRun(experimentID: Int64, legacyBody: String) async throws -> String {
        struct Created: Decodable { var id: String }
        return try await expectSuccess(.POST, "/api/experiments/\(experimentID)/runs", json: legacyBody)
            .decode(Created.self).id
    }
}

/// Fails with the answer's status and body unless it is a 2xx.
extension BenchHTTP.Response {
    @discardableResult
    func expectSuccess(_ what: String) throws -> Self {
        guard (200..<300).contains(status) else { throw BenchError("\(what) answered \(status): \(text.prefix(500))") }
        return self
    }
}

/// A failure that stops the benchmark, with a message for the person running it.
struct BenchError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Percent-encodes a query parameter value: everything but RFC 3986's unreserved characters.
func percentEncoded(_ value: String) -> String {
    var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    allowed.insert(charactersIn: "-._~")
    return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
}
