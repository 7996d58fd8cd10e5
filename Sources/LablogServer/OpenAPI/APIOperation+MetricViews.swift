/// The documentation of a metric's streamed history and chart buckets.
extension APIOperation {
    static var metricViewOperations: [APIOperation] {
        let key = APIParameter.path("key", "The metric key, percent-encoded.", schema: Schema.string)
        return [
            APIOperation(
                method: "GET", path: Paths.Pattern.runMetricHistoryStream, id: "streamMetricHistory",
                summary: "Read a metric's history: paginated JSON, or the whole history streamed as binary or CSV",
                tag: "metrics",
                parameters: [
                    APIParameter.runID, key,
                    APIParameter.query("from_step", "The first step to include.", schema: Schema.integer64),
                    APIParameter.query("to_step", "The last step to include.", schema: Schema.integer64),
                    APIParameter.query(
                        "limit", "JSON only: page size, 1 to 100000 (default 10000).",
                        schema: Schema.integer(minimum: 1)),
                    APIParameter.query("cursor", "JSON only: the cursor of the next page.", schema: Schema.string),
                ],
                responses: .responses([
                    "200": [
                        "description": """
                        Chosen by `Accept`. `application/json` (default): a page of points with a `Link` header. \
                        `application/octet-stream`: the whole history as little-endian 24-byte records, int64 \
                        step, int64 timestamp in milliseconds, float64 value (NaN and the infinities as IEEE 754 \
                        values), ordered by step. `text/csv`: a `step,timestamp,value` header line, then one line \
                        a point (timestamps in milliseconds, values as `NaN`, `Infinity`, `-Infinity` or numbers).
                        """,
                        "headers": ["Link": APIResponse.header("Link")],
                        "content": [
                            "application/json": ["schema": Schema.array(of: Schema.ref("HistoryPoint"))],
                            "application/octet-stream": ["schema": ["type": "string", "format": "binary"]],
                            "text/csv": ["schema": Schema.string],
                        ],
                    ]
                ]) + listQueryErrors + notFound("run or metric")),
            APIOperation(
                method: "GET", path: Paths.Pattern.runMetricBuckets, id: "getMetricBuckets",
                summary: "Summarise a metric's history into chart buckets", tag: "metrics",
                parameters: [
                    APIParameter.runID, key,
                    APIParameter.query(
                        "buckets", "How many equal x ranges to cut the range into, 1 to 10000 (default 1000).",
                        schema: Schema.integer(minimum: 1)),
                    APIParameter.query(
                        "axis", "The x axis: steps, or timestamps in epoch milliseconds (default step).",
                        schema: Schema.enumeration(["step", "time"])),
                    APIParameter.query(
                        "from", "The smallest x to include (default: the history's first).", schema: Schema.integer64),
                    APIParameter.query(
                        "to", "The largest x to include (default: the history's last); not below `from`.",
                        schema: Schema.integer64),
                ],
                responses: .responses([
                    "200": APIResponse.json("The non-empty buckets in x order", Schema.ref("MetricBuckets"))
                ]) + listQueryErrors + notFound("run or metric")),
        ]
    }
}
