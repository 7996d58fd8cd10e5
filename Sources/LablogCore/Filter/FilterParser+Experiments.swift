extension FilterParser {
    /// Parses a filter over experiments: MLflow's search-experiments grammar, with Lablog's `OR`, `NOT` and
    /// parentheses.
    ///
    /// Fields are the experiment attributes `name`, `experiment_id`, `creation_time` and `last_update_time`,
    /// bare or after the prefix `attribute.` (MLflow refuses `attributes.` here, and so does Lablog), and tags
    /// as `tags.<key>` or `tag.<key>`; metrics, params and datasets do not exist for experiments:
    ///
    /// ```
    /// name LIKE 'vision%' AND tags.team IS NOT NULL
    /// experiment_id IN ('0', '7') OR creation_time > 1700000000000
    /// ```
    ///
    /// `name` takes `=`, `!=`, `LIKE`, `ILIKE` and, beyond MLflow, `IN`/`NOT IN`; `experiment_id` takes `=`, `!=`,
    /// `IN` and `NOT IN` with quoted values (`experiment_id = 1` is refused, as in MLflow); the two times take
    /// numbers and `=`, `!=`, `<`, `<=`, `>`, `>=`; tags take what run tags take. Syntax, limits and error
    /// positions are those of ``parse(_:)``.
    ///
    /// - Parameter text: the filter; at most ``Limits/maxFilterLength`` characters.
    /// - Returns: the expression, or nil when `text` is empty or only whitespace. Tags come back as
    ///   ``FilterField/tag(_:)`` and attributes as ``FilterField/experimentAttribute(_:)``.
    /// - Throws: ``LablogError/invalidFilter(_:)`` with the position of the offending text.
    public static func parseExperimentFilter(_ text: String) throws -> FilterExpression? {
        try parse(text, of: .experiments)
    }
}
