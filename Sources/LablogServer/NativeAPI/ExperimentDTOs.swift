import LablogCore

/// An experiment on the wire.
struct ExperimentResponse: Encodable {
    var experiment: Experiment

    enum CodingKeys: String, CodingKey {
        case id, name, description, status, lifecycle, tags
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case runCount = "run_count"
        case lastRunAt = "last_run_at"
    }

    init(_ experiment: Experiment) { self.experiment = experiment }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(experiment.id, forKey: .id)
        try container.encode(experiment.name, forKey: .name)
        // Optional fields are written as null rather than left out, so every experiment has the same keys.
        try container.encode(experiment.description, forKey: .description)
        try container.encode(experiment.status.rawValue, forKey: .status)
        try container.encode(experiment.lifecycle.rawValue, forKey: .lifecycle)
        try container.encode(experiment.tags.map { TagResponse($0) }, forKey: .tags)
        try container.encode(WireTime.format(experiment.createdAt), forKey: .createdAt)
        try container.encode(WireTime.format(experiment.updatedAt), forKey: .updatedAt)
        try container.encode(experiment.runCount, forKey: .runCount)
        try container.encode(experiment.lastRunAt.map(WireTime.format), forKey: .lastRunAt)
    }
}

/// The body of `POST /api/experiments`.
struct CreateExperimentRequest: Decodable {
    var experiment: NewExperiment

    enum CodingKeys: String, CodingKey {
        case name, description, status, tags
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        experiment = NewExperiment(
            name: try container.decode(String.self, forKey: .name),
            description: try container.decodeIfPresent(String.self, forKey: .description),
            status: try container.decodeExperimentStatusIfPresent(forKey: .status) ?? .running,
            tags: try container.decodeIfPresent(KeyValueList.self, forKey: .tags)?.pairs ?? [])
    }
}

/// The body of `PUT`/`PATCH /api/experiments/{id}`: every field optional; `"description": null` clears it.
struct UpdateExperimentRequest: Decodable {
    var update: ExperimentUpdate

    enum CodingKeys: String, CodingKey {
        case name, description, status
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        update = ExperimentUpdate()
        if container.contains(.name) {
            update.name = try container.decode(String.self, forKey: .name)
        }
        if container.contains(.description) {
            update.description = .some(try container.decodeIfPresent(String.self, forKey: .description))
        }
        update.status = try container.decodeExperimentStatusIfPresent(forKey: .status)
    }
}

/// The body of the experiment bulk endpoints: `{"ids": [1, 2]}`.
struct ExperimentIDsRequest: Decodable {
    var ids: [ExperimentID]

    enum CodingKeys: String, CodingKey {
        case ids
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        ids = try container.decodeBulkIDs(forKey: .ids) { try $0.decodeInteger() }
    }
}

/// The body of `POST /api/experiments/bulk/tag`: ids plus one tag in any ``TagInput`` form.
struct BulkTagRequest: Decodable {
    var ids: [ExperimentID]
    var tag: KeyValue

    enum CodingKeys: String, CodingKey {
        case ids
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        ids = try container.decodeBulkIDs(forKey: .ids) { try $0.decodeInteger() }
        tag = try TagInput(from: decoder).tag
    }
}

/// The answer of a bulk change: how many entities it touched.
struct BulkResult: Encodable {
    var updated: Int
}

extension KeyedDecodingContainer {
    /// Decodes an optional experiment status (`running`, `completed`, `failed`, any case).
    func decodeExperimentStatusIfPresent(forKey key: Key) throws -> ExperimentStatus? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let status = ExperimentStatus(rawValue: text.lowercased()) else {
            let allowed = ExperimentStatus.allCases.map(\.rawValue).joined(separator: ", ")
            throw LablogError.invalidValue(
                field: WirePath.describe(codingPath + [key]), reason: "'\(text)' is not one of \(allowed)")
        }
        return status
    }

    /// Decodes the id list of a bulk request: 1 to ``Limits/maxBulkIDs`` ids, duplicates dropped (first kept).
    func decodeBulkIDs<ID: Hashable>(
        forKey key: Key, _ decodeOne: (inout any UnkeyedDecodingContainer) throws -> ID
    ) throws -> [ID] {
        let field = WirePath.describe(codingPath + [key])
        var array: any UnkeyedDecodingContainer = try nestedUnkeyedContainer(forKey: key)
        if let count = array.count, count > Limits.maxBulkIDs {
            throw LablogError.invalidValue(
                field: field, reason: "holds \(count) ids; the maximum is \(Limits.maxBulkIDs)")
        }
        var ids: [ID] = []
        var seen: Set<ID> = []
        while !array.isAtEnd {
            let id = try decodeOne(&array)
            if seen.insert(id).inserted { ids.append(id) }
        }
        guard !ids.isEmpty else { throw LablogError.invalidValue(field: field, reason: "must not be empty") }
        return ids
    }
}
