import GRDB
import LablogCore

extension SQLiteStore {
    public func sampledMetricHistories(
        runIDs: [RunID], key: String, startStep: Int64?, endStep: Int64?, maxResults: Int
    ) async throws -> [RunID: [MetricPoint]] {
        let sampling = try SampledHistoryCollector(
            key: key, startStep: startStep, endStep: endStep, maxResults: maxResults)
        return try await perform {
            try await writer.read { db in
                guard let keyID = try Self.metricKeyID(db, key: key) else { return [:] }
                var result: [RunID: [MetricPoint]] = [:]
                for runID in Set(runIDs) {
                    let row = try Self.runRow(db, id: runID)
                    var collector = sampling
                    try ChunkTable.forEachSample(db, runID: row.rowID, keyID: keyID, from: collector.start) {
                        collector.visitStep($0)
                    }
                    guard collector.chooseSteps() else { continue }
                    try ChunkTable.forEachSample(db, runID: row.rowID, keyID: keyID, from: collector.start) {
                        collector.visitPoint($0)
                    }
                    result[runID] = collector.points
                }
                return result
            }
        }
    }

}
