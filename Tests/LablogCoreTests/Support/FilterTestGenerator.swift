import LablogCore

/// Makes random, valid filter trees: every comparison uses an operator and value type its field accepts.
///
/// The operator table is written out here rather than taken from the parser, so it states the language's
/// rules independently.
struct FilterTestGenerator {
    var rng: SplitMix64
    /// Whose fields the comparisons name.
    let grammar: FilterGrammar

    init(seed: UInt64, grammar: FilterGrammar = .runs) {
        rng = SplitMix64(seed: seed)
        self.grammar = grammar
    }

    private static let ordering: [ComparisonOperator] = [
        .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual,
    ]
    private static let matching: [ComparisonOperator] = [.equal, .notEqual, .like, .ilike, .in, .notIn]
    private static let presence: [ComparisonOperator] = [.isNull, .isNotNull]

    private static let keyPieces: [String] = [
        "a", "b", "z", "A", "Q", "0", "7", "_", " ", ".", "-", "/", ":", "é", "日", "'", "\"", "`", "(", ",", "%",
    ]
    private static let stringPieces: [String] = [
        "a", "B", "1", " ", "%", "_", "'", "\"", "`", "(", ")", ",", ";", "é", "🌍", "\n", "\\", "AND", "or", "=",
    ]

    /// A random tree at most `depth` operators deep.
    mutating func expression(depth: Int) -> FilterExpression {
        guard depth > 0, rng.chance(0.65) else { return .comparison(comparison()) }
        switch rng.int(0...4) {
        case 0: return .not(expression(depth: depth - 1))
        case 1, 2: return .and(expression(depth: depth - 1), expression(depth: depth - 1))
        default: return .or(expression(depth: depth - 1), expression(depth: depth - 1))
        }
    }

    mutating func comparison() -> Comparison {
        grammar == .runs ? runComparison() : experimentComparison()
    }

    private mutating func runComparison() -> Comparison {
        let field: FilterField
        switch rng.int(0...4) {
        case 0: field = .metric(key())
        case 1: field = .param(key())
        case 2: field = .tag(key())
        case 3: field = .attribute(rng.pick(RunAttribute.allCases))
        default: field = .dataset(rng.pick(["name", "digest", "context"]))
        }
        let operators: [ComparisonOperator]
        let numeric: Bool
        switch field {
        case .metric: (operators, numeric) = (Self.ordering + Self.presence, true)
        case .param, .tag: (operators, numeric) = (Self.matching + Self.presence, false)
        case .attribute(let attribute) where attribute.isNumeric: (operators, numeric) = (Self.ordering, true)
        case .attribute, .dataset: (operators, numeric) = (Self.matching, false)
        case .experimentAttribute: preconditionFailure("run filters never contain experiment attributes")
        }
        let op = rng.pick(operators)
        let status = field == .attribute(.status)
        let value: FilterValue
        switch op {
        case .isNull, .isNotNull: value = .none
        case .in, .notIn: value = .list((0..<rng.int(1...4)).map { _ in string(status: status) })
        default: value = numeric ? .number(number()) : .string(string(status: status))
        }
        return Comparison(field: field, op: op, value: value)
    }

    /// A comparison of an experiment filter: a tag or one of the four experiment attributes.
    private mutating func experimentComparison() -> Comparison {
        let field: FilterField =
            rng.chance(0.4) ? .tag(key()) : .experimentAttribute(rng.pick(ExperimentAttribute.allCases))
        let operators: [ComparisonOperator]
        switch field {
        case .tag: operators = Self.matching + Self.presence
        case .experimentAttribute(.name): operators = Self.matching
        case .experimentAttribute(.experimentID): operators = [.equal, .notEqual, .in, .notIn]
        case .experimentAttribute(.creationTime), .experimentAttribute(.lastUpdateTime): operators = Self.ordering
        case .metric, .param, .attribute, .dataset:
            preconditionFailure("experiment filters name only tags and experiment attributes")
        }
        let op = rng.pick(operators)
        let value: FilterValue
        switch op {
        case .isNull, .isNotNull: value = .none
        case .in, .notIn: value = .list((0..<rng.int(1...4)).map { _ in experimentString(for: field) })
        default:
            let numeric = field == .experimentAttribute(.creationTime) || field == .experimentAttribute(.lastUpdateTime)
            value = numeric ? .number(number()) : .string(experimentString(for: field))
        }
        return Comparison(field: field, op: op, value: value)
    }

    /// An experiment id (digits, mostly) for `experiment_id`, any string otherwise.
    private mutating func experimentString(for field: FilterField) -> String {
        guard field == .experimentAttribute(.experimentID), rng.chance(0.8) else { return string(status: false) }
        return String(rng.int(0...100_000))
    }

    /// A non-empty key that some quoting can express (never both a backtick and a double quote).
    mutating func key() -> String {
        var text = (0..<rng.int(1...10)).map { _ in rng.pick(Self.keyPieces) }.joined()
        if text.contains("`"), text.contains("\"") { text.removeAll { $0 == "`" } }
        return text.isEmpty ? "k" : text
    }

    /// A string some quote can express (never both quote kinds); upper case for `status`, as parsed.
    mutating func string(status: Bool) -> String {
        if status {
            return rng.pick(["FINISHED", "RUNNING", "FAILED", "KILLED", "SCHEDULED", "FIN%", "_UNNING", ""])
        }
        var text = (0..<rng.int(0...8)).map { _ in rng.pick(Self.stringPieces) }.joined()
        if text.contains("'"), text.contains("\"") { text.removeAll { $0 == "'" } }
        return text
    }

    /// A finite number: small integers, decimals, or arbitrary finite doubles.
    mutating func number() -> Double {
        switch rng.int(0...3) {
        case 0: return Double(rng.int(-1000...1000))
        case 1: return Double(rng.int(-100_000...100_000)) / 1000
        case 2: return Double(rng.int(1...9)) * [1e-12, 1e-5, 1e5, 1e16, 1e300][rng.int(0...4)]
        default:
            while true {
                let candidate = Double(bitPattern: rng.next())
                if candidate.isFinite { return candidate }
            }
        }
    }
}
