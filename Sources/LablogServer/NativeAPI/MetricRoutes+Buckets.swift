import Hummingbird
import LablogCore

extension MetricRoutes {
    /// The most buckets one request may ask for.
    static let maxBuckets = 10_000

    /// `GET /api/runs/{run_id}/metrics/{key}/buckets?buckets=1000&axis=step|time&from=&to=` ->
    /// `{"buckets": [{"x_min", "x_max", "min", "max", "mean", "first", "last", "count"}]}`: the history within
    /// `from`...`to` (steps, or epoch milliseconds on the time axis) cut into equal x ranges, empty ones left out.
    @Sendable func buckets(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.runID()
        let key = try context.metricKey()
        let query = QueryItems(request.uri)
        let count = try Self.bucketCount(query)
        let axis = try query.enumeration("axis", default: ChartAxis.step)
        let from = try query.integer("from")
        let to = try query.integer("to")
        if let from, let to, from > to {
            throw LablogError.badRequest("'from' (\(from)) must not be greater than 'to' (\(to))")
        }
        let buckets = try await store.metricBuckets(runID: id, key: key, axis: axis, from: from, to: to, buckets: count)
        return try WireJSON.response(MetricBucketsResponse(buckets: buckets.map(MetricBucketResponse.init)))
    }

    private static func bucketCount(_ query: QueryItems) throws -> Int {
        guard let text = query.value("buckets") else { return 1000 }
        guard let count = Int(text), (1...maxBuckets).contains(count) else {
            throw LablogError.badRequest("'buckets' must be an integer from 1 to \(maxBuckets), not '\(text)'")
        }
        return count
    }
}

/// `{"buckets": [...]}`.
struct MetricBucketsResponse: Encodable {
    var buckets: [MetricBucketResponse]
}

/// One chart bucket on the wire. Values that do not exist (every value of the bucket NaN, or a NaN first or last
/// value) are `null`; the infinities are the strings `"Infinity"` and `"-Infinity"`, as in every native response.
struct MetricBucketResponse: Encodable {
    var bucket: MetricBucket

    init(_ bucket: MetricBucket) { self.bucket = bucket }

    enum CodingKeys: String, CodingKey {
        case count, first, last, max, mean, min
        case xMin = "x_min"
        case xMax = "x_max"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(bucket.xMin, forKey: .xMin)
        try container.encode(bucket.xMax, forKey: .xMax)
        try container.encode(bucket.minValue, forKey: .min)
        try container.encode(bucket.maxValue, forKey: .max)
        try container.encode(bucket.meanValue, forKey: .mean)
        try container.encode(bucket.firstValue, forKey: .first)
        try container.encode(bucket.lastValue, forKey: .last)
        try container.encode(bucket.count, forKey: .count)
    }
}
