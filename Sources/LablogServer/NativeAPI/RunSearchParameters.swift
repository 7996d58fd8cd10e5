import Foundation
import LablogCore

/// The run-search query parameters shared by the run lists and the export: `filter`, `order_by`, `lifecycle`.
extension QueryItems {
    /// The parsed `filter` parameter, or nil when absent or blank.
    /// - Throws: ``LablogError/invalidFilter(_:)`` with the position of the error.
    func runFilter() throws -> FilterExpression? {
        guard let text = value("filter") else { return nil }
        do {
            return try FilterParser.parse(text)
        } catch let error as FilterError {
            throw LablogError.invalidFilter(error)
        }
    }

    /// The parsed `order_by` clauses: the parameter may repeat, and each value may list clauses separated by commas.
    /// - Throws: ``LablogError/invalidFilter(_:)`` for a clause that does not parse.
    func runOrder() throws -> [OrderKey] {
        let clauses = values("order_by").flatMap(Self.splitClauses)
        guard !clauses.isEmpty else { return [] }
        do {
            return try OrderByParser.parse(clauses)
        } catch let error as FilterError {
            throw LablogError.invalidFilter(error)
        }
    }

    /// A run query from the shared parameters; the caller sets the experiments.
    func runQuery(experimentIDs: [ExperimentID]) throws -> RunQuery {
        RunQuery(
            experimentIDs: experimentIDs, filter: try runFilter(), orderBy: try runOrder(), lifecycle: try lifecycle(),
            limit: try limit(default: 100, maximum: Limits.maxPageSize), cursor: cursor, countTotal: true)
    }

    /// Splits `metrics.acc DESC, params.lr` at commas that are not inside quotes or backticks.
    private static func splitClauses(_ text: String) -> [String] {
        var clauses: [String] = []
        var current = ""
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil }
                current.append(character)
            } else if character == "," {
                clauses.append(current)
                current = ""
            } else {
                if character == "\"" || character == "'" || character == "`" { quote = character }
                current.append(character)
            }
        }
        clauses.append(current)
        return clauses.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
