extension APIOperation {
    static var runListParameters: [JSONValue] {
        [
            APIParameter.query(
                "filter",
                "A filter expression, e.g. `metrics.acc > 0.9 and params.lr = '0.01'` (OR, NOT and "
                    + "parentheses allowed).", schema: Schema.string),
            APIParameter.query(
                "order_by", "Order clauses such as `metrics.acc DESC`; repeatable or comma-separated.",
                schema: Schema.string, repeatable: true),
            APIParameter.lifecycle, APIParameter.limit, APIParameter.cursor,
        ]
    }

    static var runOperations: [APIOperation] {
        let run = Schema.ref("Run")
        let runPath = Paths.Pattern.run
        return [
            APIOperation(
                method: "GET", path: Paths.Pattern.experimentRuns, id: "listExperimentRuns",
                summary: "List or search the runs of an experiment", tag: "runs",
                parameters: [APIParameter.experimentID] + runListParameters,
                responses: .responses(["200": APIResponse.page("A page of runs", of: run)]) + listQueryErrors
                    + notFound("experiment")),
            APIOperation(
                method: "POST", path: Paths.Pattern.experimentRuns, id: "createRun", summary: "Create a run",
                tag: "runs", parameters: [APIParameter.experimentID],
                requestBody: APIResponse.body(Schema.ref("RunCreate")),
                responses: .responses([
                    "201": APIResponse.json("The new run", run, headers: ["Location"]),
                    "409": APIResponse.error("The experiment is full (RUN_LIMIT_REACHED) or deleted (INVALID_STATE)"),
                ]) + notFound("experiment") + bodyErrors),
            APIOperation(
                method: "GET", path: Paths.Pattern.experimentExport, id: "exportExperimentRuns",
                summary: "Download every run of an experiment, one row a run", tag: "runs",
                parameters: [
                    APIParameter.experimentID,
                    APIParameter.query(
                        "format", "The file format (default csv).",
                        schema: Schema.enumeration(["csv", "json", "ndjson"])),
                    runListParameters[0], runListParameters[1], APIParameter.lifecycle,
                ],
                responses: .responses([
                    "200": [
                        "description": "The runs, streamed",
                        "content": [
                            "text/csv": ["schema": Schema.string],
                            "application/json": ["schema": Schema.array(of: ["type": "object"])],
                            "application/x-ndjson": ["schema": Schema.string],
                        ],
                    ]
                ]) + listQueryErrors + notFound("experiment")),
            APIOperation(
                method: "GET", path: Paths.runs, id: "searchRuns", summary: "Search runs across experiments",
                tag: "runs",
                parameters: [
                    APIParameter.query(
                        "experiment_ids", "Comma-separated experiment ids (default: every experiment).",
                        schema: Schema.string, repeatable: true)
                ] + runListParameters,
                responses: .responses(["200": APIResponse.page("A page of runs", of: run)]) + listQueryErrors),
            APIOperation(
                method: "GET", path: runPath, id: "getRun", summary: "Get a run", tag: "runs",
                parameters: [APIParameter.runID],
                responses: .responses(["200": APIResponse.json("The run", run)]) + notFound("run")),
            APIOperation(
                method: "PATCH", path: runPath, id: "updateRun", summary: "Update or finish a run", tag: "runs",
                parameters: [APIParameter.runID], requestBody: APIResponse.body(Schema.ref("RunUpdate")),
                responses: .responses([
                    "200": APIResponse.json("The updated run", run),
                    "409": APIResponse.error(
                        "The run is deleted, or has already ended with another status or end time (INVALID_STATE): "
                            + "a run ends once; set its status to RUNNING to resume it first"),
                ]) + notFound("run") + bodyErrors),
            APIOperation(
                method: "DELETE", path: runPath, id: "deleteRun", summary: "Move a run to the trash", tag: "runs",
                parameters: [APIParameter.runID],
                responses: .responses(["204": APIResponse.empty("Trashed")]) + notFound("run")),
            APIOperation(
                method: "POST", path: Paths.Pattern.runRestore, id: "restoreRun",
                summary: "Restore a run from the trash", tag: "runs", parameters: [APIParameter.runID],
                responses: .responses(["200": APIResponse.json("The restored run", run)]) + notFound("run")),
            bulkRuns(Paths.runsBulkDelete, id: "deleteRuns", summary: "Trash many runs"),
            bulkRuns(Paths.runsBulkRestore, id: "restoreRuns", summary: "Restore many runs"),
            APIOperation(
                method: "POST", path: Paths.Pattern.runMetrics, id: "logMetrics",
                summary: "Log a batch of metric points (up to 10,000)", tag: "metrics",
                parameters: [APIParameter.runID], requestBody: APIResponse.body(Schema.ref("MetricBatch")),
                responses: .responses([
                    "200": APIResponse.json("How many points were logged", Schema.ref("LoggedResult")),
                    "409": APIResponse.error("The run is deleted (INVALID_STATE)"),
                ]) + notFound("run") + bodyErrors),
            APIOperation(
                method: "GET", path: Paths.Pattern.runMetricHistory, id: "getMetricHistory",
                summary: "Read a metric's history, ordered by step (negotiates binary and CSV as /history does)",
                tag: "metrics",
                parameters: [
                    APIParameter.runID,
                    APIParameter.path("key", "The metric key, percent-encoded.", schema: Schema.string),
                    APIParameter.query("from_step", "The first step to include.", schema: Schema.integer64),
                    APIParameter.query("to_step", "The last step to include.", schema: Schema.integer64),
                    APIParameter.query(
                        "limit", "Page size, 1 to 100000 (default 10000).", schema: Schema.integer(minimum: 1)),
                    APIParameter.cursor,
                ],
                responses: .responses(["200": APIResponse.page("A page of points", of: Schema.ref("HistoryPoint"))])
                    + listQueryErrors + notFound("run")),
        ] + metricViewOperations + [
            APIOperation(
                method: "POST", path: Paths.Pattern.runParams, id: "logParams", summary: "Log params (immutable)",
                tag: "params", parameters: [APIParameter.runID],
                requestBody: APIResponse.body(Schema.ref("ParamsBody")),
                responses: .responses([
                    "200": APIResponse.json("How many params were logged", Schema.ref("LoggedResult")),
                    "409": APIResponse.error("A param already has a different value (PARAM_CONFLICT)"),
                ]) + notFound("run") + bodyErrors)
        ]
            + tagOperations(
                owner: "run", tag: "runs", idParameter: APIParameter.runID, tags: Paths.Pattern.runTags,
                oneTag: Paths.Pattern.runTag)
    }

    private static func bulkRuns(_ path: String, id: String, summary: String) -> APIOperation {
        APIOperation(
            method: "POST", path: path, id: id, summary: summary, tag: "runs",
            requestBody: APIResponse.body(Schema.ref("RunIDs")),
            responses: .responses([
                "200": APIResponse.json("How many runs changed", Schema.ref("BulkResult")),
                "404": APIResponse.error("An id does not exist; nothing changed"),
            ]) + bodyErrors)
    }

    static var systemOperations: [APIOperation] {
        [
            APIOperation(
                method: "GET", path: Paths.health, id: "health", summary: "Check the server and its database",
                tag: "system",
                responses: .responses([
                    "200": APIResponse.json("Healthy", Schema.ref("Health")),
                    "503": APIResponse.error("The database is unreachable (STORAGE_UNAVAILABLE)"),
                ])),
            APIOperation(
                method: "POST", path: Paths.seed, id: "seed", summary: "Create the demo data set (idempotent)",
                tag: "system",
                responses: .responses([
                    "200": APIResponse.json("What was created", Schema.ref("SeedSummary")),
                    "403": APIResponse.error("Seeding is not enabled (FORBIDDEN)"),
                ])),
            APIOperation(
                method: "GET", path: Paths.dashboardData, id: "dashboardData", summary: "What the dashboard charts",
                tag: "system",
                parameters: [
                    APIParameter.query(
                        "metric", "The metric that ranks runs (default accuracy).", schema: Schema.string),
                    APIParameter.query(
                        "goal", "Whether larger or smaller is better (default max).",
                        schema: Schema.enumeration(["max", "min"])),
                ],
                responses: .responses(["200": APIResponse.json("Counts and best runs", Schema.ref("DashboardData"))])
                    + listQueryErrors),
            APIOperation(
                method: "GET", path: Paths.openAPI, id: "openAPI", summary: "This document", tag: "system",
                responses: .responses(["200": APIResponse.json("The OpenAPI 3.1 document", ["type": "object"])])),
        ]
    }
}
