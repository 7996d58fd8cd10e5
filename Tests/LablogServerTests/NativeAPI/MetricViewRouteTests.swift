import Foundation
import HTTPTypes
import HummingbirdTesting
import LablogCore
import LablogServer
import NIOCore
import Testing

@Suite("Native API: streamed histories and chart buckets")
struct MetricViewRouteTests {
    private static let accept = HTTPField.Name.accept

    /// A run with `points` logged under `key` through the store.
    private func runWith(
        _ points: [MetricPoint], client: any TestClientProtocol, store: any TrackingStore
    ) async throws -> RunID {
        let run = RunID(try await client.createRun(in: try await client.createExperiment("e")))!
        for start in stride(from: 0, to: points.count, by: 10_000) {
            let chunk = Array(points[start..<min(start + 10_000, points.count)])
            try await store.logBatch(runID: run, metrics: chunk, params: [], tags: [])
        }
        return run
    }

    /// The records of a binary history.
    private func records(_ body: ByteBuffer) -> [(step: Int64, timestamp: Int64, value: Double)] {
        #expect(body.readableBytes % 24 == 0)
        return stride(from: body.readerIndex, to: body.writerIndex - 23, by: 24).map { offset in
            let step = body.getInteger(at: offset, endianness: .little, as: Int64.self) ?? -1
            let timestamp = body.getInteger(at: offset + 8, endianness: .little, as: Int64.self) ?? -1
            let bits = body.getInteger(at: offset + 16, endianness: .little, as: UInt64.self) ?? 0
            return (step, timestamp, Double(bitPattern: bits))
        }
    }

    private static let mixed: [MetricPoint] = [
        MetricPoint(key: "val/loss", value: 0.5, step: 2, timestamp: 1_000_002),
        MetricPoint(key: "val/loss", value: .nan, step: 0, timestamp: 1_000_000),
        MetricPoint(key: "val/loss", value: .infinity, step: 1, timestamp: 1_000_001),
        MetricPoint(key: "val/loss", value: -.infinity, step: 3, timestamp: 1_000_003),
        MetricPoint(key: "val/loss", value: -2.25, step: 4, timestamp: 1_000_004),
    ]

    @Test("Accept: application/octet-stream gives 24-byte little-endian records in step order, IEEE non-finites")
    func binary() async throws {
        try await withTestApp { client, store in
            let run = try await runWith(Self.mixed, client: client, store: store)
            let path = Paths.runMetricHistoryStream(run, key: "val/loss")
            let response = try await client.send(.get, path, headers: [Self.accept: "application/octet-stream"])
            #expect(response.status == .ok)
            #expect(response.header("Content-Type") == "application/octet-stream")
            let got = records(response.body)
            #expect(got.map(\.step) == [0, 1, 2, 3, 4])
            #expect(got.map(\.timestamp) == [1_000_000, 1_000_001, 1_000_002, 1_000_003, 1_000_004])
            #expect(got[0].value.isNaN)
            #expect(got.dropFirst().map(\.value) == [.infinity, 0.5, -.infinity, -2.25])

            let ranged = try await client.send(
                .get, path + "?from_step=1&to_step=3", headers: [Self.accept: "application/octet-stream"])
            #expect(records(ranged.body).map(\.step) == [1, 2, 3])
        }
    }

    @Test("Accept: text/csv gives a header line and step,timestamp,value lines; JSON stays the default")
    func csvAndJSON() async throws {
        try await withTestApp { client, store in
            let run = try await runWith(Self.mixed, client: client, store: store)
            let path = Paths.runMetricHistoryStream(run, key: "val/loss")
            let csv = try await client.send(.get, path, headers: [Self.accept: "text/csv, application/json;q=0.5"])
            #expect(csv.status == .ok)
            #expect(csv.header("Content-Type") == "text/csv; charset=utf-8")
            #expect(
                csv.text
                    == "step,timestamp,value\n0,1000000,NaN\n1,1000001,Infinity\n2,1000002,0.5\n"
                    + "3,1000003,-Infinity\n4,1000004,-2.25\n")

            for accept in [nil, "application/json", "*/*", "image/png"] {
                let headers: HTTPFields = accept.map { [Self.accept: $0] } ?? [:]
                let json = try await client.send(.get, path + "?limit=2", headers: headers)
                #expect(json.header("Content-Type") == "application/json; charset=utf-8")
                let page = try #require(try json.json() as? [[String: Any]])
                #expect(page.map { $0["step"] as? Int } == [0, 1])
                #expect(json.header("Link")?.contains("/history?limit=2&cursor=") == true)
            }
        }
    }

    @Test("A history longer than a store page streams whole, in order")
    func manyPages() async throws {
        let count = Limits.maxHistoryPageSize + 1_234
        let points = (0..<count).map { MetricPoint(key: "m", value: Double($0) / 8, step: Int64($0), timestamp: 7) }
        try await withTestApp { client, store in
            let run = try await runWith(points, client: client, store: store)
            let response = try await client.send(
                .get, Paths.runMetricHistoryStream(run, key: "m"), headers: [Self.accept: "application/octet-stream"])
            #expect(response.body.readableBytes == count * 24)
            let got = records(response.body)
            #expect(got.enumerated().allSatisfy { $0.element.step == Int64($0.offset) })
            #expect(got.last?.value == Double(count - 1) / 8)
            let tail = try await client.send(
                .get, Paths.runMetricHistoryStream(run, key: "m") + "?from_step=\(count - 2)",
                headers: [Self.accept: "text/csv"])
            #expect(tail.text.split(separator: "\n").count == 3)
        }
    }

    @Test("Unknown runs and metrics are 404 in the error format, whatever the Accept header")
    func unknown() async throws {
        try await withTestApp { client, store in
            let run = try await runWith(Self.mixed, client: client, store: store)
            let binary: HTTPFields = [Self.accept: "application/octet-stream"]
            let missingMetric = try await client.send(
                .get, Paths.runMetricHistoryStream(run, key: "nope"), headers: binary)
            try expectError(missingMetric, .notFound, code: "METRIC_NOT_FOUND")
            let missingRun = try await client.send(
                .get, Paths.runMetricHistoryStream(RunID(String(repeating: "a", count: 32))!, key: "m"),
                headers: binary)
            try expectError(missingRun, .notFound, code: "RUN_NOT_FOUND")
            let buckets = try await client.send(.get, Paths.runMetricBuckets(run, key: "nope"))
            try expectError(buckets, .notFound, code: "METRIC_NOT_FOUND")
        }
    }

    @Test("Buckets carry the range, extremes, mean, first and last values and counts of equal x ranges")
    func buckets() async throws {
        let points = (0..<100).map { step in
            let value = step == 95 ? .nan : step == 99 ? .infinity : Double(step)
            return MetricPoint(key: "acc", value: value, step: Int64(step), timestamp: 1_000 + Int64(step) * 10)
        }
        try await withTestApp { client, store in
            let run = try await runWith(points, client: client, store: store)
            let path = Paths.runMetricBuckets(run, key: "acc")
            let response = try await client.send(.get, path + "?buckets=10")
            #expect(response.status == .ok)
            let buckets = try #require(try response.jsonObject()["buckets"] as? [[String: Any]])
            #expect(buckets.count == 10)
            #expect(
                canonical(buckets[0])
                    == canonical([
                        "x_min": 0, "x_max": 9, "min": 0, "max": 9, "mean": 4.5, "first": 0, "last": 9, "count": 10,
                    ]))
            #expect(buckets[9]["count"] as? Int == 10)
            #expect(buckets[9]["last"] as? String == "Infinity")
            #expect(buckets[9]["first"] as? Int == 90)

            let zoomed = try await client.send(.get, path + "?buckets=1000&axis=time&from=1100&to=1190")
            let zoomedBuckets = try #require(try zoomed.jsonObject()["buckets"] as? [[String: Any]])
            #expect(zoomedBuckets.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == 10)
            #expect(zoomedBuckets.first?["x_min"] as? Int == 1100)
            #expect(zoomedBuckets.last?["x_max"] as? Int == 1190)

            let nanOnly = try await client.send(.get, path + "?buckets=1&from=95&to=95")
            let nanBucket = try #require((try nanOnly.jsonObject()["buckets"] as? [[String: Any]])?.first)
            #expect(nanBucket["min"] is NSNull && nanBucket["first"] is NSNull && nanBucket["count"] as? Int == 1)
        }
    }

    @Test(
        "Invalid bucket parameters are 400 with a message naming the parameter",
        arguments: [
            ("buckets=0", "buckets"), ("buckets=10001", "buckets"), ("buckets=ten", "buckets"),
            ("axis=epoch", "axis"), ("from=x", "from"), ("to=1.5", "to"), ("from=10&to=9", "from"),
        ])
    func invalidBucketQuery(query: String, parameter: String) async throws {
        try await withTestApp { client, store in
            let run = try await runWith(Self.mixed, client: client, store: store)
            let response = try await client.send(.get, Paths.runMetricBuckets(run, key: "val/loss") + "?" + query)
            try expectError(response, .badRequest, code: "BAD_REQUEST")
            #expect((try response.jsonObject()["error"] as? String)?.contains("'\(parameter)'") == true)
        }
    }
}
