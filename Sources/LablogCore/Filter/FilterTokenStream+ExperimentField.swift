/// The fields of experiment filters and order-by lists.
///
/// MLflow's search-experiments grammar is narrower than the run grammar: the only prefixes are `attribute`
/// (singular: MLflow refuses `attributes.` here although runs accept it) and `tag`/`tags`, and experiments are
/// ordered by attributes only.
extension FilterTokenStream {
    /// Maps an experiment entity prefix to the entity.
    func resolveExperimentEntity(
        _ name: String, at position: Int, for use: FieldUse
    ) throws(FilterError) -> FieldEntity {
        switch (name, use) {
        case ("attribute", _): return .attribute
        case ("tag", .filter), ("tags", .filter): return .tag
        case ("tag", .orderBy), ("tags", .orderBy):
            // MLflow's own wording ("Invalid order_by entity: tag"), so clients that match on it keep working.
            throw error(
                "invalid order_by entity: tag; experiments can be ordered only by "
                    + Self.experimentAttributeList(or: true),
                at: position)
        default:
            let valid =
                use == .filter
                ? "valid values are attribute, tag, tags, or a bare attribute name ("
                    + Self.experimentAttributeList(or: false) + ")"
                : "experiments are ordered by " + Self.experimentAttributeList(or: true)
                    + ", bare or after attribute."
            let hint: String
            switch name {
            case "attributes", "attr", "run":
                hint = "; write attribute.<name> (singular) or the bare name"
            case "metric", "metrics", "param", "params", "parameter", "parameters", "dataset", "datasets":
                hint = "; experiments have no metrics, params or datasets"
            default:
                hint = ""
            }
            throw error(
                "invalid entity type '\(FilterLexer.excerpt(name))' for experiments; \(valid)\(hint)", at: position)
        }
    }

    /// Maps an experiment attribute name to the attribute; MLflow has no aliases for these.
    func resolveExperimentAttribute(
        _ name: String, at position: Int, for use: FieldUse
    ) throws(FilterError) -> ExperimentAttribute {
        if let attribute = ExperimentAttribute(rawValue: name) { return attribute }
        let shown = FilterLexer.excerpt(name)
        let tagHint = use == .filter ? " (name tags as tags.\(shown))" : ""
        throw error(
            "invalid attribute '\(shown)' for experiments; valid attributes are "
                + "\(Self.experimentAttributeList(or: false))\(tagHint)",
            at: position)
    }

    /// The experiment attribute names, joined for a message.
    private static func experimentAttributeList(or: Bool) -> String {
        let names = ExperimentAttribute.allCases.map(\.rawValue)
        guard or else { return names.joined(separator: ", ") }
        return names.dropLast().joined(separator: ", ") + " or " + names[names.count - 1]
    }
}
