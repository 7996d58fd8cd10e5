import Hummingbird
import LablogCore

/// The file formats of an experiment export.
enum ExportFormat: String, CaseIterable {
    case csv, json, ndjson

    var contentType: String {
        switch self {
        case .csv: "text/csv; charset=utf-8"
        case .json: "application/json; charset=utf-8"
        case .ndjson: "application/x-ndjson; charset=utf-8"
        }
    }
}

/// Turns runs into the bytes of an export, one row a run: `run_id, name, status, start_time, end_time`, then
/// `params.<key>`, latest `metrics.<key>` and `tags.<key>` columns.
struct ExportEncoder: Sendable {
    /// One cell of a row.
    enum Cell {
        case text(String)
        case number(Double)
        case missing
    }

    let format: ExportFormat
    let columns: RunColumns
    let header: [String]

    init(format: ExportFormat, columns: RunColumns) {
        self.format = format
        var columns = columns
        columns.tags.removeAll(where: Tag.mirrorsRunAttribute)
        self.columns = columns
        header =
            ["run_id", "name", "status", "start_time", "end_time"] + columns.params.map { "params." + $0 }
            + columns.metrics.map { "metrics." + $0 } + columns.tags.map { "tags." + $0 }
    }

    /// What comes before the first row: the CSV header line or the JSON array's `[`.
    func prologue() -> String {
        switch format {
        case .csv: header.map(Self.csvField).joined(separator: ",") + "\r\n"
        case .json: "["
        case .ndjson: ""
        }
    }

    /// What comes after the last row.
    func epilogue(rowsWritten: Int) -> String {
        format == .json ? (rowsWritten == 0 ? "]\n" : "\n]\n") : ""
    }

    /// The rows of `runs`; `firstRowIndex` is the number of rows already written (JSON needs commas between them).
    func encode(_ runs: [Run], firstRowIndex: Int) -> ByteBuffer {
        var text = ""
        text.reserveCapacity(runs.count * header.count * 12)
        for (offset, run) in runs.enumerated() {
            let cells = self.cells(of: run)
            switch format {
            case .csv:
                text += cells.map(Self.csvCell).joined(separator: ",")
                text += "\r\n"
            case .json:
                text += firstRowIndex + offset == 0 ? "\n" : ",\n"
                appendJSONObject(cells, to: &text)
            case .ndjson:
                appendJSONObject(cells, to: &text)
                text += "\n"
            }
        }
        return ByteBuffer(string: text)
    }

    private func cells(of run: Run) -> [Cell] {
        var cells: [Cell] = [
            .text(run.id.rawValue), .text(run.name), .text(run.status.rawValue), .text(WireTime.format(run.startTime)),
            run.endTime.map { .text(WireTime.format($0)) } ?? .missing,
        ]
        cells.reserveCapacity(header.count)
        let params = Dictionary(run.params.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        let metrics = Dictionary(run.latestMetrics.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        let tags = Dictionary(run.tags.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        cells += columns.params.map { params[$0].map(Cell.text) ?? .missing }
        cells += columns.metrics.map { metrics[$0].map(Cell.number) ?? .missing }
        cells += columns.tags.map { tags[$0].map(Cell.text) ?? .missing }
        return cells
    }

    private func appendJSONObject(_ cells: [Cell], to text: inout String) {
        text += "{"
        for (index, cell) in cells.enumerated() {
            if index > 0 { text += "," }
            Self.appendJSONString(header[index], to: &text)
            text += ":"
            switch cell {
            case .text(let value): Self.appendJSONString(value, to: &text)
            case .number(let value):
                if value.isFinite {
                    text += value.description
                } else {
                    Self.appendJSONString(WireNumber.text(value), to: &text)
                }
            case .missing: text += "null"
            }
        }
        text += "}"
    }

    /// Writes a JSON string literal, escaping quotes, backslashes and control characters.
    static func appendJSONString(_ value: String, to text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\u{00}"..."\u{1F}", "\u{2028}", "\u{2029}":
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }

    private static func csvCell(_ cell: Cell) -> String {
        switch cell {
        case .text(let value): csvField(neutralizingFormula(value))
        case .number(let value): WireNumber.text(value)
        case .missing: ""
        }
    }

    /// Quotes a field per RFC 4180 when it holds a comma, a quote, CR or LF.
    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else {
            return value
        }
        return "\"" + value.replacingAll("\"", with: "\"\"") + "\""
    }

    /// Spreadsheets run a cell starting with `=`, `+`, `-` or `@` as a formula; a leading `'` makes it text.
    /// Numbers such as `-0.5` keep their form so they stay numbers.
    static func neutralizingFormula(_ value: String) -> String {
        guard let first = value.first, first == "=" || first == "+" || first == "-" || first == "@" else {
            return value
        }
        return Double(value) != nil ? value : "'" + value
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        result.reserveCapacity(count + 8)
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
