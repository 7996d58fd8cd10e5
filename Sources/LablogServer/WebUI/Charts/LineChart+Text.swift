import Foundation

extension LineChart {
    /// A coordinate with one decimal, which is finer than a pixel at any size the chart is shown.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int64(rounded)) : String(rounded)
    }

    /// A data value for labels and the read-out: up to six significant digits; empty for nil.
    static func number(_ value: Double?) -> String {
        value.map { NumberFormatting.significant($0) } ?? ""
    }

    /// Text made inert inside SVG or HTML, in element content and in quoted attributes.
    static func escape(_ text: String) -> String {
        HTMLEscaping.escape(text)
    }
}
