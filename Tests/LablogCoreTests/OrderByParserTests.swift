import LablogCore
import Testing

@Suite("Order-by parser")
struct OrderByParserTests {
    struct Clause: Sendable, CustomTestStringConvertible {
        var text: String
        var key: OrderKey
        var testDescription: String { text }
    }

    static let clauses: [Clause] = [
        .init(text: "metrics.acc", key: OrderKey(field: .metric("acc"), ascending: true)),
        .init(text: "metrics.acc DESC", key: OrderKey(field: .metric("acc"), ascending: false)),
        .init(text: "metrics.acc desc", key: OrderKey(field: .metric("acc"), ascending: false)),
        .init(text: "metrics.acc Asc", key: OrderKey(field: .metric("acc"), ascending: true)),
        .init(text: "metric.`my metric` DeSc", key: OrderKey(field: .metric("my metric"), ascending: false)),
        .init(text: "params.lr ASC", key: OrderKey(field: .param("lr"), ascending: true)),
        .init(text: "parameters.\"l r\"", key: OrderKey(field: .param("l r"), ascending: true)),
        .init(text: "tags.mlflow.runName DESC", key: OrderKey(field: .tag("mlflow.runName"), ascending: false)),
        .init(text: "`tags`.`a b` asc", key: OrderKey(field: .tag("a b"), ascending: true)),
        .init(text: "attributes.start_time DESC", key: OrderKey(field: .attribute(.startTime), ascending: false)),
        .init(text: "start_time ASC", key: OrderKey(field: .attribute(.startTime), ascending: true)),
        .init(text: "run_name DESC", key: OrderKey(field: .attribute(.runName), ascending: false)),
        .init(text: "created", key: OrderKey(field: .attribute(.startTime), ascending: true)),
        .init(text: "Created DESC", key: OrderKey(field: .attribute(.startTime), ascending: false)),
        .init(text: "`Run Name` desc", key: OrderKey(field: .attribute(.runName), ascending: false)),
        .init(text: "end_time", key: OrderKey(field: .attribute(.endTime), ascending: true)),
        .init(text: "run.status", key: OrderKey(field: .attribute(.status), ascending: true)),
        .init(text: "attr.user_id", key: OrderKey(field: .attribute(.userID), ascending: true)),
        .init(text: "run_id DESC", key: OrderKey(field: .attribute(.runID), ascending: false)),
        .init(text: "artifact_uri", key: OrderKey(field: .attribute(.artifactURI), ascending: true)),
        .init(text: "  metrics.acc\tDESC\n", key: OrderKey(field: .metric("acc"), ascending: false)),
    ]

    @Test("One clause: field and optional direction", arguments: clauses)
    func clause(_ clause: Clause) throws {
        #expect(try OrderByParser.parse([clause.text]) == [clause.key])
        #expect(try OrderByParser.parse(commaSeparated: clause.text) == [clause.key])
    }

    @Test("Several clauses keep their order")
    func severalClauses() throws {
        let expected = [
            OrderKey(field: .metric("acc"), ascending: false),
            OrderKey(field: .attribute(.startTime), ascending: true),
            OrderKey(field: .param("a,b"), ascending: false),
        ]
        #expect(try OrderByParser.parse(["metrics.acc DESC", "start_time", "params.`a,b` desc"]) == expected)
        #expect(try OrderByParser.parse(commaSeparated: "metrics.acc DESC, start_time,params.`a,b` desc") == expected)
    }

    @Test("No clauses give no keys")
    func noClauses() throws {
        #expect(try OrderByParser.parse([]) == [])
        #expect(try OrderByParser.parse(commaSeparated: "") == [])
        #expect(try OrderByParser.parse(commaSeparated: " \t ") == [])
    }

    struct RejectedClause: Sendable, CustomTestStringConvertible {
        var text: String
        var position: Int
        var message: String
        var testDescription: String { text }
    }

    static let rejectedClauses: [RejectedClause] = [
        .init(text: "", position: 0, message: "an order_by clause must name a field"),
        .init(text: "   ", position: 0, message: "an order_by clause must name a field"),
        .init(
            text: "metrics.acc DOWN", position: 12,
            message: "expected ASC, DESC or the end of the order_by clause but found 'DOWN'"),
        .init(
            text: "metrics.acc DESC extra", position: 17,
            message: "expected ASC, DESC or the end of the order_by clause but found 'extra'"),
        .init(text: "metrics.acc ASC DESC", position: 16, message: "but found 'DESC'"),
        .init(text: "metrics.acc, start_time", position: 11, message: "but found ','"),
        .init(text: "metrics.acc;", position: 11, message: "but found ';'"),
        .init(text: "datasets.name", position: 0, message: "datasets cannot be used to order runs"),
        .init(
            text: "foo.bar", position: 0,
            message: "invalid entity type 'foo'; valid values are metric(s), param(s), tag(s), attribute(s)"),
        .init(text: "lifecycle_stage DESC", position: 0, message: "attribute 'lifecycle_stage' is not orderable"),
        .init(text: "experiment_id", position: 0, message: "attribute 'experiment_id' is not orderable"),
        .init(text: "attributes.nope", position: 11, message: "invalid attribute 'nope'"),
        .init(text: "metrics.", position: 8, message: "expected a key right after 'metrics.'"),
        .init(text: "DESC", position: 0, message: "invalid attribute 'DESC'"),
        .init(text: "AND", position: 0, message: "expected a field name but found the keyword AND"),
        .init(text: "'metrics.acc'", position: 0, message: "single quotes make a string"),
        .init(text: "metrics.`acc", position: 8, message: "unterminated quoted name starting at position 8"),
        .init(text: "metrics.acc > 1", position: 12, message: "but found '>'"),
    ]

    @Test("Refused clauses point at the offending token", arguments: rejectedClauses)
    func rejectedClause(_ clause: RejectedClause) {
        let result = orderByOutcome { try OrderByParser.parse(["start_time", clause.text]) }
        guard case .failure(let error) = result else {
            Issue.record("accepted \(clause.text)")
            return
        }
        #expect(error.position == clause.position, "\(error.message)")
        #expect(error.message.contains(clause.message), "\(error.message)")
        #expect(error.input == clause.text)
    }

    @Test("The same field twice is refused, however it is spelled")
    func duplicates() {
        let result = orderByOutcome { try OrderByParser.parse(["start_time DESC", "metrics.a", "  created ASC"]) }
        guard case .failure(let error) = result else {
            Issue.record("accepted a duplicate")
            return
        }
        #expect(error.input == "  created ASC")
        #expect(error.position == 2)
        #expect(error.message == "attribute 'start_time' appears more than once in order_by")

        let sameMetric = orderByOutcome { try OrderByParser.parse(["metrics.a", "metric.`a` DESC"]) }
        #expect(sameMetric.failure?.message == "metric 'a' appears more than once in order_by")

        let commaSeparated = orderByOutcome {
            try OrderByParser.parse(commaSeparated: "tags.t, params.t, tags.`t` DESC")
        }
        #expect(commaSeparated.failure?.position == 18)
        #expect(commaSeparated.failure?.message == "tag 't' appears more than once in order_by")

        // Same key under different entities is not a duplicate.
        #expect((try? OrderByParser.parse(["metrics.x", "params.x", "tags.x"]))?.count == 3)
    }

    @Test("Comma-separated lists report positions in the whole text")
    func commaSeparatedErrors() {
        let cases: [(String, Int, String)] = [
            ("metrics.acc DESC,", 17, "expected a field name"),
            ("metrics.acc DESC,,start_time", 17, "but found ','"),
            (",metrics.acc", 0, "expected a field name"),
            ("metrics.acc DESC start_time", 17, "expected ASC, DESC, ',' or the end of the order_by list"),
            ("start_time, datasets.name", 12, "datasets cannot be used to order runs"),
            ("start_time, params.lr UP", 22, "but found 'UP'"),
        ]
        for (text, position, message) in cases {
            let result = orderByOutcome { try OrderByParser.parse(commaSeparated: text) }
            #expect(result.failure?.position == position, "\(text)")
            #expect(result.failure?.message.contains(message) == true, "\(text): \(result.failure?.message ?? "")")
            #expect(result.failure?.input == text)
        }
    }

    @Test("Over-long order-by input is refused")
    func tooLong() {
        let text = "metrics.`" + String(repeating: "a", count: Limits.maxFilterLength) + "`"
        #expect(orderByOutcome { try OrderByParser.parse([text]) }.failure?.position == Limits.maxFilterLength)
        #expect(
            orderByOutcome { try OrderByParser.parse(commaSeparated: text) }.failure?.position
                == Limits.maxFilterLength)
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
