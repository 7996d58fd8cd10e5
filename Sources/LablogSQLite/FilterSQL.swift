import GRDB
import LablogCore

/// Compiles filter expressions and order-by keys to SQLite SQL with bound arguments, over runs (aliased `r`)
/// or experiments (aliased `e`).
///
/// Values never enter the SQL text: every literal is a `?` argument. Conditions on params, tags, metrics and
/// datasets are correlated `EXISTS` probes on their (owner, key) indexes, so an entity lacking the key never
/// matches a comparison (MLflow's rule, `!=` included) and `NOT`/`OR` compose as plain boolean logic. Run search
/// over large scopes reads the same param, tag and metric conditions as index ranges instead
/// (``keyedRunIDs(_:)``), with the same predicates.
struct FilterSQL {
    /// What the filter selects.
    enum Target {
        case runs, experiments
    }

    let target: Target
    var arguments: StatementArguments = []

    init(_ target: Target = .runs) {
        self.target = target
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

    /// SQL selecting the ids of the runs whose param, tag or latest metric matches `comparison`, read as one
    /// range of that table's (key, value) index; nil for other fields. When `negated` is true the matches are
    /// the runs *without* the selected ids (`IS NULL`: the runs lacking the key).
    mutating func keyedRunIDs(_ comparison: Comparison) -> (sql: String, negated: Bool)? {
        let table: String
        let keyTest: String
        let key: String
        switch comparison.field {
        case .metric(let name):
            (table, keyTest, key) = ("latest_metrics", "x.key_id = (SELECT id FROM metric_keys WHERE key = ?)", name)
        case .param(let name): (table, keyTest, key) = ("params", "x.key = ?", name)
        case .tag(let name) where target == .runs: (table, keyTest, key) = ("run_tags", "x.key = ?", name)
        default: return nil
        }
        let select = "SELECT x.run_id FROM \(table) x WHERE \(keyTest)"
        _ = arguments.append(contentsOf: [key])
        switch comparison.op {
        case .isNull: return (select, true)
        case .isNotNull: return (select, false)
        default:
            let nanAware = table == "latest_metrics"
            return ("\(select) AND \(predicate("x.value", comparison, nanAware: nanAware))", false)
        }
    }

    private mutating func condition(_ comparison: Comparison) -> String {
        switch comparison.field {
        case .metric(let key):
            return keyedCondition(
                table: "latest_metrics", keyColumn: "key_id", keySQL: "(SELECT id FROM metric_keys WHERE key = ?)",
                key: key, column: "x.value", comparison: comparison, nanAware: true)
        case .param(let key):
            return keyedCondition(
                table: "params", keyColumn: "key", keySQL: "?", key: key, column: "x.value", comparison: comparison,
                nanAware: false)
        case .tag(let key) where target == .experiments:
            return keyedCondition(
                table: "experiment_tags", owner: "x.experiment_id = e.id", keyColumn: "key", keySQL: "?", key: key,
                column: "x.value", comparison: comparison, nanAware: false)
        case .tag(let key):
            return keyedCondition(
                table: "run_tags", keyColumn: "key", keySQL: "?", key: key, column: "x.value", comparison: comparison,
                nanAware: false)
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
                case .experimentID: "CAST(e.id AS TEXT)"
                case .creationTime: "e.created_at"
                case .lastUpdateTime: "e.updated_at"
                }
            return "(\(predicate(column, comparison, nanAware: false)))"
        }
    }

    private mutating func keyedCondition(
        table: String, owner: String = "x.run_id = r.id", keyColumn: String, keySQL: String, key: String,
        column: String, comparison: Comparison, nanAware: Bool
    ) -> String {
        let probe = "SELECT 1 FROM \(table) x WHERE \(owner) AND x.\(keyColumn) = \(keySQL)"
        _ = arguments.append(contentsOf: [key])
        switch comparison.op {
        case .isNull: return "(NOT EXISTS (\(probe)))"
        case .isNotNull: return "(EXISTS (\(probe)))"
        default: return "(EXISTS (\(probe) AND \(predicate(column, comparison, nanAware: nanAware))))"
        }
    }

    /// `column op value`. For metrics a NULL column is NaN, which only `!=` matches.
    private mutating func predicate(_ column: String, _ comparison: Comparison, nanAware: Bool) -> String {
        switch (comparison.op, comparison.value) {
        case (.like, .string(let pattern)):
            _ = arguments.append(contentsOf: [Self.globPattern(fromLike: pattern)])
            return "\(column) GLOB ?"
        case (.ilike, .string(let pattern)):
            _ = arguments.append(contentsOf: [pattern.lowercased()])
            return "lower(\(column)) LIKE ?"
        case (.in, .list(let values)), (.notIn, .list(let values)):
            _ = arguments.append(contentsOf: StatementArguments(values))
            let not = comparison.op == .notIn ? "NOT " : ""
            return "\(column) \(not)IN (\(SQLiteStore.placeholders(values.count)))"
        case (let op, .number(let number)):
            _ = arguments.append(contentsOf: [number])
            if nanAware, op == .notEqual { return "(\(column) IS NULL OR \(column) != ?)" }
            return "\(column) \(op.rawValue) ?"
        case (let op, .string(let text)):
            _ = arguments.append(contentsOf: [text])
            return "\(column) \(op.rawValue) ?"
        default:
            // The parser never pairs these operators and values; match nothing rather than guess.
            return "0"
        }
    }

    /// The SQL terms ordering runs by `keys`, with missing values last in both directions (and NaN after
    /// numbers for metrics), then the tie-breakers `start_time DESC, run id ASC`.
    mutating func ordering(_ keys: [OrderKey]) -> (joins: String, terms: String) {
        var joins: [String] = []
        var terms: [String] = []
        for (index, key) in keys.enumerated() {
            let alias = "o\(index)"
            let direction = key.ascending ? "ASC" : "DESC"
            switch key.field {
            case .metric(let name):
                joins.append(
                    "LEFT JOIN latest_metrics \(alias) ON \(alias).run_id = r.id "
                        + "AND \(alias).key_id = (SELECT id FROM metric_keys WHERE key = ?)")
                _ = arguments.append(contentsOf: [name])
                terms.append("\(alias).run_id IS NULL, \(alias).value IS NULL, \(alias).value \(direction)")
            case .param(let name), .tag(let name):
                let table = if case .param = key.field { "params" } else { "run_tags" }
                joins.append("LEFT JOIN \(table) \(alias) ON \(alias).run_id = r.id AND \(alias).key = ?")
                _ = arguments.append(contentsOf: [name])
                terms.append("\(alias).value IS NULL, \(alias).value \(direction)")
            case .attribute(let attribute):
                let column = SchemaSQL.column(of: attribute)
                terms.append("\(column) IS NULL, \(column) \(direction)")
            case .dataset, .experimentAttribute:
                continue
            }
        }
        if !keys.contains(where: { $0.field == .attribute(.startTime) }) { terms.append("r.start_time DESC") }
        terms.append("r.uuid ASC")
        return (joins.joined(separator: " "), terms.joined(separator: ", "))
    }

    /// Translates a case-sensitive SQL LIKE pattern (`%`, `_`) to SQLite's case-sensitive GLOB syntax,
    /// escaping GLOB's own wildcards.
    static func globPattern(fromLike pattern: String) -> String {
        var glob = ""
        for character in pattern {
            switch character {
            case "%": glob += "*"
            case "_": glob += "?"
            case "*": glob += "[*]"
            case "?": glob += "[?]"
            case "[": glob += "[[]"
            default: glob.append(character)
            }
        }
        return glob
    }
}
