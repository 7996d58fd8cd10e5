import LablogCore
import Testing

// Builders that keep expected trees short in the tables.

func condition(_ field: FilterField, _ op: ComparisonOperator, _ value: FilterValue) -> FilterExpression {
    .comparison(Comparison(field: field, op: op, value: value))
}

func metric(_ key: String, _ op: ComparisonOperator, _ value: Double) -> FilterExpression {
    condition(.metric(key), op, .number(value))
}

func param(_ key: String, _ op: ComparisonOperator, _ value: String) -> FilterExpression {
    condition(.param(key), op, .string(value))
}

func tag(_ key: String, _ op: ComparisonOperator, _ value: String) -> FilterExpression {
    condition(.tag(key), op, .string(value))
}

func attribute(_ attribute: RunAttribute, _ op: ComparisonOperator, _ value: String) -> FilterExpression {
    condition(.attribute(attribute), op, .string(value))
}

func attribute(_ attribute: RunAttribute, _ op: ComparisonOperator, _ value: Double) -> FilterExpression {
    condition(.attribute(attribute), op, .number(value))
}

func experiment(_ attribute: ExperimentAttribute, _ op: ComparisonOperator, _ value: String) -> FilterExpression {
    condition(.experimentAttribute(attribute), op, .string(value))
}

func experiment(_ attribute: ExperimentAttribute, _ op: ComparisonOperator, _ value: Double) -> FilterExpression {
    condition(.experimentAttribute(attribute), op, .number(value))
}

func && (lhs: FilterExpression, rhs: FilterExpression) -> FilterExpression { .and(lhs, rhs) }
func || (lhs: FilterExpression, rhs: FilterExpression) -> FilterExpression { .or(lhs, rhs) }
prefix func ! (operand: FilterExpression) -> FilterExpression { .not(operand) }

/// The outcome of parsing a filter, with any error unwrapped.
enum FilterOutcome: Equatable {
    case parsed(FilterExpression?)
    case refused(FilterError)
    /// Something other than `LablogError.invalidFilter` was thrown.
    case unexpected(String)

    var error: FilterError? {
        if case .refused(let error) = self { return error }
        return nil
    }
}

/// Which of the parser's grammars a test drives.
enum FilterGrammar: Sendable, CustomTestStringConvertible {
    /// `FilterParser.parse`: run filters.
    case runs
    /// `FilterParser.parseExperimentFilter`: experiment filters.
    case experiments

    var testDescription: String { self == .runs ? "runs" : "experiments" }
}

/// Parses `text` with `grammar`, turning `LablogError.invalidFilter` into ``FilterOutcome/refused(_:)``.
func parseOutcome(_ text: String, grammar: FilterGrammar = .runs) -> FilterOutcome {
    do {
        switch grammar {
        case .runs: return .parsed(try FilterParser.parse(text))
        case .experiments: return .parsed(try FilterParser.parseExperimentFilter(text))
        }
    } catch LablogError.invalidFilter(let error) {
        return .refused(error)
    } catch {
        return .unexpected(String(describing: error))
    }
}

/// Parses order-by clauses, turning `LablogError.invalidFilter` into a `FilterError`.
func orderByOutcome(_ parse: () throws -> [OrderKey]) -> Result<[OrderKey], FilterError> {
    do {
        return .success(try parse())
    } catch LablogError.invalidFilter(let error) {
        return .failure(error)
    } catch {
        Issue.record("unexpected error \(error)")
        return .failure(FilterError(message: "unexpected", position: -1, input: ""))
    }
}

/// The depth of an expression tree: 1 for a single comparison.
func treeDepth(_ expression: FilterExpression) -> Int {
    switch expression {
    case .comparison: 1
    case .not(let operand): 1 + treeDepth(operand)
    case .and(let lhs, let rhs), .or(let lhs, let rhs): 1 + max(treeDepth(lhs), treeDepth(rhs))
    }
}

/// Checks the invariants every refusal must keep, returning a description of the first one broken.
func brokenInvariant(of outcome: FilterOutcome, for text: String) -> String? {
    switch outcome {
    case .parsed:
        return nil
    case .unexpected(let description):
        return "threw something other than invalidFilter: \(description)"
    case .refused(let error):
        if error.position < 0 || error.position > text.count {
            return "position \(error.position) outside 0...\(text.count)"
        }
        if error.input != text { return "the error's input is not the parsed text" }
        if error.message.isEmpty { return "empty message" }
        return nil
    }
}
