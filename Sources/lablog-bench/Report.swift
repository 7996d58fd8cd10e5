/// The benchmark's result table: one row a figure, with its target and verdict.
struct Report: Sendable {
    enum Verdict: String, Sendable {
        case pass = "PASS"
        case miss = "MISS"
        case info = "-"
    }

    struct Row: Sendable {
        var workload: String
        var figure: String
        var measured: String
        var target: String
        var verdict: Verdict
    }

    private(set) var rows: [Row] = []

    /// Whether every figure with a target met it.
    var allPassed: Bool { !rows.contains { $0.verdict == .miss } }

    mutating func add(_ workload: String, _ figure: String, _ measured: String, target: String = "-", passed: Bool?) {
        let verdict: Verdict = passed.map { $0 ? .pass : .miss } ?? .info
        rows.append(Row(workload: workload, figure: figure, measured: measured, target: target, verdict: verdict))
    }

    /// The table as aligned plain text.
    func rendered() -> String {
        let headings = ["workload", "figure", "measured", "target"]
        var widths: [Int] = headings.map(\.count)
        for row in rows {
            let cells: [String] = [row.workload, row.figure, row.measured, row.target]
            for (column, cell) in cells.enumerated() {
                widths[column] = max(widths[column], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            zip(cells, widths + [0]).map { cell, width in cell.padding(to: width) }.joined(separator: "  ")
        }
        var lines = [line(headings + ["result"])]
        lines.append(line(widths.map { String(repeating: "-", count: $0) } + ["------"]))
        for row in rows {
            lines.append(line([row.workload, row.figure, row.measured, row.target, row.verdict.rawValue]))
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

/// Formats `value` with thousands separators and `decimals` digits after the point.
func formatted(_ value: Double, decimals: Int = 0) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let whole = Int(scaled / scale)
    var digits = String(whole)
    var grouped = ""
    while digits.count > 3 {
        grouped = "," + digits.suffix(3) + grouped
        digits.removeLast(3)
    }
    grouped = digits + grouped
    if decimals > 0 {
        let fraction = Int(scaled) - whole * Int(scale)
        let text = String(fraction)
        grouped += "." + String(repeating: "0", count: decimals - text.count) + text
    }
    return (value < 0 ? "-" : "") + grouped
}
