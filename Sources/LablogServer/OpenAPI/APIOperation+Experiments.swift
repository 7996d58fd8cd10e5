extension APIOperation {
    /// The errors of every operation that reads a JSON body.
    static let bodyErrors: [JSONValue.Member] = .responses([
        "400": APIResponse.error("Malformed JSON (MALFORMED_JSON)"),
        "413": APIResponse.error("The body is over 8 MiB (PAYLOAD_TOO_LARGE)"),
        "415": APIResponse.error("The content type is not application/json (UNSUPPORTED_MEDIA_TYPE)"),
        "422": APIResponse.error("A field is missing or invalid (VALIDATION_FAILED)"),
    ])

    static func notFound(_ what: String) -> [JSONValue.Member] {
        .responses(["404": APIResponse.error("The \(what) does not exist")])
    }

    static let listQueryErrors: [JSONValue.Member] = .responses([
        "400": APIResponse.error("A query parameter is invalid (BAD_REQUEST, INVALID_FILTER)")
    ])

    static var experimentOperations: [APIOperation] {
        let experiment = Schema.ref("Experiment")
        let experimentPath = Paths.Pattern.experiment
        return [
            APIOperation(
                method: "GET", path: Paths.experiments, id: "listExperiments", summary: "List experiments",
                tag: "experiments",
                parameters: [
                    APIParameter.query("q", "A case-insensitive substring of the name.", schema: Schema.string),
                    APIParameter.query("status", "Only this status.", schema: Schema.ref("ExperimentStatus")),
                    APIParameter.query(
                        "tag", "A tag that must be present: `key` or `key:value`.", schema: Schema.string,
                        repeatable: true),
                    APIParameter.lifecycle,
                    APIParameter.query(
                        "sort",
                        "`name`, `created_at` or `updated_at`; prefix `-` for descending (default "
                            + "`-created_at`).", schema: Schema.string),
                    APIParameter.limit, APIParameter.cursor,
                ],
                responses: .responses(["200": APIResponse.page("A page of experiments", of: experiment)])
                    + listQueryErrors),
            APIOperation(
                method: "POST", path: Paths.experiments, id: "createExperiment", summary: "Create an experiment",
                tag: "experiments", requestBody: APIResponse.body(Schema.ref("ExperimentCreate")),
                responses: .responses([
                    "201": APIResponse.json("The new experiment", experiment, headers: ["Location"]),
                    "409": APIResponse.error("The name is taken (ALREADY_EXISTS)"),
                ]) + bodyErrors),
            APIOperation(
                method: "GET", path: experimentPath, id: "getExperiment", summary: "Get an experiment",
                tag: "experiments", parameters: [APIParameter.experimentID],
                responses: .responses(["200": APIResponse.json("The experiment", experiment)])
                    + notFound("experiment")),
            updateExperiment(method: "PUT", id: "replaceExperiment"),
            updateExperiment(method: "PATCH", id: "updateExperiment"),
            APIOperation(
                method: "DELETE", path: experimentPath, id: "deleteExperiment",
                summary: "Move an experiment and its runs to the trash, or purge them with `permanent=true`",
                tag: "experiments",
                parameters: [
                    APIParameter.experimentID,
                    APIParameter.query("permanent", "Delete for good instead of trashing.", schema: Schema.boolean),
                ],
                responses: .responses(["204": APIResponse.empty("Deleted")]) + notFound("experiment")),
            APIOperation(
                method: "POST", path: Paths.Pattern.experimentRestore, id: "restoreExperiment",
                summary: "Restore an experiment and its runs from the trash", tag: "experiments",
                parameters: [APIParameter.experimentID],
                responses: .responses(["200": APIResponse.json("The restored experiment", experiment)])
                    + notFound("experiment")),
            bulk(Paths.experimentsBulkDelete, id: "deleteExperiments", summary: "Trash many experiments"),
            bulk(Paths.experimentsBulkRestore, id: "restoreExperiments", summary: "Restore many experiments"),
            bulk(
                Paths.experimentsBulkTag, id: "tagExperiments", summary: "Set one tag on many experiments",
                body: "ExperimentBulkTag"),
        ]
            + tagOperations(
                owner: "experiment", tag: "experiments", idParameter: APIParameter.experimentID,
                tags: Paths.Pattern.experimentTags, oneTag: Paths.Pattern.experimentTag)
    }

    private static func updateExperiment(method: String, id: String) -> APIOperation {
        APIOperation(
            method: method, path: Paths.Pattern.experiment, id: id,
            summary: "Update an experiment (a partial update, for \(method == "PUT" ? "PATCH" : "PUT") too)",
            tag: "experiments", parameters: [APIParameter.experimentID],
            requestBody: APIResponse.body(Schema.ref("ExperimentUpdate")),
            responses: .responses([
                "200": APIResponse.json("The updated experiment", Schema.ref("Experiment")),
                "409": APIResponse.error("The new name is taken (ALREADY_EXISTS)"),
            ]) + notFound("experiment") + bodyErrors)
    }

    private static func bulk(_ path: String, id: String, summary: String, body: String = "ExperimentIDs")
        -> APIOperation
    {
        APIOperation(
            method: "POST", path: path, id: id, summary: summary, tag: "experiments",
            requestBody: APIResponse.body(Schema.ref(body)),
            responses: .responses([
                "200": APIResponse.json("How many experiments changed", Schema.ref("BulkResult")),
                "404": APIResponse.error("An id does not exist; nothing changed"),
            ]) + bodyErrors)
    }

    /// The legacy tag endpoints, the same for experiments and runs.
    static func tagOperations(
        owner: String, tag: String, idParameter: JSONValue, tags: String, oneTag: String
    ) -> [APIOperation] {
        let name = owner.prefix(1).uppercased() + owner.dropFirst()
        return [
            APIOperation(
                method: "GET", path: tags, id: "list\(name)Tags", summary: "List the tags of a \(owner)", tag: tag,
                parameters: [idParameter],
                responses: .responses(["200": APIResponse.json("The tags", Schema.array(of: Schema.ref("Tag")))])
                    + notFound(owner)),
            APIOperation(
                method: "POST", path: tags, id: "set\(name)Tag", summary: "Set a tag on a \(owner)", tag: tag,
                parameters: [idParameter], requestBody: APIResponse.body(Schema.ref("TagInput")),
                responses: .responses(["201": APIResponse.json("The tag", Schema.ref("Tag"), headers: ["Location"])])
                    + notFound(owner) + bodyErrors),
            APIOperation(
                method: "DELETE", path: oneTag, id: "delete\(name)Tag", summary: "Remove a tag from a \(owner)",
                tag: tag, parameters: [idParameter, APIParameter.tagID],
                responses: .responses(["204": APIResponse.empty("Removed")]) + notFound("\(owner) or tag")),
        ]
    }
}
