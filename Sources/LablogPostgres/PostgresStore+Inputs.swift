import LablogCore
import PostgresNIO

extension PostgresStore {
    public func logInputs(runID: RunID, _ inputs: [DatasetInput]) async throws {
        for input in inputs {
            try Validator.datasetInput(input)
        }
        try await write { session in
            let row = try await Self.runRow(session, id: runID)
            try Self.requireActive(row, id: runID)
            for input in inputs {
                let dataset = input.dataset
                // A dataset is registered once per experiment; a concurrent registration wins and is read back.
                try await session.execute(
                    """
                    INSERT INTO datasets (experiment_id, name, digest, source_type, source, schema, profile)
                    VALUES (\(row.experimentID), \(dataset.name), \(dataset.digest), \(dataset.sourceType),
                            \(dataset.source), \(dataset.schema), \(dataset.profile))
                    ON CONFLICT (experiment_id, name, digest) DO NOTHING
                    """)
                let datasetID =
                    try await session.first(
                        """
                        SELECT id FROM datasets
                        WHERE experiment_id = \(row.experimentID) AND name = \(dataset.name)
                          AND digest = \(dataset.digest)
                        """)?.decode(Int64.self) ?? 0
                // "No context" is stored as '' so the unique constraint sees one value, as on SQLite.
                let inserted = try await session.first(
                    """
                    INSERT INTO run_inputs (run_id, dataset_id, context) VALUES (\(row.rowID), \(datasetID),
                        \(input.context ?? ""))
                    ON CONFLICT (run_id, dataset_id, context) DO NOTHING RETURNING id
                    """)
                guard let inputID = try inserted?.decode(Int64.self) else { continue }
                let tags = Self.lastValuePerKey(input.tags)
                guard !tags.isEmpty else { continue }
                try await session.execute(
                    """
                    INSERT INTO run_input_tags (input_id, key, value)
                    SELECT \(inputID), t.key, t.value
                    FROM unnest(\(tags.map(\.key))::text[], \(tags.map(\.value))::text[]) AS t (key, value)
                    """)
            }
        }
    }
}
