import Foundation

extension LineChart {
    /// A coordinate, formatted as every chart formats them.
    static func format(_ value: Double) -> String { ChartMarkup.format(value) }

    /// A data value for labels and the read-out: up to six significant digits; empty for nil.
    static func number(_ value: Double?) -> String {
        value.map { NumberFormatting.significant($0) } ?? ""
    }

    /// Text made inert inside SVG or HTML, in element content and in quoted attributes.
    static func escape(_ text: String) -> String {
        HTMLEscaping.escape(text)
    }
}
