import LablogCore
import Testing

@Suite("Experiment filters")
struct ExperimentFilterTests {
    struct Accepted: Sendable, CustomTestStringConvertible {
        var text: String
        var expression: FilterExpression?
        var testDescription: String { text }

        init(_ text: String, _ expression: FilterExpression?) {
            self.text = text
            self.expression = expression
        }
    }

    /// The search-experiments examples verified against the MLflow reference server.
    static let mlflowExamples: [Accepted] = [
        .init("name LIKE 'x%'", experiment(.name, .like, "x%")),
        .init("attribute.name = 'x'", experiment(.name, .equal, "x")),
        .init("experiment_id IN ('0','1')", condition(.experimentAttribute(.experimentID), .in, .list(["0", "1"]))),
        .init("tags.k1 ILIKE 'V%'", tag("k1", .ilike, "V%")),
        .init("tags.k1 IS NULL", condition(.tag("k1"), .isNull, .none)),
        .init(
            "creation_time > 0 AND name != 'x'",
            experiment(.creationTime, .greater, 0) && experiment(.name, .notEqual, "x")
        ),
    ]

    @Test("MLflow's search-experiments examples parse to exact trees", arguments: mlflowExamples)
    func mlflowExample(_ example: Accepted) {
        #expect(parseOutcome(example.text, grammar: .experiments) == .parsed(example.expression))
    }

    static let accepted: [Accepted] = [
        .init("", nil),
        .init(" \t\n", nil),
        .init("name = \"it's\"", experiment(.name, .equal, "it's")),
        .init("name ILIKE '%Vision%'", experiment(.name, .ilike, "%Vision%")),
        .init("name IN ('a', \"b\")", condition(.experimentAttribute(.name), .in, .list(["a", "b"]))),
        .init("name NOT IN ('a')", condition(.experimentAttribute(.name), .notIn, .list(["a"]))),
        .init("experiment_id = '7'", experiment(.experimentID, .equal, "7")),
        .init("attribute.experiment_id != '0'", experiment(.experimentID, .notEqual, "0")),
        .init("experiment_id not in ('1')", condition(.experimentAttribute(.experimentID), .notIn, .list(["1"]))),
        .init("creation_time >= -1", experiment(.creationTime, .greaterOrEqual, -1)),
        .init("creation_time = 1.5e3", experiment(.creationTime, .equal, 1500)),
        .init("last_update_time <= 1700000000000", experiment(.lastUpdateTime, .lessOrEqual, 1_700_000_000_000)),
        .init("attribute.last_update_time<2", experiment(.lastUpdateTime, .less, 2)),
        .init("tag.team = 'vision'", tag("team", .equal, "vision")),
        .init("tags.mlflow.note = 'x'", tag("mlflow.note", .equal, "x")),
        .init("tags.\"a b\" LIKE 'v%'", tag("a b", .like, "v%")),
        .init("tags.`a b` != 'x'", tag("a b", .notEqual, "x")),
        .init("tags.name = 'x'", tag("name", .equal, "x")),
        .init("tags.k IS NOT NULL", condition(.tag("k"), .isNotNull, .none)),
        .init("tags.k IN ('a','b')", condition(.tag("k"), .in, .list(["a", "b"]))),
        .init("`name` = 'x'", experiment(.name, .equal, "x")),
        .init("\"name\" = 'x'", experiment(.name, .equal, "x")),
        .init("`attribute`.`name` = 'x'", experiment(.name, .equal, "x")),
        .init("\"attribute\".creation_time > 5", experiment(.creationTime, .greater, 5)),
        .init("attribute.`last_update_time` > 5", experiment(.lastUpdateTime, .greater, 5)),
        .init("`tags`.k = ''", tag("k", .equal, "")),
        .init(
            "name like 'x' and tags.t is not null",
            experiment(.name, .like, "x") && condition(.tag("t"), .isNotNull, .none)),
        .init(
            "(name = 'a' OR name = 'b') AND NOT tags.archived IS NOT NULL",
            (experiment(.name, .equal, "a") || experiment(.name, .equal, "b"))
                && !condition(.tag("archived"), .isNotNull, .none)),
        .init(
            "name = 'a' or experiment_id = '1' and creation_time > 0",
            experiment(.name, .equal, "a")
                || (experiment(.experimentID, .equal, "1") && experiment(.creationTime, .greater, 0))),
    ]

    @Test("Accepted experiment filters parse to exact trees", arguments: accepted)
    func acceptedFilter(_ example: Accepted) {
        #expect(parseOutcome(example.text, grammar: .experiments) == .parsed(example.expression))
    }

    static let allAttributes = "name, experiment_id, creation_time, last_update_time"
    static let entities = "valid values are attribute, tag, tags, or a bare attribute name (\(allAttributes))"

    /// MLflow's rejected search-experiments examples, then the prefixes experiments do not have.
    static let rejectedEntities: [RejectedFilter] = [
        .init(
            "attributes.name = 'x'", at: "attributes",
            "invalid entity type 'attributes' for experiments; \(entities); write attribute.<name> (singular) "
                + "or the bare name"),
        .init(
            "experiment_id = 1", at: "1",
            "attribute 'experiment_id' must be compared with a quoted string, not a number; write '1'"),
        .init(
            "metrics.acc > 1", at: "metrics",
            "invalid entity type 'metrics' for experiments; \(entities); experiments have no metrics, params or "
                + "datasets"),
        .init("params.lr = '1'", at: "params", "invalid entity type 'params' for experiments"),
        .init("parameter.lr = '1'", at: "parameter", "experiments have no metrics, params or datasets"),
        .init("datasets.name = 'x'", at: "datasets", "experiments have no metrics, params or datasets"),
        .init("run.name = 'x'", at: "run", "write attribute.<name> (singular) or the bare name"),
        .init("attr.name = 'x'", at: "attr", "write attribute.<name> (singular) or the bare name"),
        .init("foo.bar = 'x'", at: "foo", "invalid entity type 'foo' for experiments; \(entities)"),
        .init("`attributes`.name = 'x'", at: "`attributes`", "invalid entity type 'attributes' for experiments"),
        .init("Tags.k = 'x'", at: "Tags", "invalid entity type 'Tags' for experiments"),
        .init("name = 'x' AND metric.m > 1", at: "metric", "invalid entity type 'metric' for experiments"),
    ]

    @Test("Entity prefixes experiments do not have", arguments: rejectedEntities)
    func rejectedEntity(_ example: RejectedFilter) {
        expectRefusal(example, grammar: .experiments)
    }

    static let rejectedFields: [RejectedFilter] = [
        .init(
            "status = 'x'", at: "status",
            "invalid attribute 'status' for experiments; valid attributes are \(allAttributes) "
                + "(name tags as tags.status)"),
        .init("attribute.status = 'x'", at: "status", "invalid attribute 'status' for experiments"),
        .init("lifecycle_stage = 'active'", at: "lifecycle_stage", "invalid attribute 'lifecycle_stage'"),
        .init("created > 0", at: "created", "invalid attribute 'created' for experiments"),
        .init("Name = 'x'", at: "Name", "invalid attribute 'Name' for experiments"),
        .init("`run name` = 'x'", at: "`run name`", "invalid attribute 'run name' for experiments"),
        .init("attribute.`` = 'x'", at: "``", "invalid attribute '' for experiments"),
        .init("tags.`` = 'x'", at: "``", "the key after 'tags.' must not be empty"),
        .init(
            "tags. k = 'x'", at: "k",
            "expected a key right after 'tags.' but found 'k'; quote keys with special characters using "
                + "backticks, as in tags.`my tag`"),
        .init("attribute.", at: nil, "expected a key right after 'attribute.' but found the end of the input"),
        .init("'name' = 'x'", at: "'name'", "single quotes make a string; quote names with backticks"),
    ]

    @Test("Fields experiments do not have", arguments: rejectedFields)
    func rejectedField(_ example: RejectedFilter) {
        expectRefusal(example, grammar: .experiments)
    }

    static let rejectedTypes: [RejectedFilter] = [
        .init(
            "name > 'a'", at: ">", "> cannot be used with attribute 'name'; use one of =, !=, LIKE, ILIKE, IN, NOT IN"),
        .init("name = 1", at: "1", "attribute 'name' must be compared with a quoted string, not a number; write '1'"),
        .init("name IS NULL", at: "IS", "IS NULL cannot be used with attribute 'name'"),
        .init("name = vision", at: "vision", "expected a quoted string ('...' or \"...\") but found 'vision'"),
        .init(
            "experiment_id LIKE '1%'", at: "LIKE",
            "LIKE cannot be used with attribute 'experiment_id'; use one of =, !=, IN, NOT IN"),
        .init("experiment_id ILIKE '1%'", at: "ILIKE", "ILIKE cannot be used with attribute 'experiment_id'"),
        .init("experiment_id < '5'", at: "<", "< cannot be used with attribute 'experiment_id'"),
        .init("experiment_id IS NOT NULL", at: "IS", "IS NOT NULL cannot be used with attribute 'experiment_id'"),
        .init("experiment_id IN (1, 2)", at: "1", "expected a quoted string in the IN list but found number 1"),
        .init("experiment_id IN ()", at: ")", "an IN list must not be empty"),
        .init("experiment_id = '1' AND experiment_id = 2", at: "2", "attribute 'experiment_id' must be compared"),
        .init(
            "creation_time = '1'", at: "'1'", "attribute 'creation_time' must be compared with a number, not a string"
        ),
        .init(
            "creation_time LIKE '1%'", at: "LIKE",
            "LIKE cannot be used with attribute 'creation_time'; use one of =, !=, <, <=, >, >="),
        .init("last_update_time IN ('1')", at: "IN", "IN cannot be used with attribute 'last_update_time'"),
        .init("creation_time IS NULL", at: "IS", "IS NULL cannot be used with attribute 'creation_time'"),
        .init("last_update_time > now", at: "now", "expected a number but found 'now'"),
        .init(
            "tags.k > 'a'", at: ">",
            "> cannot be used with tag 'k'; use one of =, !=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL"),
        .init("tags.k = 1", at: "1", "tag 'k' must be compared with a quoted string, not a number"),
        .init("tags.k NOT LIKE 'x'", at: "LIKE", "expected IN after NOT but found 'LIKE'; to negate a pattern"),
    ]

    @Test("Operators and values each experiment field accepts", arguments: rejectedTypes)
    func rejectedType(_ example: RejectedFilter) {
        expectRefusal(example, grammar: .experiments)
    }

    static let rejectedSyntax: [RejectedFilter] = [
        .init("= 'x'", at: "=", "expected a condition (for example name LIKE 'vision%') but found '='"),
        .init("1 = 1", at: "1", "expected a condition (for example name LIKE 'vision%') but found number 1"),
        .init(
            "name = 'x' AND", at: nil,
            "expected a condition (for example name LIKE 'vision%') after AND but found the end of the input; "
                + "a filter cannot end with AND"),
        .init("name = 'x' OR", at: nil, "a filter cannot end with OR"),
        .init("name = 'x'; name = 'y'", at: ";", "';' is not allowed: a filter is a single expression"),
        .init("(name = 'x'", at: nil, "expected AND, OR or ')' to close the '(' at position 0"),
        .init("name = 'x')", at: ")", "unmatched ')'"),
        .init("name = 'x", at: "'x", "unterminated string starting at position 7"),
        .init("name = 'x' tags.k = 'y'", at: "tags.k", "expected AND, OR or the end of the filter but found 'tags.k'"),
        .init("creation_time > 1e", at: "1e", "malformed number '1e'"),
    ]

    @Test("Syntax errors point at the offending token", arguments: rejectedSyntax)
    func rejectedSyntaxError(_ example: RejectedFilter) {
        expectRefusal(example, grammar: .experiments)
    }

    @Test(
        "Each part is checked before the next token is read",
        arguments: [
            ("foo 'unterminated", 0, "invalid attribute 'foo' for experiments"),
            ("attributes.`x 'unterminated", 0, "invalid entity type 'attributes'"),
            ("`metrics`.x 'unterminated", 0, "invalid entity type 'metrics'"),
            ("attribute.x 'unterminated", 10, "invalid attribute 'x' for experiments"),
            ("creation_time LIKE 'unterminated", 14, "LIKE cannot be used with attribute 'creation_time'"),
            ("experiment_id = 1 'unterminated", 16, "attribute 'experiment_id' must be compared with a quoted"),
        ])
    func readingOrder(_ text: String, _ position: Int, _ message: String) {
        let error = parseOutcome(text, grammar: .experiments).error
        #expect(error?.position == position)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "parsed")")
    }

    @Test("The two grammars keep their own fields")
    func grammarsStaySeparate() {
        #expect(parseOutcome("attributes.status = 'FINISHED'", grammar: .runs).error == nil)
        #expect(parseOutcome("attributes.status = 'FINISHED'", grammar: .experiments).error?.position == 0)
        #expect(parseOutcome("name = 'x'", grammar: .runs).error?.message.contains("run_id, run_name") == true)
        // A tag is the same field in both; only the store decides whose tags it reads.
        #expect(parseOutcome("tags.t = 'x'", grammar: .runs) == parseOutcome("tags.t = 'x'", grammar: .experiments))
    }

    @Test("Errors carry the whole input and the INVALID_FILTER code")
    func errorShape() throws {
        let text = "name = 'x' and experiment_id = 3"
        let error = try #require(throws: LablogError.self) { try FilterParser.parseExperimentFilter(text) }
        #expect(error.code == "INVALID_FILTER")
        guard case .invalidFilter(let filterError) = error else {
            Issue.record("expected invalidFilter, got \(error)")
            return
        }
        #expect(filterError.input == text)
        #expect(filterError.position == 31)
        #expect(
            filterError.description
                == "attribute 'experiment_id' must be compared with a quoted string, not a number; write '3' "
                + "at position 31")
    }

    @Test("Positions count characters, not bytes")
    func positionsCountCharacters() {
        let outcome = parseOutcome("tags.`日本語 🇯🇵` = 'é' AND creation_time = 'y'", grammar: .experiments)
        #expect(outcome.error?.position == 39)
    }
}
