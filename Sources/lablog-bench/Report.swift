/// The benchmark's result table: one row a figure, with its target, verdict and a note.
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
        var note: String
    }

    private(set) var rows: [Row] = []

    /// Whether every figure with a target met it.
    var allPassed: Bool { !rows.contains { $0.verdict == .miss } }

    /// The rows that missed their target.
    var misses: [Row] { rows.filter { $0.verdict == .miss } }

    /// Adds a figure; `passed` is nil for a figure shown for information, without a target.
    mutating func add(
        _ workload: String, _ figure: String, _ measured: String, target: String = "-", passed: Bool?,
        note: String = ""
    ) {
        let verdict: Verdict = passed.map { $0 ? .pass : .miss } ?? .info
        rows.append(
            Row(workload: workload, figure: figure, measured: measured, target: target, verdict: verdict, note: note))
    }

    mutating func append(_ other: Report) {
        rows += other.rows
    }

    /// The table as aligned plain text.
    func rendered() -> String {
        let headings = ["workload", "figure", "measured", "target", "result"]
        let table = rows.map { [$0.workload, $0.figure, $0.measured, $0.target, $0.verdict.rawValue] }
        var widths: [Int] = headings.map(\.count)
        for cells in table {
            for (column, cell) in cells.enumerated() {
                widths[column] = max(widths[column], cell.count)
            }
        }
        func line(_ cells: [String], note: String) -> String {
            let text = zip(cells, widths).map { cell, width in cell.padding(to: width) }.joined(separator: "  ")
            return note.isEmpty ? text : text + "  " + note
        }
        var lines = [line(headings, note: "note")]
        lines.append(line(widths.map { String(repeating: "-", count: $0) }, note: "----"))
        for (row, cells) in zip(rows, table) {
            lines.append(line(cells, note: row.note))
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
    return (value < 0 && scaled > 0 ? "-" : "") + grouped
}

/// Formats an integer count with thousands separators.
func formatted(_ value: Int) -> String { formatted(Double(value)) }

/// Formats milliseconds with two decimals and the unit.
func milliseconds(_ value: Double) -> String { "\(formatted(value, decimals: 2)) ms" }
