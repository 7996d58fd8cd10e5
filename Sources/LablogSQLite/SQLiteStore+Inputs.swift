import GRDB
import LablogCore

extension SQLiteStore {
    public func logInputs(runID: RunID, _ inputs: [DatasetInput]) async throws {
        for input in inputs {
            try Validator.datasetInput(input)
        }
        try await perform {
            try await write { db in
                let row = try Self.runRow(db, id: runID)
                try Self.requireActive(row, id: runID)
                let experimentID = row.experimentID
                for input in inputs {
                    let dataset = input.dataset
                    try db.execute(
                        sql: """
                            INSERT INTO datasets (experiment_id, name, digest, source_type, source, schema, profile)
                            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (experiment_id, name, digest) DO NOTHING
                            """,
                        arguments: [
                            experimentID, dataset.name, dataset.digest, dataset.sourceType, dataset.source,
                            dataset.schema, dataset.profile,
                        ])
                    let datasetID =
                        try Int64.fetchOne(
                            db, sql: "SELECT id FROM datasets WHERE experiment_id = ? AND name = ? AND digest = ?",
                            arguments: [experimentID, dataset.name, dataset.digest]) ?? 0
                    // SQLite treats NULLs as distinct in UNIQUE constraints, so "no context" is stored as ''.
                    let context = input.context ?? ""
                    try db.execute(
                        sql: """
                            INSERT INTO run_inputs (run_id, dataset_id, context) VALUES (?, ?, ?)
                            ON CONFLICT (run_id, dataset_id, context) DO NOTHING
                            """,
                        arguments: [row.rowID, datasetID, context])
                    guard db.changesCount == 1 else { continue }
                    let inputID = db.lastInsertedRowID
                    for tag in Self.lastValuePerKey(input.tags) {
                        try db.execute(
                            sql: "INSERT INTO run_input_tags (input_id, key, value) VALUES (?, ?, ?)",
                            arguments: [inputID, tag.key, tag.value])
                    }
                }
            }
        }
    }
}
