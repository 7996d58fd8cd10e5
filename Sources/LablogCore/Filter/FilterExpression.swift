/// A parsed filter: comparisons combined with AND, OR and NOT.
public indirect enum FilterExpression: Sendable, Equatable {
    case comparison(Comparison)
    case and(FilterExpression, FilterExpression)
    case or(FilterExpression, FilterExpression)
    case not(FilterExpression)
}

/// One `field operator value` condition.
public struct Comparison: Sendable, Equatable {
    public var field: FilterField
    public var op: ComparisonOperator
    public var value: FilterValue

    /// Makes a comparison.
    public init(field: FilterField, op: ComparisonOperator, value: FilterValue) {
        self.field = field
        self.op = op
        self.value = value
    }
}

/// What a comparison or an order-by key refers to.
public enum FilterField: Sendable, Equatable, Hashable {
    /// The latest value of a metric key.
    case metric(String)
    case param(String)
    case tag(String)
    case attribute(RunAttribute)
    /// `datasets.name`, `datasets.digest` or `datasets.context` (MLflow's dataset inputs).
    case dataset(String)
    /// An attribute of an experiment (experiment filters only).
    case experimentAttribute(ExperimentAttribute)
}

/// The experiment attributes an experiment filter or order-by can name.
public enum ExperimentAttribute: String, Sendable, Equatable, Hashable, CaseIterable {
    case name
    case experimentID = "experiment_id"
    case creationTime = "creation_time"
    case lastUpdateTime = "last_update_time"

    /// Whether values of the attribute are numbers (milliseconds) rather than strings.
    public var isNumeric: Bool { self == .creationTime || self == .lastUpdateTime }
}

/// The run attributes a filter can name.
public enum RunAttribute: String, Sendable, Equatable, Hashable, CaseIterable {
    case runID = "run_id"
    case runName = "run_name"
    case status
    case userID = "user_id"
    case artifactURI = "artifact_uri"
    case startTime = "start_time"
    case endTime = "end_time"

    /// Whether values of the attribute are numbers (milliseconds) rather than strings.
    public var isNumeric: Bool { self == .startTime || self == .endTime }
}

/// A comparison operator.
public enum ComparisonOperator: String, Sendable, Equatable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case like = "LIKE"
    case ilike = "ILIKE"
    case `in` = "IN"
    case notIn = "NOT IN"
    case isNull = "IS NULL"
    case isNotNull = "IS NOT NULL"
}

/// The right-hand side of a comparison.
public enum FilterValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case list([String])
    /// No value (`IS NULL`, `IS NOT NULL`).
    case none
}

/// One key of an order-by list.
public struct OrderKey: Sendable, Equatable {
    public var field: FilterField
    public var ascending: Bool

    /// Makes an order-by key.
    public init(field: FilterField, ascending: Bool) {
        self.field = field
        self.ascending = ascending
    }
}

/// Why a filter or order-by string was refused, with the position of the offending text.
public struct FilterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for example "expected a comparison operator".
    public var message: String
    /// The 0-based character offset in the input where the problem starts.
    public var position: Int
    /// The input that was parsed.
    public var input: String

    /// Makes a filter error.
    public init(message: String, position: Int, input: String) {
        self.message = message
        self.position = position
        self.input = input
    }

    public var description: String { "\(message) at position \(position)" }
}
