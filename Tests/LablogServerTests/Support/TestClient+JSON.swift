import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

extension TestClientProtocol {
    /// Sends a request with an optional body (JSON unless `contentType` says otherwise) and returns the response.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, body: String? = nil, contentType: String? = "application/json",
        headers: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = headers
        if body != nil, let contentType { headers[.contentType] = contentType }
        return try await execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }
        ) { $0 }
    }
}

extension TestResponse {
    /// The body parsed as JSON.
    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(body.readableBytesView), options: [.fragmentsAllowed])
    }

    /// The body parsed as a JSON object.
    func jsonObject() throws -> [String: Any] {
        guard let object = try json() as? [String: Any] else {
            throw JSONShapeError(description: "not a JSON object: \(String(buffer: body))")
        }
        return object
    }

    /// The body re-serialized with sorted keys, for whole-body comparisons with ``canonicalJSON(_:)``.
    func canonicalBody() throws -> String {
        try canonicalJSON(String(buffer: body))
    }

    /// The header's value, looked up by name.
    func header(_ name: String) -> String? {
        HTTPField.Name(name).flatMap { headers[$0] }
    }
}

/// `text` parsed and re-serialized with sorted keys, so two JSON texts compare equal when their values do.
func canonicalJSON(_ text: String) throws -> String {
    let value = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    let data = try JSONSerialization.data(
        withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self)
}

/// `object` serialized with sorted keys, to compare with ``TestResponse/canonicalBody()``.
func jsonText(_ object: [String: any Sendable]) throws -> String {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self)
}

/// A response body that does not have the expected JSON shape.
struct JSONShapeError: Error, CustomStringConvertible {
    var description: String
}
