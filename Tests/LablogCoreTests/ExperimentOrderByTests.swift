import LablogCore
import Testing

@Suite("Experiment order-by")
struct ExperimentOrderByTests {
    struct Clause: Sendable, CustomTestStringConvertible {
        var text: String
        var key: OrderKey
        var testDescription: String { text }

        init(_ text: String, _ attribute: ExperimentAttribute, ascending: Bool) {
            self.text = text
            key = OrderKey(field: .experimentAttribute(attribute), ascending: ascending)
        }
    }

    static let clauses: [Clause] = [
        .init("name", .name, ascending: true),
        .init("name DESC", .name, ascending: false),
        .init("attribute.name desc", .name, ascending: false),
        .init("experiment_id ASC", .experimentID, ascending: true),
        .init("attribute.experiment_id", .experimentID, ascending: true),
        .init("creation_time DESC", .creationTime, ascending: false),
        .init("last_update_time", .lastUpdateTime, ascending: true),
        .init("`attribute`.`creation_time` DeSc", .creationTime, ascending: false),
        .init("\"last_update_time\" asc", .lastUpdateTime, ascending: true),
        .init("`name`", .name, ascending: true),
        .init("  name\tDESC\n", .name, ascending: false),
    ]

    @Test("One clause: attribute and optional direction", arguments: clauses)
    func clause(_ clause: Clause) throws {
        #expect(try OrderByParser.parseExperimentOrderBy([clause.text]) == [clause.key])
    }

    @Test("Several clauses keep their order; none give no keys")
    func severalClauses() throws {
        let expected = [
            OrderKey(field: .experimentAttribute(.lastUpdateTime), ascending: false),
            OrderKey(field: .experimentAttribute(.name), ascending: true),
            OrderKey(field: .experimentAttribute(.experimentID), ascending: false),
        ]
        let clauses = ["last_update_time DESC", "name", "attribute.experiment_id desc"]
        #expect(try OrderByParser.parseExperimentOrderBy(clauses) == expected)
        #expect(try OrderByParser.parseExperimentOrderBy([]) == [])
    }

    struct RejectedClause: Sendable, CustomTestStringConvertible {
        var text: String
        var position: Int
        var message: String
        var testDescription: String { text }

        init(_ text: String, _ position: Int, _ message: String) {
            self.text = text
            self.position = position
            self.message = message
        }
    }

    static let ordered = "name, experiment_id, creation_time or last_update_time"

    static let rejectedClauses: [RejectedClause] = [
        .init("tags.team", 0, "invalid order_by entity: tag; experiments can be ordered only by \(ordered)"),
        .init("tag.team DESC", 0, "invalid order_by entity: tag"),
        .init("  `tags`.`a b`", 2, "invalid order_by entity: tag"),
        // The entity is refused before the malformed key after it is read.
        .init("tags. x", 0, "invalid order_by entity: tag"),
        .init(
            "attributes.name", 0,
            "invalid entity type 'attributes' for experiments; experiments are ordered by \(ordered), bare or "
                + "after attribute.; write attribute.<name> (singular) or the bare name"),
        .init("metrics.acc DESC", 0, "invalid entity type 'metrics' for experiments; experiments are ordered by"),
        .init(
            "start_time", 0,
            "invalid attribute 'start_time' for experiments; valid attributes are name, experiment_id, "
                + "creation_time, last_update_time"),
        .init("attribute.status", 10, "invalid attribute 'status' for experiments"),
        .init("name UP", 5, "expected ASC, DESC or the end of the order_by clause but found 'UP'"),
        .init("name, creation_time", 4, "but found ','"),
        .init("", 0, "an order_by clause must name a field"),
        .init(
            "(name)", 0,
            "expected a field name (for example name, creation_time or last_update_time) but found '('"),
        .init("'name'", 0, "single quotes make a string"),
        .init("DESC", 0, "invalid attribute 'DESC' for experiments"),
    ]

    @Test("Refused clauses point at the offending token", arguments: rejectedClauses)
    func rejectedClause(_ clause: RejectedClause) {
        let result = orderByOutcome { try OrderByParser.parseExperimentOrderBy(["creation_time", clause.text]) }
        guard case .failure(let error) = result else {
            Issue.record("accepted \(clause.text)")
            return
        }
        #expect(error.position == clause.position, "\(error.message)")
        #expect(error.message.contains(clause.message), "\(error.message)")
        #expect(error.input == clause.text)
    }

    @Test("The exact message for ordering by a tag")
    func tagMessage() {
        let result = orderByOutcome { try OrderByParser.parseExperimentOrderBy(["tags.k"]) }
        #expect(
            result.failure?.message
                == "invalid order_by entity: tag; experiments can be ordered only by name, experiment_id, "
                + "creation_time or last_update_time")
    }

    @Test("The same attribute twice is refused, however it is spelled")
    func duplicates() {
        let result = orderByOutcome {
            try OrderByParser.parseExperimentOrderBy(["name DESC", "creation_time", " attribute.`name` ASC"])
        }
        #expect(result.failure?.input == " attribute.`name` ASC")
        #expect(result.failure?.position == 1)
        #expect(result.failure?.message == "attribute 'name' appears more than once in order_by")

        let times = orderByOutcome { try OrderByParser.parseExperimentOrderBy(["creation_time", "`creation_time`"]) }
        #expect(times.failure?.message == "attribute 'creation_time' appears more than once in order_by")
    }

    @Test("The run order-by keeps refusing experiment-only attributes")
    func runGrammarUnchanged() {
        let result = orderByOutcome { try OrderByParser.parse(["experiment_id"]) }
        #expect(result.failure?.message == "attribute 'experiment_id' is not orderable")
        #expect(orderByOutcome { try OrderByParser.parse(["name"]) }.failure?.position == 0)
    }

    @Test("Over-long clauses are refused at the limit")
    func tooLong() {
        let text = "`" + String(repeating: "a", count: Limits.maxFilterLength) + "`"
        let error = orderByOutcome { try OrderByParser.parseExperimentOrderBy([text]) }.failure
        #expect(error?.position == Limits.maxFilterLength)
        #expect(error?.message == "the order_by clause is longer than 20000 characters")
    }
}
