import Foundation
import Hummingbird
import LablogCore

/// A request message of MLflow's API, read from a JSON body or, for GET, from the query string.
protocol MLflowRequest: Decodable {
    /// The fields a GET request may carry in its query string.
    static var queryFields: [String] { get }
    /// The query fields that are lists: MLflow's clients repeat the key (`run_ids=a&run_ids=b`), and a key given once
    /// still makes a list.
    static var repeatedQueryFields: Set<String> { get }
}

extension MLflowRequest {
    static var queryFields: [String] { [] }
    static var repeatedQueryFields: Set<String> { [] }
}

/// Reading and writing MLflow's JSON: bodies and query strings in, `200` JSON objects out.
enum MLflowJSON {
    /// Decodes a request: GET and HEAD from the form-encoded query string, every other method from the JSON body.
    ///
    /// MLflow's rules are applied the same way to both: an empty body is `{}`, unknown fields are ignored, and shape
    /// errors become `INVALID_PARAMETER_VALUE` naming the field.
    ///
    /// - Parameter fastPath: a reader for the body's common shape that returns nil for anything else (see
    ///   ``MLflowLogBatchParser``); the general decoder reads what it leaves.
    static func decode<Message: MLflowRequest>(
        _ type: Message.Type, from request: Request, context: AppRequestContext,
        fastPath: (ByteBuffer) throws -> Message? = { _ in nil }
    ) async throws -> Message {
        if request.method == .get || request.method == .head {
            return try decode(Message.self, query: QueryItems(request.uri))
        }
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        if let message = try fastPath(buffer) { return message }
        let isBlank = buffer.readableBytesView.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        // Content-Type is not checked: MLflow's clients always send JSON, and curl users often forget the header.
        return try WireJSON.decode(Message.self, from: isBlank ? ByteBuffer(string: "{}") : buffer)
    }

    /// Decodes a request message from query parameters, by way of the JSON object they stand for.
    static func decode<Message: MLflowRequest>(_ type: Message.Type, query: QueryItems) throws -> Message {
        var object: [String: Any] = [:]
        for name in Message.queryFields {
            let values = query.values(name)
            if Message.repeatedQueryFields.contains(name) {
                if !values.isEmpty { object[name] = values }
            } else if let first = values.first {
                object[name] = first
            }
        }
        let data = try JSONSerialization.data(withJSONObject: object)
        return try WireJSON.decode(Message.self, from: data)
    }

    /// A `200` answer with a JSON object: MLflow's clients refuse every other success status.
    static func response(_ value: some Encodable) throws -> Response {
        try WireJSON.response(value)
    }

    /// The `{}` answer of the RPCs that return nothing (built without an encoder: the logging RPCs answer it
    /// thousands of times a second).
    static func emptyResponse() throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: emptyObjectBody))
    }

    private static let emptyObjectBody = ByteBuffer(string: "{}")
}

/// `{}`.
struct MLflowEmptyObject: Codable, Equatable {}
