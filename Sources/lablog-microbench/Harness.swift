/// Times a piece of work until enough time has passed to trust the rate, and prints the results as one table.
struct Harness {
    /// One printed row.
    struct Row {
        var name: String
        var perIteration: Duration
        var rate: Double
        var unit: String
    }

    /// How long each measurement runs, after one warm-up iteration.
    let minimumDuration: Duration
    private(set) var rows: [Row] = []

    init(minimumDuration: Duration) { self.minimumDuration = minimumDuration }

    /// Runs `body` (which handles `items` items) until `minimumDuration` has passed and records items a second.
    mutating func measure(_ name: String, items: Int, unit: String, _ body: () throws -> Void) rethrows {
        try body()
        let clock = ContinuousClock()
        var iterations = 0
        let start = clock.now
        repeat {
            try body()
            iterations += 1
        } while clock.now - start < minimumDuration
        record(name, elapsed: clock.now - start, iterations: iterations, items: items, unit: unit)
    }

    /// The asynchronous form of ``measure(_:items:unit:_:)``.
    mutating func measure(_ name: String, items: Int, unit: String, _ body: () async throws -> Void) async rethrows {
        try await body()
        let clock = ContinuousClock()
        var iterations = 0
        let start = clock.now
        repeat {
            try await body()
            iterations += 1
        } while clock.now - start < minimumDuration
        record(name, elapsed: clock.now - start, iterations: iterations, items: items, unit: unit)
    }

    private mutating func record(_ name: String, elapsed: Duration, iterations: Int, items: Int, unit: String) {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        rows.append(
            Row(name: name, perIteration: elapsed / iterations, rate: Double(items * iterations) / seconds, unit: unit))
    }

    /// The table: benchmark, time per iteration, items a second.
    func table() -> String {
        let width = max(9, rows.map(\.name.count).max() ?? 0)
        var lines = [pad("benchmark", width) + "  " + pad("per iteration", 15) + "  rate"]
        lines.append(String(repeating: "-", count: width + 40))
        for row in rows {
            let micros =
                Double(row.perIteration.components.attoseconds) / 1e12
                + Double(row.perIteration.components.seconds) * 1e6
            lines.append(
                pad(row.name, width) + "  " + pad(grouped(micros) + " us", 15) + "  " + grouped(row.rate) + " "
                    + row.unit)
        }
        return lines.joined(separator: "\n")
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    /// A whole number with thousands separators.
    private func grouped(_ value: Double) -> String {
        let digits = String(Int(value.rounded()))
        var result = ""
        for (offset, character) in digits.reversed().enumerated() {
            if offset > 0, offset % 3 == 0, character != "-" { result.append(",") }
            result.append(character)
        }
        return String(result.reversed())
    }
}
