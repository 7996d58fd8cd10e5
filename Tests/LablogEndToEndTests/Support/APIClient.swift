import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A small JSON-over-HTTP client for a running Lablog server, built on AsyncHTTPClient.
struct APIClient: Sendable {
    /// The origin, for example `http://127.0.0.1:51234`.
    let baseURL: String

    func get(_ path: String) async throws -> APIResponse {
        try await send(.GET, path)
    }

    func delete(_ path: String) async throws -> APIResponse {
        try await send(.DELETE, path)
    }

    func post(_ path: String, json: String) async throws -> APIResponse {
        try await send(.POST, path, body: json)
    }

    func patch(_ path: String, json: String) async throws -> APIResponse {
        try await send(.PATCH, path, body: json)
    }

    /// Sends one request and collects the whole response.
    func send(
        _ method: HTTPMethod, _ path: String, body: String? = nil, contentType: String = "application/json",
        timeout: Duration = .seconds(30)
    ) async throws -> APIResponse {
        var request = HTTPClientRequest(url: path.hasPrefix("http") ? path : baseURL + path)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(string: body))
        }
        let (seconds, attoseconds) = timeout.components
        let response = try await HTTPClient.shared.execute(
            request, timeout: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
        let buffer = try await response.body.collect(upTo: 64 << 20)
        return APIResponse(
            status: Int(response.status.code), headers: response.headers, body: Data(buffer.readableBytesView))
    }

    /// Every item of a paginated list, following `Link: <...>; rel="next"` headers.
    func all(_ path: String, maxPages: Int = 1000) async throws -> [[String: Any]] {
        var items: [[String: Any]] = []
        var next: String? = path
        var pages = 0
        while let url = next {
            pages += 1
            guard pages <= maxPages else { throw EndToEndFailure("More than \(maxPages) pages at \(path)") }
            let response = try await get(url)
            guard response.status == 200 else {
                throw EndToEndFailure("GET \(url) answered \(response.status): \(response.text)")
            }
            items += try response.array()
            next = response.nextLink
        }
        return items
    }
}

/// A complete HTTP response.
struct APIResponse: Sendable {
    let status: Int
    let headers: HTTPHeaders
    let body: Data

    var text: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? {
        headers.first(name: name)
    }

    /// The body as a JSON object.
    func object() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw EndToEndFailure("Expected a JSON object, got: \(text)")
        }
        return object
    }

    /// The body as a JSON array of objects.
    func array() throws -> [[String: Any]] {
        guard let array = try JSONSerialization.jsonObject(with: body) as? [[String: Any]] else {
            throw EndToEndFailure("Expected a JSON array of objects, got: \(text)")
        }
        return array
    }

    /// The target of the `rel="next"` link, if the list has another page.
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

/// Percent-encodes a query parameter value: everything but RFC 3986's unreserved characters.
func percentEncoded(_ value: String) -> String {
    var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    allowed.insert(charactersIn: "-._~")
    return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
}
