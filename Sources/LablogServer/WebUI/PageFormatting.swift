import Foundation

/// A timestamp cell: rendered by the `time` partial as `<time datetime="ISO">2026-11-29 14:28:11 UTC</time>`,
/// which the common script shows in the viewer's time zone.
struct TimeCell: Sendable {
    /// The ISO 8601 UTC text, with milliseconds.
    let iso: String
    /// The readable UTC text, for readers without the script.
    let text: String

    /// The cell of epoch milliseconds.
    init(milliseconds: Int64) {
        iso = WireTime.format(milliseconds)
        // `2026-11-29T14:28:11.123Z` -> `2026-11-29 14:28:11 UTC`.
        let dateAndTime = iso.prefix(19).replacingOccurrences(of: "T", with: " ")
        text = dateAndTime + " UTC"
    }

    /// The element as markup, for HTML built in Swift.
    var html: String {
        "<time datetime=\"\(HTMLEscaping.escape(iso))\">\(HTMLEscaping.escape(text))</time>"
    }
}

/// Number formatting shared by every page.
enum NumberFormatting {
    /// `value` with up to `digits` significant digits, without trailing zeros; `NaN`, `Inf` and `-Inf` spelled out.
    static func significant(_ value: Double, digits: Int = 6) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "Inf" : "-Inf" }
        if value == 0 { return "0" }
        if value == value.rounded(), abs(value) < 1e15 {
            let integer = Int64(value)
            if String(integer).count - (integer < 0 ? 1 : 0) <= digits { return String(integer) }
        }
        let text = String(format: "%.\(max(1, digits))g", value)
        return trimmingZeros(text)
    }

    /// A count with thousands separators: `12,345`.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return value < 0 ? "-" + grouped : grouped
    }

    /// "1 run", "12,345 runs".
    static func runs(_ value: Int) -> String {
        value == 1 ? "1 run" : "\(count(value)) runs"
    }

    /// Removes trailing zeros of the fraction (`1.500000e+03` -> `1.5e+03`, `0.2500` -> `0.25`).
    private static func trimmingZeros(_ text: String) -> String {
        let parts = text.split(separator: "e", maxSplits: 1, omittingEmptySubsequences: false)
        var mantissa = String(parts[0])
        if mantissa.contains(".") {
            while mantissa.hasSuffix("0") { mantissa.removeLast() }
            if mantissa.hasSuffix(".") { mantissa.removeLast() }
        }
        return parts.count > 1 ? mantissa + "e" + parts[1] : mantissa
    }
}
