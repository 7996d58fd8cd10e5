/// The `components.schemas` of the OpenAPI document: every wire shape of the native API.
enum OpenAPISchemas {
    static var all: [JSONValue.Member] {
        common + experimentSchemas + runSchemas + systemSchemas
    }

    private static func named(_ pairs: KeyValuePairs<String, JSONValue>) -> [JSONValue.Member] {
        pairs.map { JSONValue.Member(key: $0.key, value: $0.value) }
    }

    static var common: [JSONValue.Member] {
        named([
            "Error": Schema.object(
                [
                    "error": Schema.described(Schema.string, "A human-readable message."),
                    "code": Schema.described(Schema.string, "A stable machine code, e.g. EXPERIMENT_NOT_FOUND."),
                    "position": Schema.described(Schema.integer64, "INVALID_FILTER only: 0-based error offset."),
                    "field": Schema.described(Schema.string, "VALIDATION_FAILED only: the offending field."),
                ], required: ["error", "code"], description: "The one error format of every failure."),
            "RunID": ["type": "string", "pattern": "^[0-9a-fA-F]{32}$"],
            "Tag": Schema.object(
                [
                    "id": Schema.integer64, "key": Schema.string, "value": Schema.string,
                    "name": Schema.described(Schema.string, "The key again, as the legacy tag endpoints called it."),
                ], required: ["id", "key", "value"]),
            "ScalarValue": ["type": ["string", "number", "boolean"]],
            "TagInput": Schema.oneOf([
                Schema.object(
                    ["key": Schema.string, "value": ["type": ["string", "number", "boolean", "null"]]],
                    required: ["key"]),
                Schema.object(
                    ["name": Schema.string, "value": Schema.string], required: ["name"],
                    description: "The legacy label form."),
            ]),
            "KeyValues": Schema.oneOf([
                Schema.map(of: Schema.ref("ScalarValue")),
                Schema.array(of: Schema.oneOf([Schema.ref("TagInput"), Schema.string])),
            ]),
            "BulkResult": Schema.object(["updated": Schema.integer64], required: ["updated"]),
        ])
    }

    static var experimentSchemas: [JSONValue.Member] {
        let status = Schema.enumeration(["running", "completed", "failed"])
        return named([
            "ExperimentStatus": status,
            "Experiment": Schema.object(
                [
                    "id": Schema.integer64, "name": Schema.string, "description": Schema.nullable("string"),
                    "status": Schema.ref("ExperimentStatus"), "lifecycle": Schema.enumeration(["active", "deleted"]),
                    "tags": Schema.array(of: Schema.ref("Tag")), "created_at": Schema.dateTime,
                    "updated_at": Schema.dateTime, "run_count": Schema.integer64,
                    "last_run_at": Schema.nullable("string", format: "date-time"),
                ],
                required: [
                    "id", "name", "description", "status", "lifecycle", "tags", "created_at", "updated_at",
                    "run_count", "last_run_at",
                ]),
            "ExperimentCreate": Schema.object(
                [
                    "name": Schema.string, "description": Schema.string, "status": Schema.ref("ExperimentStatus"),
                    "tags": Schema.ref("KeyValues"),
                ], required: ["name"]),
            "ExperimentUpdate": Schema.object(
                [
                    "name": Schema.string,
                    "description": Schema.described(Schema.nullable("string"), "null clears the description."),
                    "status": Schema.ref("ExperimentStatus"),
                ], description: "A partial update: absent fields are left unchanged."),
            "ExperimentIDs": Schema.object(
                ["ids": Schema.array(of: Schema.integer64, maxItems: 1000)], required: ["ids"]),
            "ExperimentBulkTag": Schema.object(
                [
                    "ids": Schema.array(of: Schema.integer64, maxItems: 1000), "key": Schema.string,
                    "value": Schema.ref("ScalarValue"), "name": Schema.described(Schema.string, "Legacy label form."),
                ], required: ["ids"]),
        ])
    }

    static var runSchemas: [JSONValue.Member] {
        let nullableValue = Schema.oneOf([Schema.ref("MetricValue"), ["type": "null"]])
        return named([
            "RunStatus": Schema.enumeration(["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"]),
            "MetricValue": Schema.oneOf([Schema.number, Schema.enumeration(["NaN", "Infinity", "-Infinity"])]),
            "MetricPoint": Schema.object(
                [
                    "key": Schema.string, "value": Schema.ref("MetricValue"), "step": Schema.integer64,
                    "timestamp": Schema.dateTime,
                ], required: ["key", "value", "step", "timestamp"]),
            "HistoryPoint": Schema.object(
                ["value": Schema.ref("MetricValue"), "step": Schema.integer64, "timestamp": Schema.dateTime],
                required: ["value", "step", "timestamp"]),
            "MetricPointInput": Schema.object(
                [
                    "key": Schema.string, "value": Schema.ref("MetricValue"),
                    "step": Schema.described(Schema.integer64, "Default 0."),
                    "timestamp": Schema.described(Schema.integer64, "Milliseconds since the epoch; default now."),
                ], required: ["key", "value"]),
            "MetricBatch": Schema.oneOf([
                Schema.array(of: Schema.ref("MetricPointInput"), maxItems: 10_000),
                Schema.object(
                    ["metrics": Schema.array(of: Schema.ref("MetricPointInput"), maxItems: 10_000)],
                    required: ["metrics"]),
            ]),
            "Run": Schema.object(
                [
                    "id": Schema.ref("RunID"), "experiment_id": Schema.integer64, "name": Schema.string,
                    "status": Schema.ref("RunStatus"), "start_time": Schema.dateTime,
                    "end_time": Schema.nullable("string", format: "date-time"),
                    "lifecycle": Schema.enumeration(["active", "deleted"]),
                    "parent_run_id": Schema.nullable("string"), "artifact_uri": Schema.string, "user_id": Schema.string,
                    "params": Schema.map(of: Schema.string), "metrics": Schema.map(of: Schema.ref("MetricValue")),
                    "latest_metrics": Schema.array(of: Schema.ref("MetricPoint")),
                    "tags": Schema.array(of: Schema.ref("Tag")),
                ],
                required: [
                    "id", "experiment_id", "name", "status", "start_time", "end_time", "lifecycle", "parent_run_id",
                    "artifact_uri", "user_id", "params", "metrics", "latest_metrics", "tags",
                ]),
            "RunCreate": Schema.object(
                [
                    "name": Schema.string, "status": Schema.ref("RunStatus"), "start_time": Schema.ref("Timestamp"),
                    "parent_run_id": Schema.ref("RunID"), "user_id": Schema.string, "params": Schema.ref("KeyValues"),
                    "tags": Schema.ref("KeyValues"),
                    "metrics": Schema.oneOf([
                        Schema.map(of: Schema.ref("MetricValue")), Schema.array(of: Schema.ref("MetricPointInput")),
                    ]),
                ], description: "The legacy body `{\"metrics\": {...}, \"params\": {...}}` plus optional attributes."),
            "RunUpdate": Schema.object(
                ["name": Schema.string, "status": Schema.ref("RunStatus"), "end_time": Schema.ref("Timestamp")],
                description: "A terminal status finishes the run; end_time defaults to now."),
            "Timestamp": Schema.oneOf([
                Schema.dateTime, Schema.described(Schema.integer64, "Milliseconds since the Unix epoch."),
            ]),
            "RunIDs": Schema.object(
                ["ids": Schema.array(of: Schema.ref("RunID"), maxItems: 1000)], required: ["ids"]),
            "ParamsBody": Schema.object(["params": Schema.ref("KeyValues")], required: ["params"]),
            "LoggedResult": Schema.object(["logged": Schema.integer64], required: ["logged"]),
            "MetricBucket": Schema.object(
                [
                    "x_min": Schema.integer64, "x_max": Schema.integer64,
                    "min": Schema.described(nullableValue, "The smallest finite value; null when all are NaN."),
                    "max": Schema.described(nullableValue, "The largest finite value; null when all are NaN."),
                    "mean": Schema.described(nullableValue, "The mean of the finite values; null when all are NaN."),
                    "first": Schema.described(nullableValue, "The value of the first point; null when NaN."),
                    "last": Schema.described(nullableValue, "The value of the last point; null when NaN."),
                    "count": Schema.described(Schema.integer64, "How many points, NaN included."),
                ], required: ["x_min", "x_max", "min", "max", "mean", "first", "last", "count"]),
            "MetricBuckets": Schema.object(
                ["buckets": Schema.array(of: Schema.ref("MetricBucket"))], required: ["buckets"]),
        ])
    }

    static var systemSchemas: [JSONValue.Member] {
        let counts = Schema.map(of: Schema.integer64)
        return named([
            "Health": Schema.object(["status": Schema.enumeration(["ok"])], required: ["status"]),
            "SeedSummary": Schema.object(
                ["experiments_created": Schema.integer64, "runs_created": Schema.integer64],
                required: ["experiments_created", "runs_created"]),
            "DashboardData": Schema.object(
                [
                    "experiments_by_status": counts, "runs_by_status": counts,
                    "runs_per_day": Schema.array(
                        of: Schema.object(
                            ["day": ["type": "string", "format": "date"], "count": Schema.integer64],
                            required: ["day", "count"])),
                    "best_runs": Schema.array(
                        of: Schema.object(
                            [
                                "experiment_id": Schema.integer64, "experiment_name": Schema.string,
                                "run_id": Schema.ref("RunID"), "run_name": Schema.string,
                                "value": Schema.ref("MetricValue"),
                            ],
                            required: ["experiment_id", "experiment_name", "run_id", "run_name", "value"])),
                    "total_experiments": Schema.integer64, "total_runs": Schema.integer64,
                ],
                required: [
                    "experiments_by_status", "runs_by_status", "runs_per_day", "best_runs", "total_experiments",
                    "total_runs",
                ]),
        ])
    }
}
