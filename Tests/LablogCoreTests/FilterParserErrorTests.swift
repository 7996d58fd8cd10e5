import LablogCore
import Testing

@Suite("Filter parser: refused filters")
struct FilterParserErrorTests {
    /// MLflow's rejected examples that Lablog also rejects (the others are Lablog extensions).
    static let mlflowRejectedCases: [RejectedFilter] = [
        .init(
            "params.lr = 0.1", at: "0.1", "param 'lr' must be compared with a quoted string, not a number; write '0.1'"
        ),
        .init("metrics.loss = 'a'", at: "'a'", "metric 'loss' must be compared with a number, not a string"),
        .init("params.lr > '0'", at: ">", "> cannot be used with param 'lr'; use one of =, !=, LIKE, ILIKE"),
        .init(
            "attributes.lifecycle_stage = 'active'", at: "lifecycle_stage",
            "attribute 'lifecycle_stage' is not searchable"),
        .init("params.x NOT LIKE 'y%'", at: "LIKE", "expected IN after NOT but found 'LIKE'; to negate a pattern"),
        .init("experiment_id IN ('0','1')", at: "experiment_id", "attribute 'experiment_id' is not searchable"),
        .init(
            "foo.bar = 'x'", at: "foo",
            "invalid entity type 'foo'; valid values are metric(s), param(s), tag(s), attribute(s), dataset(s)"),
        .init(
            "metrics.loss ~ 1", at: "~",
            "expected a comparison operator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL) "
                + "but found '~'"),
        .init("metrics.loss < 1; params.lr = '0.1'", at: ";", "';' is not allowed: a filter is a single expression"),
        .init(
            "metrics.loss < 1 and", at: nil,
            "expected a condition (for example metrics.acc > 0.9) after AND but found the end of the input; "
                + "a filter cannot end with AND"),
        .init("start_time = '1'", at: "'1'", "attribute 'start_time' must be compared with a number, not a string"),
        .init(
            "status = FINISHED", at: "FINISHED",
            "expected a quoted string ('...' or \"...\") but found 'FINISHED'; strings must be quoted"),
        .init("params.lr = 'a''b'", at: "'b'", "expected AND, OR or the end of the filter but found string 'b'"),
        .init("name LIKE 'x%'", at: "name", "invalid attribute 'name'; valid attributes are run_id, run_name, status"),
    ]

    @Test("MLflow's rejected examples", arguments: mlflowRejectedCases)
    func mlflowRejected(_ example: RejectedFilter) {
        expectRefusal(example)
    }

    static let syntax: [RejectedFilter] = [
        .init(
            "metrics.acc foo 1", at: "foo",
            "expected a comparison operator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL) "
                + "but found 'foo'"),
        .init("metrics.acc", at: nil, "expected a comparison operator"),
        .init("metrics.acc == 1", at: "==", "but found '=='"),
        .init("metrics.acc <> 1", at: "<>", "but found '<>'"),
        .init("metrics.acc >", at: nil, "expected a number but found the end of the input"),
        .init("params.a = 'x", at: "'x", "unterminated string starting at position 11; close it with '"),
        .init("params.a = \"x", at: "\"x", "unterminated string starting at position 11"),
        .init("metrics.`acc > 1", at: "`acc", "unterminated quoted name starting at position 8"),
        .init("1 = 1", at: "1", "expected a condition (for example metrics.acc > 0.9) but found number 1"),
        .init("= 1", at: "=", "expected a condition"),
        .init("AND metrics.a > 1", at: "AND", "expected a condition (for example metrics.acc > 0.9) but found 'AND'"),
        .init(
            "metrics.a > 1 AND OR metrics.b > 2", at: "OR",
            "expected a condition (for example metrics.acc > 0.9) after AND but found 'OR'"),
        .init("metrics.a > 1 OR", at: nil, "after OR but found the end of the input; a filter cannot end with OR"),
        .init("NOT", at: nil, "after NOT but found the end of the input"),
        .init("()", at: ")", "after '(' but found ')'"),
        .init(
            "(metrics.a > 1", at: nil,
            "expected AND, OR or ')' to close the '(' at position 0 but found the end of the input"),
        .init("((metrics.a > 1) ", at: nil, "to close the '(' at position 0"),
        .init("metrics.a > 1)", at: ")", "unmatched ')'"),
        .init(
            "metrics.a > 1 metrics.b > 2", at: "metrics.b",
            "expected AND, OR or the end of the filter but found 'metrics.b'"),
        .init("metrics.a > 1 AND metrics.b > 2;", at: ";", "';' is not allowed"),
        .init("metrics.a > 1;;", at: ";", "';' is not allowed"),
        .init("metrics.a IS 1", at: "1", "expected NULL or NOT NULL after IS but found number 1"),
        .init("metrics.a IS NOT 1", at: "1", "expected NULL after IS NOT but found number 1"),
        .init("metrics.a NOT 1", at: "1", "expected IN after NOT but found number 1"),
        .init("params.a IN 'x'", at: "'x'", "expected '(' to start the IN list but found string 'x'"),
        .init("params.a IN ()", at: ")", "an IN list must not be empty"),
        .init("params.a NOT IN ()", at: ")", "a NOT IN list must not be empty"),
        .init("params.a IN ('x',)", at: ")", "expected a quoted string in the IN list but found ')'"),
        .init("params.a IN ('x', 1)", at: "1", "expected a quoted string in the IN list but found number 1"),
        .init("params.a IN ('x' 'y')", at: "'y'", "expected ',' or ')' in the IN list but found string 'y'"),
        .init("params.a IN ('x'", at: nil, "expected ',' or ')' in the IN list but found the end of the input"),
        .init("params.a IN (`x`)", at: "`x`", "expected a quoted string in the IN list but found '`x`'"),
        .init("params.a = `x`", at: "`x`", "backticks quote names; quote strings with ' or \""),
        .init("params.a = NULL", at: "NULL", "test for a missing value with IS NULL"),
        .init("metrics.a = abc", at: "abc", "expected a number but found 'abc'"),
        .init("metrics.a = NaN", at: "NaN", "expected a number but found 'NaN'"),
        .init("'metrics'.acc > 1", at: "'metrics'", "single quotes make a string; quote names with backticks"),
        .init("metrics. acc > 1", at: "acc", "expected a key right after 'metrics.' but found 'acc'"),
        .init("metrics.", at: nil, "expected a key right after 'metrics.' but found the end of the input"),
        .init("metrics.'acc' > 1", at: "'acc'", "expected a key right after 'metrics.'"),
        .init("metrics.`` > 1", at: "``", "the key after 'metrics.' must not be empty"),
        .init("`metrics`. acc > 1", at: "acc", "expected a key right after 'metrics.'"),
        .init("`metrics`.", at: nil, "expected a key right after 'metrics.'"),
        .init("`metrics`.5 > 1", at: ".5", "expected a key right after 'metrics.' but found number .5"),
        .init("metrics.a > 1 AND 5", at: "5", "after AND but found number 5"),
        .init("metrics.a > 1 AND IS NULL", at: "IS", "after AND but found 'IS'"),
        .init("metrics.a > 1 # comment", at: "#", "unexpected character '#'"),
        .init("metrics.a > 1 && metrics.b > 1", at: "&", "unexpected character '&'"),
        .init("metrics.a > 1 || metrics.b > 1", at: "|", "unexpected character '|'"),
        .init("metrics.a = 🌍", at: "🌍", "unexpected character '🌍'"),
        .init("metrics.a = 1\u{0}", at: "\u{0}", "unexpected character '\\0'"),
    ]

    @Test("Syntax errors point at the offending token", arguments: syntax)
    func syntaxError(_ example: RejectedFilter) {
        expectRefusal(example)
    }

    static let numbers: [RejectedFilter] = [
        .init("metrics.a > 1.2.3", at: "1.2.3", "malformed number '1.2.3'"),
        .init("metrics.a > 1e", at: "1e", "malformed number '1e'"),
        .init("metrics.a > 1e+", at: "1e+", "malformed number '1e+'"),
        .init("metrics.a > 12abc", at: "12abc", "malformed number '12abc'"),
        .init("metrics.a > 0x10", at: "0x10", "malformed number '0x10'"),
        .init("metrics.a > 1_000", at: "1_000", "malformed number '1_000'"),
        .init("metrics.a > --1", at: "--1", "unexpected character '-'"),
        .init("metrics.a > - 1", at: "-", "unexpected character '-'"),
        .init("metrics.a > -", at: "-", "unexpected character '-'"),
        .init("metrics.a > 1AND metrics.b > 1", at: "1AND", "malformed number '1AND'"),
        .init("metrics.a > .", at: ".", occurrence: 2, "expected a number but found '.'"),
    ]

    @Test("Malformed numbers", arguments: numbers)
    func malformedNumber(_ example: RejectedFilter) {
        expectRefusal(example)
    }

    static let types: [RejectedFilter] = [
        .init("metrics.acc = 'x'", at: "'x'", "metric 'acc' must be compared with a number, not a string"),
        .init(
            "metrics.acc LIKE 'x'", at: "LIKE",
            "LIKE cannot be used with metric 'acc'; use one of =, !=, <, <=, >, >=, IS NULL, IS NOT NULL"),
        .init("metrics.acc IN ('1')", at: "IN", "IN cannot be used with metric 'acc'"),
        .init(
            "params.lr < '1'", at: "<",
            "< cannot be used with param 'lr'; use one of =, !=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL"),
        .init("params.lr = 1", at: "1", "param 'lr' must be compared with a quoted string, not a number; write '1'"),
        .init("tags.t LIKE 5", at: "5", "tag 't' must be compared with a quoted string, not a number"),
        .init(
            "status IS NULL", at: "IS",
            "IS NULL cannot be used with attribute 'status'; use one of =, !=, LIKE, ILIKE, IN, NOT IN"),
        .init("run_id > 'a'", at: ">", "> cannot be used with attribute 'run_id'"),
        .init(
            "start_time LIKE '1%'", at: "LIKE",
            "LIKE cannot be used with attribute 'start_time'; use one of =, !=, <, <=, >, >="),
        .init("created IN ('1')", at: "IN", "IN cannot be used with attribute 'start_time'"),
        .init("end_time IS NOT NULL", at: "IS", "IS NOT NULL cannot be used with attribute 'end_time'"),
        .init("end_time = 'x'", at: "'x'", "attribute 'end_time' must be compared with a number, not a string"),
        .init("run_name = 1", at: "1", "attribute 'run_name' must be compared with a quoted string"),
        .init("datasets.name = 1", at: "1", "dataset field 'name' must be compared with a quoted string"),
        .init("datasets.name > 'a'", at: ">", "> cannot be used with dataset field 'name'"),
        .init("datasets.name IS NULL", at: "IS", "IS NULL cannot be used with dataset field 'name'"),
        .init("datasets.foo = 'x'", at: "foo", "invalid dataset key 'foo'; valid keys are name, digest, context"),
        .init("`datasets`.`source` = 'x'", at: "`source`", "invalid dataset key 'source'"),
        .init("attributes.foo = 'x'", at: "foo", "invalid attribute 'foo'"),
        .init("acc > 0.9", at: "acc", "(name other fields as metrics.acc, params.acc or tags.acc)"),
        .init("`run  name` = 'x'", at: "`run  name`", "invalid attribute 'run  name'"),
        .init("RUN_ID = 'x'", at: "RUN_ID", "invalid attribute 'RUN_ID'"),
        .init("Metrics.acc > 1", at: "Metrics", "invalid entity type 'Metrics'"),
        .init("metrics.a > 1 AND lifecycle_stage = 'active'", at: "lifecycle_stage", "is not searchable"),
    ]

    @Test("Type errors: operators and values each field accepts", arguments: types)
    func typeError(_ example: RejectedFilter) {
        expectRefusal(example)
    }

    @Test("The error reports the first problem in reading order")
    func firstProblemWins() {
        let outcome = parseOutcome("metrics.a = 'x' AND params.b = 'unterminated")
        #expect(outcome.error?.position == 12)
        #expect(outcome.error?.message.contains("metric 'a'") == true)
    }

    @Test(
        "Each part is checked before the next token is read",
        arguments: [
            ("foo 'unterminated", 0, "invalid attribute 'foo'"),
            ("foo.bar'unterminated", 0, "invalid entity type 'foo'"),
            ("foo.`bar` 'unterminated", 0, "invalid entity type 'foo'"),
            ("`foo`.bar 'unterminated", 0, "invalid entity type 'foo'"),
            ("`foo` 'unterminated", 0, "invalid attribute 'foo'"),
            ("datasets.x 'unterminated", 9, "invalid dataset key 'x'"),
            ("metrics.`` 'unterminated", 8, "the key after 'metrics.' must not be empty"),
            ("metrics.a LIKE 'unterminated", 10, "LIKE cannot be used with metric 'a'"),
            ("status IS NULL 'unterminated", 7, "IS NULL cannot be used with attribute 'status'"),
            ("metrics.a = 'x' 'unterminated", 12, "metric 'a' must be compared with a number"),
        ])
    func readingOrder(_ text: String, _ position: Int, _ message: String) {
        let error = parseOutcome(text).error
        #expect(error?.position == position)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "parsed")")
    }

    @Test("Errors carry the whole input and the INVALID_FILTER code")
    func errorShape() throws {
        let text = "metrics.acc > 0.9 and params.lr = 0.01"
        let error = try #require(throws: LablogError.self) { try FilterParser.parse(text) }
        #expect(error.code == "INVALID_FILTER")
        guard case .invalidFilter(let filterError) = error else {
            Issue.record("expected invalidFilter, got \(error)")
            return
        }
        #expect(filterError.input == text)
        #expect(filterError.position == 34)
        #expect(filterError.description == "\(filterError.message) at position 34")
    }

    @Test("Positions count characters, not bytes")
    func positionsCountCharacters() {
        let outcome = parseOutcome("params.`日本語 🇯🇵` = 'é' AND metrics.x = 'y'")
        #expect(outcome.error?.position == 37)
    }

    @Test("Messages quote long or unprintable input in short form")
    func shortMessages() {
        let long = String(repeating: "x", count: 5000)
        let outcome = parseOutcome("\(long) = 'a'")
        let message = outcome.error?.message ?? ""
        #expect(message.count < 400)
        #expect(message.contains("invalid attribute 'xxxxxxxx"))
        #expect(message.contains("…"))
        #expect(parseOutcome("params.a = '1' \u{7}").error?.message.contains("'\\u{07}'") == true)
    }
}
