import Hummingbird
import LablogCore
import Synchronization

/// `GET /api/experiments/{experiment_id}/export?format=csv|json|ndjson&filter=&lifecycle=`: every run of an
/// experiment as a downloadable file, streamed in chunks so memory stays flat however many runs there are.
struct ExportRoutes {
    let store: any TrackingStore
    /// Runs read from the store per chunk.
    static let chunkSize = 500

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(Paths.Pattern.experimentExport), use: export)
    }

    @Sendable func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.experimentID()
        let query = QueryItems(request.uri)
        let format = try query.enumeration("format", default: ExportFormat.csv)
        let runQuery = RunQuery(experimentIDs: [id], filter: try query.runFilter(), lifecycle: try query.lifecycle())
        // Everything that can fail with an error response happens before the 200 head is sent.
        let experiment = try await store.experiment(id: id)
        let encoder = ExportEncoder(format: format, columns: try await store.runColumns(experimentIDs: [id]))
        let store = self.store
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: encoder.prologue()))
            let channel = ExportChannel()
            let rowsWritten = try await withThrowingTaskGroup(of: Int.self) { group in
                group.addTask {
                    do {
                        let rows = RowCounter()
                        try await store.forEachRun(matching: runQuery, chunkSize: Self.chunkSize) { runs in
                            try await channel.send(encoder.encode(runs, firstRowIndex: rows.advance(by: runs.count)))
                        }
                        channel.finish()
                        return rows.total
                    } catch {
                        channel.finish(throwing: error)
                        throw error
                    }
                }
                do {
                    while let chunk = try await channel.next() {
                        try await writer.write(chunk)
                    }
                } catch {
                    channel.cancel()
                    throw error
                }
                return try await group.next() ?? 0
            }
            try await writer.write(ByteBuffer(string: encoder.epilogue(rowsWritten: rowsWritten)))
            try await writer.finish(nil)
        }
        let filename = "experiment-\(experiment.id)-runs.\(format.rawValue)"
        return Response(
            status: .ok,
            headers: [.contentType: format.contentType, .contentDisposition: "attachment; filename=\"\(filename)\""],
            body: body)
    }
}

/// Counts rows across the store's chunk callbacks, which run one after another but may hop threads.
private final class RowCounter: Sendable {
    private let count = Atomic<Int>(0)

    /// Adds `rows` and returns the count before them.
    func advance(by rows: Int) -> Int { count.add(rows, ordering: .relaxed).oldValue }

    var total: Int { count.load(ordering: .relaxed) }
}
