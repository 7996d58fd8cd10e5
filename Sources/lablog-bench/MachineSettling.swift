import Foundation

/// Waits for the machine to go quiet before latencies are measured.
///
/// Right after a bulk load a database still digests it in the background (PostgreSQL's autovacuum and
/// checkpoints, SQLite's WAL checkpoints), which on a small machine takes the cores the measured requests need.
/// Measuring a settled machine compares the backends' search itself, as users meet it, rather than how long each
/// takes to clean up after a load.
enum MachineSettling {
    /// The busy share of all cores below which the machine counts as quiet.
    static let quietShare = 0.15

    /// Polls `/proc/stat` every half second until two readings in a row are quiet, or `limit` has passed; returns
    /// how long it waited and the last busy share (nil where `/proc/stat` cannot be read).
    static func waitUntilQuiet(limit: Duration = .seconds(90)) async throws -> (waited: Duration, busy: Double)? {
        guard var previous = cpuTicks() else { return nil }
        let clock = ContinuousClock()
        let start = clock.now
        var quietReadings = 0
        var busy = 1.0
        while clock.now - start < limit {
            try await Task.sleep(for: .milliseconds(500))
            guard let current = cpuTicks() else { return nil }
            let total = current.total - previous.total
            busy = total > 0 ? Double(current.busy - previous.busy) / Double(total) : 0
            previous = current
            quietReadings = busy < quietShare ? quietReadings + 1 : 0
            if quietReadings == 2 { break }
        }
        return (clock.now - start, busy)
    }

    /// Busy and total jiffies of all cores since boot, from the first line of `/proc/stat`.
    private static func cpuTicks() -> (busy: Int, total: Int)? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = text.split(separator: "\n").first, line.hasPrefix("cpu ")
        else { return nil }
        let fields = line.split(separator: " ").dropFirst().compactMap { Int($0) }
        guard fields.count >= 5 else { return nil }
        // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
        let total = fields.prefix(8).reduce(0, +)
        return (total - fields[3] - fields[4], total)
    }
}
