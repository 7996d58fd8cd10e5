import Foundation
import Hummingbird
import LablogCore

/// The JSON coders of the native API and the translation of decoding failures into Lablog's errors.
enum WireJSON {
    /// Non-finite metric values travel as MLflow encodes them: the strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        // Sorted keys make every response byte-for-byte reproducible, which helps caching and diffing.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return decoder
    }()

    /// Python's `json` module writes non-finite floats as the bare literals `NaN` and `Infinity`, which strict
    /// JSON refuses; JSON5 allows them, so a body that fails strictly and contains them gets a second reading.
    private static let lenientDecoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.allowsJSON5 = true
        return decoder
    }()

    /// Makes a JSON response.
    static func response(
        _ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]
    ) throws -> Response {
        let data = try encoder.encode(value)
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Decodes a request body held in a byte buffer.
    static func decode<Body: Decodable>(_ type: Body.Type, from buffer: ByteBuffer) throws -> Body {
        try decode(Body.self, from: buffer.withUnsafeReadableBytes { Data($0) })
    }

    /// Decodes a request body.
    ///
    /// - Throws: ``TransportError/malformedJSON(_:)`` when the bytes are not JSON;
    ///   ``LablogError/invalidValue(field:reason:)`` naming the field when the JSON has the wrong shape.
    static func decode<Body: Decodable>(_ type: Body.Type, from data: Data) throws -> Body {
        do {
            return try decoder.decode(Body.self, from: data)
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            if let syntaxError = syntaxError(in: data) {
                guard containsNonFiniteLiteral(data) else { throw TransportError.malformedJSON(syntaxError) }
                do {
                    return try lenientDecoder.decode(Body.self, from: data)
                } catch let error as DecodingError {
                    throw translate(error)
                }
            }
            // Valid JSON that Foundation still calls corrupted: a number that does not fit the field's type.
            throw LablogError.invalidValue(field: "body", reason: "contains a number out of range for its field")
        } catch let error as DecodingError {
            throw translate(error)
        }
    }

    /// Maps a shape error to a validation failure that names the field path in the wire's snake_case.
    static func translate(_ error: DecodingError) -> any Error {
        switch error {
        case .keyNotFound(let key, let context):
            return LablogError.invalidValue(field: WirePath.describe(context.codingPath + [key]), reason: "is required")
        case .valueNotFound(_, let context):
            return LablogError.invalidValue(field: WirePath.describe(context.codingPath), reason: "must not be null")
        case .typeMismatch(let type, let context):
            return LablogError.invalidValue(
                field: WirePath.describe(context.codingPath), reason: "must be \(WirePath.describe(type))")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return TransportError.malformedJSON(context.debugDescription) }
            return LablogError.invalidValue(
                field: WirePath.describe(context.codingPath), reason: context.debugDescription)
        @unknown default:
            return LablogError.invalidValue(field: "body", reason: "\(error)")
        }
    }

    /// A description of the first syntax error in `data`, or nil when it is well-formed JSON.
    private static func syntaxError(in data: Data) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return nil
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            return detail ?? "the body is not valid JSON"
        }
    }

    private static func containsNonFiniteLiteral(_ data: Data) -> Bool {
        data.range(of: Data("NaN".utf8)) != nil || data.range(of: Data("Infinity".utf8)) != nil
    }
}

/// Names a position in a decoded body the way a client wrote it: `metrics[3].value`.
enum WirePath {
    /// The dotted path of a coding path; `body` for the root.
    static func describe(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return text.isEmpty ? "body" : text
    }

    /// A reader's name for an expected type.
    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        case is Double.Type, is Float.Type: return "a number"
        case is Int.Type, is Int64.Type, is Int32.Type: return "an integer"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "a \(name)"
        }
    }
}
