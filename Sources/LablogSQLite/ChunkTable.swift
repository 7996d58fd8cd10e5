import GRDB
import GRDBSQLite
import LablogCore

/// Metric histories in SQLite: one `metric_chunks` row per chunk of points (see ``MetricChunk``), holding the
/// chunk's summary and pointing at its bytes in `metric_chunk_points`. Summaries are narrow rows clustered by
/// (run, key, first step, first timestamp), so bounds and chart buckets scan a few hundred bytes per thousand
/// points; the bytes are read only for the chunks a request needs.
enum ChunkTable {
    /// A stored chunk: its summary and the row id of its bytes.
    struct Stored {
        var summary: MetricChunkSummary
        var pointsID: Int64
        /// How many bytes of the points row are points: an open chunk's row is longer, so that appends write
        /// in place.
        var byteCount: Int
    }

    /// The smallest room an open chunk's row is given. An open row is kept about twice as long as its points, so
    /// appends write in place and the row is rewritten only when it doubles (a one-point series stays small).
    private static let minimumRoom = 64

    /// The position a chunk is keyed by, and the one a point falls under.
    typealias Position = MetricChunk.Position

    private static let columns = """
        first_step, first_timestamp, first_value, last_step, last_timestamp, last_value, min_timestamp,
        max_timestamp, point_count, value_count, min_value, max_value, value_sum, points_id, point_bytes
        """
    private static let series = "run_id = ? AND key_id = ?"

    // MARK: Writing

    /// Stores `samples` (in history order, without repeats) in the series, each point once: points after the
    /// series' last point are appended to its open chunk and then to new chunks; earlier ones are merged into
    /// the chunks whose range they fall in, and a repeat of a stored point changes nothing.
    static func append(_ db: Database, runID: Int64, keyID: Int64, samples: [MetricSample]) throws {
        guard !samples.isEmpty else { return }
        var tail = try last(db, runID: runID, keyID: keyID)
        var pending = samples[...]
        if let current = tail {
            let boundary = pending.firstIndex { current.summary.last.precedes($0) } ?? pending.endIndex
            if boundary > pending.startIndex {
                try merge(db, runID: runID, keyID: keyID, samples: pending[..<boundary])
                pending = pending[boundary...]
                guard !pending.isEmpty else { return }
                tail = try last(db, runID: runID, keyID: keyID)
            }
        }
        if let tail {
            let taken = MetricChunk.appendableCount(pending, to: tail.summary)
            if taken > 0 {
                let head = pending.prefix(taken)
                var summary = tail.summary
                summary.extend(with: head)
                let byteCount = try appendPoints(
                    db, to: tail, bytes: MetricChunk.encode(head, after: tail.summary.last),
                    seal: summary.count >= MetricChunk.capacity)
                try update(
                    db, runID: runID, keyID: keyID, key: Position(tail.summary.first), summary: summary,
                    byteCount: byteCount)
                pending = pending.dropFirst(taken)
            }
        }
        let pieces = MetricChunk.split(pending)
        for (index, piece) in pieces.enumerated() {
            try insert(db, runID: runID, keyID: keyID, samples: piece, open: index == pieces.count - 1)
        }
    }

    /// Merges points that do not follow the series' last point into the chunks covering their positions.
    private static func merge(_ db: Database, runID: Int64, keyID: Int64, samples: ArraySlice<MetricSample>) throws {
        guard let first = samples.first, let lastSample = samples.last else { return }
        let start = try chunkKey(db, runID: runID, keyID: keyID, covering: Position(first)) ?? .start
        var chunks: [Stored] = []
        try forEach(db, runID: runID, keyID: keyID, from: start) { chunk in
            guard chunks.isEmpty || !Position(lastSample).precedes(Position(chunk.summary.first)) else {
                return false
            }
            chunks.append(chunk)
            return true
        }
        let dealt = MetricChunk.deal(samples, toChunksStartingAt: chunks.map { Position($0.summary.first) })
        for (chunk, mine) in zip(chunks, dealt) where !mine.isEmpty {
            let stored = try points(db, chunk)
            let merged = stored.merged(with: Array(mine))
            guard merged.count > stored.count else { continue }
            try delete(db, runID: runID, keyID: keyID, chunk: chunk)
            for piece in MetricChunk.rechunk(merged) {
                try insert(db, runID: runID, keyID: keyID, samples: piece, open: false)
            }
        }
    }

    private static func insert(
        _ db: Database, runID: Int64, keyID: Int64, samples: ArraySlice<MetricSample>, open: Bool
    ) throws {
        guard let summary = MetricChunkSummary(samples) else { return }
        let bytes = MetricChunk.encode(samples)
        let statement = try db.cachedStatement(sql: "INSERT INTO metric_chunk_points (points) VALUES (?)")
        try bind(bytes, to: statement, at: 1, room: open ? max(minimumRoom, 2 * bytes.count) : 0)
        try step(db, statement)
        let pointsID = db.lastInsertedRowID
        try db.cachedStatement(
            sql: """
                INSERT INTO metric_chunks (run_id, key_id, \(columns))
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [runID, keyID] + summaryArguments(summary) + [pointsID, bytes.count])
    }

    /// Appends encoded points to a chunk's row: in place through SQLite's incremental blob I/O when the row
    /// has room (only the pages written to change), otherwise by writing the row again with more room. A
    /// sealed chunk's row is trimmed to its points. Returns the chunk's new byte count.
    private static func appendPoints(_ db: Database, to chunk: Stored, bytes: [UInt8], seal: Bool) throws -> Int {
        let byteCount = chunk.byteCount + bytes.count
        var handle: OpaquePointer?
        var code = sqlite3_blob_open(
            db.sqliteConnection, "main", "metric_chunk_points", "points", chunk.pointsID, 1, &handle)
        defer { sqlite3_blob_close(handle) }
        guard code == SQLITE_OK else { throw error(db, code) }
        let room = Int(sqlite3_blob_bytes(handle))
        if byteCount <= room, !seal {
            code = bytes.withUnsafeBytes { buffer in
                sqlite3_blob_write(handle, buffer.baseAddress, Int32(buffer.count), Int32(chunk.byteCount))
            }
            guard code == SQLITE_OK else { throw error(db, code) }
            return byteCount
        }
        var all = [UInt8](repeating: 0, count: chunk.byteCount)
        code = all.withUnsafeMutableBytes { buffer in
            sqlite3_blob_read(handle, buffer.baseAddress, Int32(buffer.count), 0)
        }
        guard code == SQLITE_OK else { throw error(db, code) }
        all += bytes
        let statement = try db.cachedStatement(sql: "UPDATE metric_chunk_points SET points = ? WHERE id = ?")
        try bind(all, to: statement, at: 1, room: seal ? 0 : max(minimumRoom, 2 * all.count))
        sqlite3_bind_int64(statement.sqliteStatement, 2, chunk.pointsID)
        try step(db, statement)
        return byteCount
    }

    private static func update(
        _ db: Database, runID: Int64, keyID: Int64, key: Position, summary: MetricChunkSummary, byteCount: Int
    ) throws {
        try db.cachedStatement(
            sql: """
                UPDATE metric_chunks SET first_step = ?, first_timestamp = ?, first_value = ?, last_step = ?,
                    last_timestamp = ?, last_value = ?, min_timestamp = ?, max_timestamp = ?, point_count = ?,
                    value_count = ?, min_value = ?, max_value = ?, value_sum = ?, point_bytes = ?
                WHERE \(series) AND first_step = ? AND first_timestamp = ?
                """
        ).execute(arguments: summaryArguments(summary) + [byteCount, runID, keyID, key.step, key.timestamp])
    }

    private static func delete(_ db: Database, runID: Int64, keyID: Int64, chunk: Stored) throws {
        try db.cachedStatement(sql: "DELETE FROM metric_chunk_points WHERE id = ?").execute(arguments: [chunk.pointsID])
        try db.cachedStatement(
            sql: "DELETE FROM metric_chunks WHERE \(series) AND first_step = ? AND first_timestamp = ?"
        ).execute(arguments: [runID, keyID, chunk.summary.first.step, chunk.summary.first.timestamp])
    }

    /// Removes the histories of every run `runCondition` (a condition on `runs`) selects.
    static func purge(_ db: Database, runsWhere runCondition: String, arguments: StatementArguments) throws {
        let runs = "SELECT id FROM runs WHERE \(runCondition)"
        try db.execute(
            sql:
                "DELETE FROM metric_chunk_points WHERE id IN (SELECT points_id FROM metric_chunks WHERE run_id IN (\(runs)))",
            arguments: arguments)
        try db.execute(sql: "DELETE FROM metric_chunks WHERE run_id IN (\(runs))", arguments: arguments)
    }

    private static func summaryArguments(_ summary: MetricChunkSummary) -> StatementArguments {
        [
            summary.first.step, summary.first.timestamp, stored(summary.first.value), summary.last.step,
            summary.last.timestamp, stored(summary.last.value), summary.minTimestamp, summary.maxTimestamp,
            summary.count, summary.valueCount, summary.minValue, summary.maxValue, stored(summary.sum),
        ]
    }

    /// SQLite cannot store NaN: it is NULL in summary columns.
    private static func stored(_ value: Double) -> Double? {
        value.isNaN ? nil : value
    }

    // MARK: Reading

    /// The last chunk of a series, the open one new points are appended to.
    static func last(_ db: Database, runID: Int64, keyID: Int64) throws -> Stored? {
        var found: Stored?
        try forEach(
            db,
            sql:
                "SELECT \(columns) FROM metric_chunks WHERE \(series) ORDER BY first_step DESC, first_timestamp DESC LIMIT 1",
            arguments: [runID, keyID]
        ) { chunk in
            found = chunk
            return false
        }
        return found
    }

    /// The key of the chunk a point at `position` belongs to: the last chunk starting at or before it, or nil
    /// when the position precedes every chunk.
    static func chunkKey(_ db: Database, runID: Int64, keyID: Int64, covering position: Position) throws -> Position? {
        let row = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT first_step, first_timestamp FROM metric_chunks
                    WHERE \(series) AND (first_step, first_timestamp) <= (?, ?)
                    ORDER BY first_step DESC, first_timestamp DESC LIMIT 1
                    """),
            arguments: [runID, keyID, position.step, position.timestamp])
        return row.map { Position(step: $0[0], timestamp: $0[1]) }
    }

    /// Visits the chunks of a series in history order from the one keyed `start` on, while `body` returns true.
    static func forEach(
        _ db: Database, runID: Int64, keyID: Int64, from start: Position = .start,
        _ body: (Stored) throws -> Bool
    ) throws {
        try forEach(
            db,
            sql: """
                SELECT \(columns) FROM metric_chunks
                WHERE \(series) AND (first_step, first_timestamp) >= (?, ?) ORDER BY first_step, first_timestamp
                """,
            arguments: [runID, keyID, start.step, start.timestamp], body)
    }

    /// Visits the points of a series in history order, starting with the chunk covering `start`, while `body`
    /// returns true.
    static func forEachSample(
        _ db: Database, runID: Int64, keyID: Int64, from start: Position = .start,
        _ body: (MetricSample) throws -> Bool
    ) throws {
        let first = try chunkKey(db, runID: runID, keyID: keyID, covering: start) ?? .start
        var going = true
        try forEach(db, runID: runID, keyID: keyID, from: first) { chunk in
            for sample in try points(db, chunk) {
                going = try body(sample)
                if !going { break }
            }
            return going
        }
    }

    /// The points of a chunk.
    static func points(_ db: Database, _ chunk: Stored) throws -> [MetricSample] {
        let statement = try db.cachedStatement(sql: "SELECT points FROM metric_chunk_points WHERE id = ?")
        try statement.setArguments([chunk.pointsID])
        let raw = statement.sqliteStatement
        defer { sqlite3_reset(raw) }
        guard sqlite3_step(raw) == SQLITE_ROW, let base = sqlite3_column_blob(raw, 0),
            Int(sqlite3_column_bytes(raw, 0)) >= chunk.byteCount
        else { throw LablogError.storageUnavailable("a stored metric chunk is missing") }
        return try MetricChunk.decode(
            UnsafeRawBufferPointer(start: base, count: chunk.byteCount), expectedCount: chunk.summary.count)
    }

    /// Binds bytes straight from the array, followed by `room` zero bytes when that is longer.
    private static func bind(_ bytes: [UInt8], to statement: Statement, at index: Int32, room: Int) throws {
        let raw = statement.sqliteStatement
        sqlite3_reset(raw)
        sqlite3_clear_bindings(raw)
        var padded = bytes
        if room > bytes.count { padded += repeatElement(0, count: room - bytes.count) }
        let code = padded.withUnsafeBytes { buffer in
            // SQLITE_TRANSIENT: SQLite copies the bytes before the call returns.
            sqlite3_bind_blob(
                raw, index, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(buffer.count),
                unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        }
        guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
    }

    private static func error(_ db: Database, _ code: Int32) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
    }

    private static func step(_ db: Database, _ statement: Statement) throws {
        let code = sqlite3_step(statement.sqliteStatement)
        guard code == SQLITE_DONE else { throw error(db, code) }
    }

    /// Runs a summary query and hands each row to `body` until it returns false. Reads columns through SQLite's
    /// C API: a chart of a long history visits thousands of summaries.
    private static func forEach(
        _ db: Database, sql: String, arguments: StatementArguments, _ body: (Stored) throws -> Bool
    ) throws {
        let statement = try db.cachedStatement(sql: sql)
        try statement.setArguments(arguments)
        let raw = statement.sqliteStatement
        sqlite3_reset(raw)
        defer { sqlite3_reset(raw) }
        while true {
            let code = sqlite3_step(raw)
            guard code == SQLITE_ROW else {
                guard code == SQLITE_DONE else { throw error(db, code) }
                return
            }
            func int(_ column: Int32) -> Int64 { sqlite3_column_int64(raw, column) }
            func real(_ column: Int32) -> Double? {
                sqlite3_column_type(raw, column) == SQLITE_NULL ? nil : sqlite3_column_double(raw, column)
            }
            let summary = MetricChunkSummary(
                first: MetricSample(step: int(0), timestamp: int(1), value: real(2) ?? .nan),
                last: MetricSample(step: int(3), timestamp: int(4), value: real(5) ?? .nan),
                minTimestamp: int(6), maxTimestamp: int(7), count: Int(int(8)), valueCount: Int(int(9)),
                minValue: real(10), maxValue: real(11), sum: real(12) ?? .nan)
            guard try body(Stored(summary: summary, pointsID: int(13), byteCount: Int(int(14)))) else { return }
        }
    }
}
