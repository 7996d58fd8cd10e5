extension OrderByParser {
    /// Parses order-by clauses for experiments, `<attribute> [ASC|DESC]` each.
    ///
    /// Experiments are ordered only by the attributes `name`, `experiment_id`, `creation_time` and
    /// `last_update_time`, bare or after the prefix `attribute.`; ordering by a tag is refused ("invalid
    /// order_by entity: tag"), as in MLflow. Naming the same attribute twice is an error.
    ///
    /// - Parameter clauses: clauses such as `"creation_time DESC"`; each at most ``Limits/maxFilterLength``
    ///   characters.
    /// - Returns: the keys in order, each a ``FilterField/experimentAttribute(_:)``; empty for an empty list.
    /// - Throws: ``LablogError/invalidFilter(_:)`` whose input is the offending clause and whose position is an
    ///   offset within it.
    public static func parseExperimentOrderBy(_ clauses: [String]) throws -> [OrderKey] {
        try parse(clauses, of: .experiments)
    }
}
