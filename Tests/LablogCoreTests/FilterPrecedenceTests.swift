import LablogCore
import Testing

@Suite("Filter parser: OR, NOT, parentheses and keyword case")
struct FilterPrecedenceTests {
    static let a = metric("a", .greater, 1)
    static let b = param("b", .equal, "x")
    static let c = condition(.tag("c"), .isNull, .none)
    static let d = attribute(.status, .equal, "FINISHED")

    static let precedenceCases: [AcceptedFilter] = [
        .init("metrics.a > 1 OR params.b = 'x' AND tags.c IS NULL", a || (b && c)),
        .init("metrics.a > 1 AND params.b = 'x' OR tags.c IS NULL", (a && b) || c),
        .init("NOT metrics.a > 1 AND params.b = 'x'", !a && b),
        .init("NOT metrics.a > 1 OR params.b = 'x'", !a || b),
        .init("NOT (metrics.a > 1 OR params.b = 'x')", !(a || b)),
        .init("(metrics.a > 1 OR params.b = 'x') AND tags.c IS NULL", (a || b) && c),
        .init("metrics.a > 1 AND (params.b = 'x' OR tags.c IS NULL)", a && (b || c)),
        .init("metrics.a > 1 AND NOT params.b = 'x'", a && !b),
        .init("NOT NOT metrics.a > 1", !(!a)),
        .init("NOT (NOT metrics.a > 1)", !(!a)),
        .init("((metrics.a > 1))", a),
        .init("(((metrics.a > 1)) AND ((params.b = 'x')))", a && b),
        .init("NOT(metrics.a > 1)", !a),
        .init("(metrics.a > 1)AND(params.b = 'x')", a && b),
        // Chains of one operator become balanced trees, the left half taking the extra operand.
        .init("metrics.a > 1 AND params.b = 'x' AND tags.c IS NULL", (a && b) && c),
        .init(
            "metrics.a > 1 AND params.b = 'x' AND tags.c IS NULL AND status = 'FINISHED'", (a && b) && (c && d)),
        .init("metrics.a > 1 OR params.b = 'x' OR tags.c IS NULL", (a || b) || c),
        .init(
            "metrics.a > 1 OR params.b = 'x' AND tags.c IS NULL OR status = 'finished'", (a || (b && c)) || d),
        .init(
            "NOT metrics.a > 1 AND NOT params.b = 'x' OR NOT (tags.c IS NULL OR status = 'finished')",
            (!a && !b) || !(c || d)),
    ]

    @Test("NOT binds tighter than AND, which binds tighter than OR", arguments: precedenceCases)
    func precedence(_ example: AcceptedFilter) throws {
        #expect(try FilterParser.parse(example.text) == example.expected)
    }

    static let keywordCaseCases: [AcceptedFilter] = [
        .init("metrics.a > 1 and params.b = 'x'", a && b),
        .init("metrics.a > 1 aNd params.b = 'x'", a && b),
        .init("metrics.a > 1 or params.b = 'x'", a || b),
        .init("metrics.a > 1 Or params.b = 'x'", a || b),
        .init("not metrics.a > 1", !a),
        .init("nOt metrics.a > 1", !a),
        .init("tags.c is null", c),
        .init("tags.c Is NuLl", c),
        .init("tags.c is not null", condition(.tag("c"), .isNotNull, .none)),
        .init("tags.c IS\tNOT\nNULL", condition(.tag("c"), .isNotNull, .none)),
        .init("tags.c like 'x'", tag("c", .like, "x")),
        .init("tags.c Like 'x'", tag("c", .like, "x")),
        .init("tags.c ilike 'x'", tag("c", .ilike, "x")),
        .init("tags.c iLIKE 'x'", tag("c", .ilike, "x")),
        .init("tags.c in ('x')", condition(.tag("c"), .in, .list(["x"]))),
        .init("tags.c not in ('x')", condition(.tag("c"), .notIn, .list(["x"]))),
        .init("tags.c Not In ('x')", condition(.tag("c"), .notIn, .list(["x"]))),
    ]

    @Test("Keywords are read in any case", arguments: keywordCaseCases)
    func keywordCase(_ example: AcceptedFilter) throws {
        #expect(try FilterParser.parse(example.text) == example.expected)
    }

    @Test("A long chain makes a shallow tree")
    func longChainIsShallow() throws {
        let count = 512
        let text = (0..<count).map { "metrics.m\($0) > \($0)" }.joined(separator: " AND ")
        let parsed = try #require(try FilterParser.parse(text))
        #expect(treeDepth(parsed) == 10)
        var leaves: [FilterExpression] = []
        func collect(_ expression: FilterExpression) {
            if case .and(let lhs, let rhs) = expression {
                collect(lhs)
                collect(rhs)
            } else {
                leaves.append(expression)
            }
        }
        collect(parsed)
        #expect(leaves == (0..<count).map { metric("m\($0)", .greater, Double($0)) })
    }

    @Test("Parentheses and NOT may nest 64 levels deep")
    func nestingAtTheLimit() throws {
        let parenthesized = String(repeating: "(", count: 64) + "metrics.a > 1" + String(repeating: ")", count: 64)
        #expect(try FilterParser.parse(parenthesized) == Self.a)
        let negated = String(repeating: "NOT ", count: 64) + "metrics.a > 1"
        var expected = Self.a
        for _ in 0..<64 { expected = !expected }
        #expect(try FilterParser.parse(negated) == expected)
        let mixed = String(repeating: "NOT (", count: 32) + "metrics.a > 1" + String(repeating: ")", count: 32)
        #expect(try FilterParser.parse(mixed) != nil)
    }
}
