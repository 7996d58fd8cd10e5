import LablogCore

/// Compiles filter expressions and order-by keys to PostgreSQL SQL over runs (aliased `r`) or experiments
/// (aliased `e`), binding every literal as a parameter.
///
/// Conditions on params, tags, metrics and datasets are correlated `EXISTS` probes on their (owner, key)
/// indexes, so an entity lacking the key never matches a comparison (MLflow's rule, `!=` included) and
/// `NOT`/`OR` compose as plain boolean logic. `LIKE` and `ILIKE` take no escape character, as SQLite's do.
struct PostgresFilterSQL {
    /// What the filter selects.
    enum Target {
        case runs, experiments
    }

    let target: Target
    /// The parameters bound so far; the caller's own values may share it.
    var sql: SQLBuilder
    /// Whether run conditions on keyed values are written as `r.id IN (...)` sets instead of `EXISTS` probes.
    /// Sets suit queries that visit every match (counts, sorted pages): each is one hashed index range read; probes
    /// suit index walks that stop early, as they look up only the runs visited.
    var asSets = false
    /// The run id column that sets test membership of (`r.id`, or the walked index's run id column).
    var setOwner = "r.id"

    init(_ target: Target = .runs, sql: SQLBuilder = SQLBuilder()) {
        self.target = target
        self.sql = sql
    }

    /// The SQL condition for `expression`.
    mutating func condition(_ expression: FilterExpression) -> String {
        switch expression {
        case .comparison(let comparison): return condition(comparison)
        case .and(let lhs, let rhs): return "(\(condition(lhs)) AND \(condition(rhs)))"
        case .or(let lhs, let rhs): return "(\(condition(lhs)) OR \(condition(rhs)))"
        case .not(let inner): return "(NOT \(condition(inner)))"
        }
    }

    /// The condition for `expression` in a walk of an index whose run id column is `owner`: the conjuncts that
    /// likely select few runs (equality on a param or tag, and ORs of such) are hashed sets tested on `owner`, so
    /// each walked entry costs a hash lookup before its run is read; the other conjuncts are probes, evaluated only
    /// on the runs that pass the sets. `IS TRUE` keeps the planner from turning the sets into joins, which would
    /// read the whole walked index before the first row.
    mutating func walkCondition(_ expression: FilterExpression, owner: String) -> String {
        let conjuncts = Self.conjuncts(of: expression)
        let narrow = conjuncts.filter(Self.isNarrow)
        let wide = conjuncts.filter { !Self.isNarrow($0) }
        var parts: [String] = []
        if !narrow.isEmpty {
            let (sets, previousOwner) = (asSets, setOwner)
            (asSets, setOwner) = (true, owner)
            parts.append("(\(narrow.map { condition($0) }.joined(separator: " AND "))) IS TRUE")
            (asSets, setOwner) = (sets, previousOwner)
        }
        parts += wide.map { condition($0) }
        return "(\(parts.joined(separator: " AND ")))"
    }

    private static func conjuncts(of expression: FilterExpression) -> [FilterExpression] {
        if case .and(let lhs, let rhs) = expression { return conjuncts(of: lhs) + conjuncts(of: rhs) }
        return [expression]
    }

    /// Whether a condition likely matches few runs: equality with a param or tag, or an OR or AND of such.
    private static func isNarrow(_ expression: FilterExpression) -> Bool {
        switch expression {
        case .comparison(let comparison):
            switch (comparison.field, comparison.op) {
            case (.param, .equal), (.param, .in), (.tag, .equal), (.tag, .in): return true
            default: return false
            }
        case .or(let lhs, let rhs): return isNarrow(lhs) && isNarrow(rhs)
        case .and(let lhs, let rhs): return isNarrow(lhs) || isNarrow(rhs)
        case .not: return false
        }
    }

    private mutating func condition(_ comparison: Comparison) -> String {
        switch comparison.field {
        case .metric(let key):
            let keyID = "(SELECT id FROM metric_keys WHERE key = \(sql.bind(key)))"
            return keyed(table: "latest_metrics", keyMatch: "x.key_id = \(keyID)", comparison, nanAware: true)
        case .param(let key):
            return keyed(table: "params", keyMatch: "x.key = \(sql.bind(key))", comparison, nanAware: false)
        case .tag(let key) where target == .experiments:
            return keyed(
                table: "experiment_tags", owner: "x.experiment_id = e.id", keyMatch: "x.key = \(sql.bind(key))",
                comparison, nanAware: false)
        case .tag(let key):
            return keyed(table: "run_tags", keyMatch: "x.key = \(sql.bind(key))", comparison, nanAware: false)
        case .attribute(let attribute):
            let column = SchemaSQL.column(of: attribute)
            if comparison.op == .isNull { return "(\(column) IS NULL)" }
            if comparison.op == .isNotNull { return "(\(column) IS NOT NULL)" }
            return "(\(column) IS NOT NULL AND \(predicate(column, comparison, nanAware: false)))"
        case .dataset(let key):
            let column =
                switch key {
                case "name": "d.name"
                case "digest": "d.digest"
                default: "nullif(i.context, '')"
                }
            let probe = "SELECT 1 FROM run_inputs i JOIN datasets d ON d.id = i.dataset_id WHERE i.run_id = r.id"
            return "(EXISTS (\(probe) AND \(column) IS NOT NULL AND \(predicate(column, comparison, nanAware: false))))"
        case .experimentAttribute(let attribute):
            let column =
                switch attribute {
                case .name: "e.name"
                case .experimentID: "e.id::text"
                case .creationTime: "e.created_at"
                case .lastUpdateTime: "e.updated_at"
                }
            return "(\(predicate(column, comparison, nanAware: false)))"
        }
    }

    private mutating func keyed(
        table: String, owner: String = "x.run_id = r.id", keyMatch: String, _ comparison: Comparison, nanAware: Bool
    ) -> String {
        if asSets, target == .runs {
            // Run ids are never NULL, so `NOT IN` keeps the meaning of `NOT EXISTS`.
            let members = "SELECT x.run_id FROM \(table) x WHERE \(keyMatch)"
            switch comparison.op {
            case .isNull: return "(\(setOwner) NOT IN (\(members)))"
            case .isNotNull: return "(\(setOwner) IN (\(members)))"
            default:
                return "(\(setOwner) IN (\(members) AND \(predicate("x.value", comparison, nanAware: nanAware))))"
            }
        }
        let probe = "SELECT 1 FROM \(table) x WHERE \(owner) AND \(keyMatch)"
        switch comparison.op {
        case .isNull: return "(NOT EXISTS (\(probe)))"
        case .isNotNull: return "(EXISTS (\(probe)))"
        default: return "(EXISTS (\(probe) AND \(predicate("x.value", comparison, nanAware: nanAware))))"
        }
    }

    /// `column op value`. For metrics a NULL column is NaN, which only `!=` matches.
    private mutating func predicate(_ column: String, _ comparison: Comparison, nanAware: Bool) -> String {
        switch (comparison.op, comparison.value) {
        case (.like, .string(let pattern)):
            return "\(column) LIKE \(sql.bind(pattern)) ESCAPE ''"
        case (.ilike, .string(let pattern)):
            return "\(column) ILIKE \(sql.bind(pattern)) ESCAPE ''"
        case (.in, .list(let values)):
            return "\(column) = ANY(\(sql.bind(values))::text[])"
        case (.notIn, .list(let values)):
            return "\(column) <> ALL(\(sql.bind(values))::text[])"
        case (let op, .number(let number)):
            let value = "\(sql.bind(number))::double precision"
            if nanAware, op == .notEqual { return "(\(column) IS NULL OR \(column) <> \(value))" }
            return "\(column) \(Self.sqlOperator(op)) \(value)"
        case (let op, .string(let text)):
            return "\(column) \(Self.sqlOperator(op)) \(sql.bind(text))::text"
        default:
            // The parser never pairs these operators and values; match nothing rather than guess.
            return "FALSE"
        }
    }

    private static func sqlOperator(_ op: ComparisonOperator) -> String {
        op == .notEqual ? "<>" : op.rawValue
    }

    /// The SQL joins and terms ordering runs by `keys`, with missing values last in both directions (and NaN
    /// after numbers for metrics), then the tie-breakers `start_time DESC, run id ASC`.
    ///
    /// With `numbersOnly`, a leading metric key keeps only the runs with a number for it (an inner join), so the
    /// page walks that metric's (key, value) index in order and probes the filter per run until the page fills.
    mutating func ordering(_ keys: [OrderKey], numbersOnly: Bool = false) -> (joins: String, terms: String) {
        var joins: [String] = []
        var terms: [String] = []
        for (index, key) in keys.enumerated() {
            let alias = "o\(index)"
            let direction = key.ascending ? "ASC" : "DESC"
            switch key.field {
            case .metric(let name) where numbersOnly && index == 0:
                joins.append(
                    "JOIN latest_metrics \(alias) ON \(alias).run_id = r.id AND \(alias).value IS NOT NULL "
                        + "AND \(alias).key_id = (SELECT id FROM metric_keys WHERE key = \(sql.bind(name)))")
                terms.append("\(alias).value \(direction)")
            case .metric(let name):
                joins.append(
                    "LEFT JOIN latest_metrics \(alias) ON \(alias).run_id = r.id "
                        + "AND \(alias).key_id = (SELECT id FROM metric_keys WHERE key = \(sql.bind(name)))")
                terms.append("(\(alias).run_id IS NULL), \(alias).value \(direction) NULLS LAST")
            case .param(let name), .tag(let name):
                let table = if case .param = key.field { "params" } else { "run_tags" }
                joins.append(
                    "LEFT JOIN \(table) \(alias) ON \(alias).run_id = r.id AND \(alias).key = \(sql.bind(name))")
                terms.append("\(alias).value \(direction) NULLS LAST")
            case .attribute(let attribute):
                terms.append("\(SchemaSQL.column(of: attribute)) \(direction) NULLS LAST")
            case .dataset, .experimentAttribute:
                continue
            }
        }
        if !keys.contains(where: { $0.field == .attribute(.startTime) }) { terms.append("r.start_time DESC") }
        terms.append("r.uuid ASC")
        return (joins.joined(separator: " "), terms.joined(separator: ", "))
    }
}
