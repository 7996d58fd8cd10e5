import Foundation
import Hummingbird

extension Request {
    /// Reads the body of a native API request as JSON: every handler that takes a body goes through here.
    ///
    /// - Throws: ``TransportError/unsupportedMediaType(_:)`` unless the content type is `application/json`
    ///   (parameters such as `charset` are allowed); ``TransportError/malformedJSON(_:)`` for an empty or
    ///   syntactically invalid body; ``LablogError/invalidValue(field:reason:)`` for a body of the wrong shape;
    ///   Hummingbird's too-many-bytes error past ``AppRequestContext/maxUploadSize``.
    func decodeJSONBody<Body: Decodable>(as type: Body.Type, context: AppRequestContext) async throws -> Body {
        try WireJSON.decode(Body.self, from: try await collectJSONBody(context: context))
    }

    /// The checks of ``decodeJSONBody(as:context:)`` without the decoding: the non-empty body of a JSON request.
    func collectJSONBody(context: AppRequestContext) async throws -> ByteBuffer {
        try requireJSONContentType()
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else { throw TransportError.malformedJSON("the request body is empty") }
        return buffer
    }

    private func requireJSONContentType() throws {
        guard let contentType = headers[.contentType] else {
            throw TransportError.unsupportedMediaType("none")
        }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        guard mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/json" else {
            throw TransportError.unsupportedMediaType(contentType)
        }
    }
}
