import Hummingbird
import LablogCore

extension MetricRoutes {
    /// The whole history of a metric (within the step range) as one response, written page by page as the store
    /// returns them: memory holds at most two pages (`Limits.maxHistoryPageSize` points each) however long the
    /// history is, and the next page is read while the current one is written.
    func streamHistory(
        runID: RunID, key: String, fromStep: Int64?, toStep: Int64?, format: HistoryStreamFormat
    ) async throws -> Response {
        let store = self.store
        let query = HistoryQuery(fromStep: fromStep, toStep: toStep, limit: Limits.maxHistoryPageSize)
        // Read the first page before the head goes out, so an unknown run or metric is an error response.
        let first = try await store.metricHistory(runID: runID, key: key, query)
        let body = ResponseBody { writer in
            try await writer.write(format.prologue)
            var page = first
            while true {
                let cursor = page.nextCursor
                async let next = Self.page(after: cursor, of: store, runID: runID, key: key, query: query)
                try await writer.write(format.encode(page.items))
                guard let following = try await next else { break }
                page = following
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: format.contentType], body: body)
    }

    /// The page at `cursor`, or nil after the last page.
    private static func page(
        after cursor: String?, of store: any TrackingStore, runID: RunID, key: String, query: HistoryQuery
    ) async throws -> Page<MetricPoint>? {
        guard let cursor else { return nil }
        var query = query
        query.cursor = cursor
        return try await store.metricHistory(runID: runID, key: key, query)
    }
}
