import NIOCore
import NIOHTTP1

/// Reads metric histories back: whole and binary where the server offers it, else page by page as JSON.
struct HistoryReader: Sendable {
    /// How a history was read.
    enum Format: String, Sendable {
        case binary = "binary stream"
        case pagedJSON = "paged JSON"
    }

    /// Bytes per point of the binary history: int64 step, int64 timestamp (ms), float64 value.
    static let binaryRecordSize = 24
    /// The page size of the JSON fallback, the server's largest.
    static let jsonPageSize = 100_000

    let http: BenchHTTP

    /// Counts the points of a history, reading it whole.
    func count(runID: String, key: String) async throws -> (points: Int, format: Format) {
        let key = percentEncoded(key)
        let binary = try await http.streamedLength(
            "/api/runs/\(runID)/metrics/\(key)/history", accept: "application/octet-stream")
        if binary.status == 200, binary.headers["Content-Type"].first?.hasPrefix("application/octet-stream") == true {
            guard binary.bytes % Self.binaryRecordSize == 0 else {
                throw BenchError("a binary history of \(binary.bytes) bytes is not whole 24-byte records")
            }
            return (binary.bytes / Self.binaryRecordSize, .binary)
        }
        return (try await countPages(runID: runID, key: key), .pagedJSON)
    }

    /// Counts the JSON history's points, following `Link` headers; the key is already percent-encoded.
    private func countPages(runID: String, key: String) async throws -> Int {
        var next: String? = "/api/runs/\(runID)/metrics/\(key)?limit=\(Self.jsonPageSize)"
        var count = 0
        while let url = next {
            let response = try await http.send(.GET, url).expectSuccess("GET \(url)")
            // Every point is one flat object, so counting opening braces counts points without decoding them.
            count += response.body.readableBytesView.reduce(0) { $0 + ($1 == UInt8(ascii: "{") ? 1 : 0) }
            next = response.nextLink
        }
        return count
    }

    /// The total number of points of `keys` in every run of `runIDs`, read with `clients` concurrent readers.
    func total(runIDs: [String], keys: [String], clients: Int = 4) async throws -> (points: Int, format: Format) {
        let pairs = runIDs.flatMap { run in keys.map { (run, $0) } }
        let counts = try await concurrently(pairs.count, clients: clients) { index in
            try await count(runID: pairs[index].0, key: pairs[index].1)
        }
        return (counts.reduce(0) { $0 + $1.points }, counts.first?.format ?? .pagedJSON)
    }
}
