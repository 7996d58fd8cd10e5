/// SQL both stores share: their schemas name tables and columns alike (`runs r`, `experiments e`), so the parts
/// of a query that only name columns are written once; what differs between the dialects stays in each store.
package enum SchemaSQL {
    /// The column of a run attribute, on `runs r`.
    package static func column(of attribute: RunAttribute) -> String {
        switch attribute {
        case .runID: "r.uuid"
        case .runName: "r.name"
        case .status: "r.status"
        case .userID: "r.user_id"
        case .artifactURI: "r.artifact_uri"
        case .startTime: "r.start_time"
        case .endTime: "r.end_time"
        }
    }

    /// The terms ordering experiments (`experiments e`) by `keys` (experiment attributes), then MLflow's
    /// tie-breakers `creation_time DESC, experiment_id ASC`.
    package static func experimentOrdering(_ keys: [OrderKey]) -> String {
        var terms: [String] = []
        for key in keys {
            guard case .experimentAttribute(let attribute) = key.field else { continue }
            let direction = key.ascending ? "ASC" : "DESC"
            let column =
                switch attribute {
                case .name: "e.name"
                case .experimentID: "e.id"
                case .creationTime: "e.created_at"
                case .lastUpdateTime: "e.updated_at"
                }
            terms.append("\(column) \(direction)")
        }
        if !keys.contains(where: { $0.field == .experimentAttribute(.creationTime) }) {
            terms.append("e.created_at DESC")
        }
        if !keys.contains(where: { $0.field == .experimentAttribute(.experimentID) }) { terms.append("e.id ASC") }
        return terms.joined(separator: ", ")
    }

    /// The terms ordering an experiment list: by the query's order-by keys when it has some (see
    /// ``experimentOrdering(_:)``), otherwise by its sort column and direction, ties by id.
    package static func experimentOrdering(_ query: ExperimentQuery) -> String {
        guard query.orderBy.isEmpty else { return experimentOrdering(query.orderBy) }
        let direction = query.ascending ? "ASC" : "DESC"
        let column =
            switch query.sort {
            case .name: "e.name"
            case .createdAt: "e.created_at"
            case .updatedAt: "e.updated_at"
            }
        return "\(column) \(direction), e.id \(direction)"
    }
}
