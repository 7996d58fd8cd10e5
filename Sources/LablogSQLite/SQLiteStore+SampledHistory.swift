import GRDB
import LablogCore

extension SQLiteStore {
    public func sampledMetricHistories(
        runIDs: [RunID], key: String, startStep: Int64?, endStep: Int64?, maxResults: Int
    ) async throws -> [RunID: [MetricPoint]] {
        guard maxResults > 0 else {
            throw LablogError.invalidValue(field: "max_results", reason: "must be positive")
        }
        return try await perform {
            try await writer.read { db in
                guard let keyID = try Self.metricKeyID(db, key: key) else { return [:] }
                var result: [RunID: [MetricPoint]] = [:]
                for runID in Set(runIDs) {
                    let row = try Self.runRow(db, id: runID)
                    let from = startStep ?? .min
                    let to = endStep ?? .max
                    let start = ChunkTable.Position(step: from, timestamp: .min)
                    var steps: [Int64] = []
                    try ChunkTable.forEachSample(db, runID: row.rowID, keyID: keyID, from: start) { sample in
                        guard sample.step <= to else { return false }
                        if sample.step >= from, steps.last != sample.step { steps.append(sample.step) }
                        return true
                    }
                    guard !steps.isEmpty else { continue }
                    let chosen = Set(steps.evenlySpaced(count: maxResults))
                    // The steps come first so the points can be streamed and only the chosen ones kept: a long
                    // history is never held in memory whole.
                    var points: [MetricPoint] = []
                    try ChunkTable.forEachSample(db, runID: row.rowID, keyID: keyID, from: start) { sample in
                        guard sample.step <= to else { return false }
                        if chosen.contains(sample.step) { points.append(sample.point(key: key)) }
                        return true
                    }
                    result[runID] = points
                }
                return result
            }
        }
    }

}
