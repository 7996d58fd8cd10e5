/// Parses Lablog's filter language into a ``FilterExpression``.
///
/// The language is MLflow's search-runs filter grammar (comparisons joined by `AND`, entity prefixes and their
/// aliases, backtick or double-quote quoted names, `'` or `"` quoted strings without escapes, `IN`, `LIKE`,
/// `ILIKE`, `IS [NOT] NULL`), extended with `OR`, `NOT` and parentheses. Precedence is `NOT`, then `AND`, then
/// `OR`, and keywords may be written in any case, so every MLflow filter keeps its meaning:
///
/// ```
/// metrics.acc > 0.9 and params.lr = '0.01'
/// (tags.team LIKE 'vis%' OR tags.team = 'nlp') AND NOT status = 'failed'
/// ```
///
/// Besides MLflow's rules, metrics accept `IS NULL`/`IS NOT NULL`, params and tags accept `IN`/`NOT IN`, every
/// string attribute accepts `IN`/`NOT IN`, and `status` values are upper-cased so any case matches. A trailing
/// `AND`, which MLflow happens to tolerate, is an error here.
public enum FilterParser {
    /// The deepest nesting of parentheses and `NOT`s a filter may use.
    public static let maxNestingDepth = 64

    /// Parses a filter.
    ///
    /// A run of conditions joined by the same operator becomes a balanced tree (`AND` and `OR` are
    /// associative), so the tree stays shallow however long the filter is.
    ///
    /// - Parameter text: the filter; at most ``Limits/maxFilterLength`` characters.
    /// - Returns: the expression, or nil when `text` is empty or only whitespace.
    /// - Throws: ``LablogError/invalidFilter(_:)`` with the position of the offending text.
    public static func parse(_ text: String) throws -> FilterExpression? {
        try parse(text, of: .runs)
    }

    /// Parses a filter over the fields of `subject`, wrapping any refusal in ``LablogError/invalidFilter(_:)``.
    static func parse(_ text: String, of subject: FilterSubject) throws -> FilterExpression? {
        do throws(FilterError) {
            try checkLength(of: text, what: "filter")
            var parser = try ExpressionParser(text, subject: subject)
            return try parser.parseFilter()
        } catch {
            throw LablogError.invalidFilter(error)
        }
    }

    /// Refuses input longer than ``Limits/maxFilterLength`` before any work proportional to its length is done.
    static func checkLength(of text: String, what: String) throws(FilterError) {
        guard text.utf8.count > Limits.maxFilterLength else { return }
        var count = 0
        for _ in text {
            count += 1
            if count > Limits.maxFilterLength {
                throw FilterError(
                    message: "the \(what) is longer than \(Limits.maxFilterLength) characters",
                    position: Limits.maxFilterLength, input: text)
            }
        }
    }
}

/// A recursive-descent parser over the grammar
///
/// ```
/// filter     := orExpr? end
/// orExpr     := andExpr (OR andExpr)*
/// andExpr    := unary (AND unary)*
/// unary      := NOT unary | '(' orExpr ')' | comparison
/// comparison := field operator value
/// ```
///
/// It never backtracks and bounds its recursion by ``FilterParser/maxNestingDepth``, so it runs in time linear
/// in the input and in bounded stack.
struct ExpressionParser {
    private var tokens: FilterTokenStream
    /// Whose fields the comparisons name.
    private let subject: FilterSubject

    init(_ text: String, subject: FilterSubject) throws(FilterError) {
        tokens = try FilterTokenStream(text)
        self.subject = subject
    }

    mutating func parseFilter() throws(FilterError) -> FilterExpression? {
        if tokens.current.kind == .end { return nil }
        let expression = try parseOr(depth: 0, after: nil)
        switch tokens.current.kind {
        case .end:
            return expression
        case .semicolon:
            throw tokens.error("';' is not allowed: a filter is a single expression", at: tokens.current.start)
        case .rightParen:
            throw tokens.error("unmatched ')'", at: tokens.current.start)
        default:
            throw tokens.unexpected("AND, OR or the end of the filter")
        }
    }

    private mutating func parseOr(depth: Int, after context: String?) throws(FilterError) -> FilterExpression {
        var operands = [try parseAnd(depth: depth, after: context)]
        while tokens.current.isKeyword("OR") {
            try tokens.advance()
            operands.append(try parseAnd(depth: depth, after: "OR"))
        }
        return Self.balanced(operands[...], FilterExpression.or)
    }

    private mutating func parseAnd(depth: Int, after context: String?) throws(FilterError) -> FilterExpression {
        var operands = [try parseUnary(depth: depth, after: context)]
        while tokens.current.isKeyword("AND") {
            try tokens.advance()
            operands.append(try parseUnary(depth: depth, after: "AND"))
        }
        return Self.balanced(operands[...], FilterExpression.and)
    }

    private mutating func parseUnary(depth: Int, after context: String?) throws(FilterError) -> FilterExpression {
        let token = tokens.current
        let opensLevel = token.isKeyword("NOT") || token.kind == .leftParen
        if opensLevel, depth >= FilterParser.maxNestingDepth {
            throw tokens.error(
                "the filter nests parentheses and NOT more than \(FilterParser.maxNestingDepth) levels deep",
                at: token.start)
        }
        if token.isKeyword("NOT") {
            try tokens.advance()
            return .not(try parseUnary(depth: depth + 1, after: "NOT"))
        }
        if token.kind == .leftParen {
            try tokens.advance()
            let inner = try parseOr(depth: depth + 1, after: "'('")
            guard tokens.current.kind == .rightParen else {
                throw tokens.unexpected("AND, OR or ')' to close the '(' at position \(token.start)")
            }
            try tokens.advance()
            return inner
        }
        return try parseComparison(after: context)
    }

    private mutating func parseComparison(after context: String?) throws(FilterError) -> FilterExpression {
        let token = tokens.current
        let startsField: Bool
        switch token.kind {
        case .word, .quoted: startsField = !FilterTokenStream.reservedWords.contains(where: token.isKeyword)
        default: startsField = false
        }
        guard startsField else {
            let place = context.map { " after \($0)" } ?? ""
            let hint = token.kind == .end ? context.map { "a filter cannot end with \($0)" } : nil
            throw tokens.unexpected("a condition (for example \(subject.conditionExample))\(place)", hint: hint)
        }
        let field = try tokens.parseField(for: .filter, of: subject)
        let op = try parseOperator(after: field)
        let value = try parseValue(for: field.field, op: op)
        return .comparison(Comparison(field: field.field, op: op, value: value))
    }

    /// Builds a balanced tree over `operands` so a long flat chain gives a tree of logarithmic depth.
    private static func balanced(
        _ operands: ArraySlice<FilterExpression>,
        _ combine: (FilterExpression, FilterExpression) -> FilterExpression
    ) -> FilterExpression {
        if operands.count == 1 { return operands[operands.startIndex] }
        let middle = operands.startIndex + (operands.count + 1) / 2
        return combine(balanced(operands[..<middle], combine), balanced(operands[middle...], combine))
    }
}

extension ExpressionParser {
    /// Reads a comparison operator and checks that `field` allows it.
    private mutating func parseOperator(after field: ParsedField) throws(FilterError) -> ComparisonOperator {
        let token = tokens.current
        let op: ComparisonOperator
        switch token.kind {
        case .symbol(let symbol):
            guard let symbolic = ComparisonOperator(rawValue: symbol) else { throw expectedOperator() }
            op = symbolic
        case .word:
            if token.isKeyword("LIKE") {
                op = .like
            } else if token.isKeyword("ILIKE") {
                op = .ilike
            } else if token.isKeyword("IN") {
                op = .in
            } else if token.isKeyword("IS") {
                try tokens.advance()
                if tokens.current.isKeyword("NOT") {
                    try tokens.advance()
                    guard tokens.current.isKeyword("NULL") else { throw tokens.unexpected("NULL after IS NOT") }
                    op = .isNotNull
                } else {
                    guard tokens.current.isKeyword("NULL") else {
                        throw tokens.unexpected("NULL or NOT NULL after IS")
                    }
                    op = .isNull
                }
            } else if token.isKeyword("NOT") {
                try tokens.advance()
                guard tokens.current.isKeyword("IN") else {
                    let negated = tokens.current.isKeyword("LIKE") || tokens.current.isKeyword("ILIKE")
                    let hint = negated ? "to negate a pattern write NOT (field LIKE 'pattern')" : nil
                    throw tokens.unexpected("IN after NOT", hint: hint)
                }
                op = .notIn
            } else {
                throw expectedOperator()
            }
        default:
            throw expectedOperator()
        }
        let allowed = FilterTypeRules.operators(for: field.field)
        guard allowed.contains(op) else {
            throw tokens.error(
                "\(op.rawValue) cannot be used with \(field.field.messageName); use one of "
                    + allowed.map(\.rawValue).joined(separator: ", "),
                at: token.start)
        }
        try tokens.advance()
        return op
    }

    private func expectedOperator() -> FilterError {
        tokens.unexpected("a comparison operator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL)")
    }

    /// Reads the value `op` takes and checks its type against `field`.
    private mutating func parseValue(
        for field: FilterField, op: ComparisonOperator
    ) throws(FilterError) -> FilterValue {
        switch op {
        case .isNull, .isNotNull:
            return .none
        case .in, .notIn:
            return FilterTypeRules.normalized(.list(try parseList(op: op)), for: field)
        default:
            break
        }
        let token = tokens.current
        let wantsNumber = FilterTypeRules.takesNumbers(field)
        let value: FilterValue
        switch token.kind {
        case .number(let number):
            guard wantsNumber else {
                throw tokens.error(
                    "\(field.messageName) must be compared with a quoted string, not a number; "
                        + "write '\(tokens.source(of: token))'",
                    at: token.start)
            }
            value = .number(number)
        case .quoted(let text, let delimiter) where delimiter != "`":
            guard !wantsNumber else {
                throw tokens.error(
                    "\(field.messageName) must be compared with a number, not a string", at: token.start)
            }
            value = .string(text)
        default:
            let expectation = wantsNumber ? "a number" : "a quoted string ('...' or \"...\")"
            let hint: String? =
                if token.isKeyword("NULL") {
                    "test for a missing value with IS NULL"
                } else if case .word = token.kind {
                    wantsNumber ? nil : "strings must be quoted with ' or \""
                } else if case .quoted = token.kind {
                    "backticks quote names; quote strings with ' or \""
                } else {
                    nil
                }
            throw tokens.unexpected(expectation, hint: hint)
        }
        try tokens.advance()
        return FilterTypeRules.normalized(value, for: field)
    }

    /// Reads `('a', "b", ...)`: parenthesised, non-empty, quoted strings only.
    private mutating func parseList(op: ComparisonOperator) throws(FilterError) -> [String] {
        guard tokens.current.kind == .leftParen else {
            throw tokens.unexpected("'(' to start the \(op.rawValue) list")
        }
        try tokens.advance()
        if tokens.current.kind == .rightParen {
            let list = op == .in ? "an IN list" : "a NOT IN list"
            throw tokens.error("\(list) must not be empty", at: tokens.current.start)
        }
        var items: [String] = []
        while true {
            guard case .quoted(let text, let delimiter) = tokens.current.kind, delimiter != "`" else {
                throw tokens.unexpected("a quoted string in the \(op.rawValue) list")
            }
            items.append(text)
            try tokens.advance()
            switch tokens.current.kind {
            case .comma:
                try tokens.advance()
            case .rightParen:
                try tokens.advance()
                return items
            default:
                throw tokens.unexpected("',' or ')' in the \(op.rawValue) list")
            }
        }
    }
}
