/// Which operators and value types each kind of field accepts.
enum FilterTypeRules {
    private static let ordering: [ComparisonOperator] = [
        .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual,
    ]
    private static let matching: [ComparisonOperator] = [.equal, .notEqual, .like, .ilike, .in, .notIn]
    private static let presence: [ComparisonOperator] = [.isNull, .isNotNull]

    /// The operators `field` may be compared with, in the order messages list them.
    ///
    /// MLflow's sets, widened where Lablog extends them: metrics take `IS [NOT] NULL`, params and tags take
    /// `IN`/`NOT IN`, and every string attribute (not only `run_id`, and the experiment `name` besides
    /// `experiment_id`) takes `IN`/`NOT IN`. Experiment tags are ``FilterField/tag(_:)`` and follow the tag rules.
    static func operators(for field: FilterField) -> [ComparisonOperator] {
        switch field {
        case .metric: ordering + presence
        case .param, .tag: matching + presence
        case .attribute(let attribute): attribute.isNumeric ? ordering : matching
        case .dataset: matching
        case .experimentAttribute(let attribute):
            switch attribute {
            case .name: matching
            case .experimentID: [.equal, .notEqual, .in, .notIn]
            case .creationTime, .lastUpdateTime: ordering
            }
        }
    }

    /// Whether `field` is compared with numbers rather than strings.
    static func takesNumbers(_ field: FilterField) -> Bool {
        switch field {
        case .metric: true
        case .attribute(let attribute): attribute.isNumeric
        case .experimentAttribute(let attribute): attribute.isNumeric
        case .param, .tag, .dataset: false
        }
    }

    /// `value` as the store expects it: `status` values upper-cased, so `status = 'finished'` matches the
    /// stored `FINISHED`.
    static func normalized(_ value: FilterValue, for field: FilterField) -> FilterValue {
        guard field == .attribute(.status) else { return value }
        switch value {
        case .string(let text): return .string(text.uppercased())
        case .list(let items): return .list(items.map { $0.uppercased() })
        case .number, .none: return value
        }
    }
}
