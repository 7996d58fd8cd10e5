import Foundation

/// Opaque page cursors: base64url text that only a store reads back. Every backend makes the same forms, so a
/// cursor means the same position whichever store answers it.
public enum PageCursor {
    /// A cursor for the page starting at `offset`.
    public static func offset(_ offset: Int) -> String {
        encode("o:\(offset)")
    }

    /// The offset of a cursor made by ``offset(_:)``; 0 for nil.
    public static func decodeOffset(_ cursor: String?) throws -> Int {
        guard let cursor else { return 0 }
        guard let text = decode(cursor), text.hasPrefix("o:"), let offset = Int(text.dropFirst(2)), offset >= 0
        else { throw invalid }
        return offset
    }

    /// A cursor for the history page that follows `point`.
    public static func after(_ point: MetricPoint) -> String {
        let isNaN = point.value.isNaN
        let bits = (isNaN ? 0 : point.value).bitPattern
        return encode("s:\(point.step):\(point.timestamp):\(bits):\(isNaN ? 1 : 0)")
    }

    /// The point a cursor made by ``after(_:)`` stands for.
    public static func decodeHistory(_ cursor: String?) throws -> MetricSample? {
        guard let cursor else { return nil }
        guard let text = decode(cursor), text.hasPrefix("s:") else { throw invalid }
        let parts = text.dropFirst(2).split(separator: ":")
        guard parts.count == 4, let step = Int64(parts[0]), let timestamp = Int64(parts[1]),
            let bits = UInt64(parts[2]), let isNaN = Int(parts[3]), isNaN == 0 || isNaN == 1
        else { throw invalid }
        return MetricSample(step: step, timestamp: timestamp, value: isNaN == 1 ? .nan : Double(bitPattern: bits))
    }

    private static let invalid = LablogError.badRequest("Invalid cursor: pass the cursor of a previous page unchanged")

    private static func encode(_ text: String) -> String {
        Data(text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static func decode(_ cursor: String) -> String? {
        guard cursor.count <= 200 else { return nil }
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).flatMap { String(data: $0, encoding: .utf8) }
    }
}
