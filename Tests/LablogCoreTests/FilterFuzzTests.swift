import LablogCore
import Testing

/// Randomized tests with fixed seeds: any failure replays exactly.
@Suite("Filter parser: fuzzing and round trips")
struct FilterFuzzTests {
    /// Characters the soup is made of: filter punctuation, keyword letters, whitespace, and text that stresses
    /// character counting (combining marks, emoji sequences, CR LF, NUL).
    static let soupCharacters: [Character] =
        Array("metricsparamtgsbuwdxyzANDORNOTISLIKE_.`'\"()=!<>~,;-+0123456789eE %/:#*&|\\ \t\n")
        + ["\r\n", "é", "e\u{301}", "\u{301}", "日", "🌍", "👩‍👩‍👧", "🇯🇵", "\u{0}", "\u{200D}", "\u{FEFF}"]

    /// Tokens the token soup and the mutations draw from.
    static let tokenPool: [String] = [
        "AND", "and", "OR", "NOT", "not", "IN", "NOT IN", "IS", "NULL", "IS NOT NULL", "LIKE", "ILIKE", "(", ")",
        "((", "'", "\"", "`", ",", ";", "=", "!=", "<", "<=", ">", ">=", "==", "~", "<>", "metrics.a", "metric.",
        "params.x", "tags.`t t`", "`metrics`", ".", "..", "attributes.status", "status", "created", "`run name`",
        "datasets.name", "datasets.foo", "lifecycle_stage", "foo.bar", "'v'", "\"w\"", "'unterminated", "1", "-2.5",
        "1e", "1.2.3", "-", ".5", "1e-3", "🌍", "e\u{301}", "\u{0}", " ", "\t", "\n",
    ]

    @Test("Random character soup never crashes and errors stay in bounds")
    func characterSoup() {
        var rng = SplitMix64(seed: 0x5EED_0001)
        var failures = 0
        for _ in 0..<20_000 where failures < 5 {
            let text = String((0..<rng.int(0...60)).map { _ in rng.pick(Self.soupCharacters) })
            if let problem = brokenInvariant(of: parseOutcome(text), for: text) {
                Issue.record("\(problem) for \(text.debugDescription)")
                failures += 1
            }
        }
    }

    @Test("Random token soup never crashes and errors stay in bounds")
    func tokenSoup() {
        var rng = SplitMix64(seed: 0x5EED_0002)
        var failures = 0
        for _ in 0..<20_000 where failures < 5 {
            let text = (0..<rng.int(0...20)).map { _ in rng.pick(Self.tokenPool) }
                .joined(separator: rng.chance(0.5) ? " " : "")
            if let problem = brokenInvariant(of: parseOutcome(text), for: text) {
                Issue.record("\(problem) for \(text.debugDescription)")
                failures += 1
            }
        }
    }

    @Test("Mutated valid filters never crash; whatever parses re-parses to the same tree")
    func mutations() {
        var generator = FilterTestGenerator(seed: 0x5EED_0003)
        var renderer = FilterTestRenderer(seed: 0x5EED_0004, varied: true)
        var canonical = FilterTestRenderer(seed: 0, varied: false)
        var rng = SplitMix64(seed: 0x5EED_0005)
        var failures = 0
        var accepted = 0
        for _ in 0..<20_000 where failures < 5 {
            guard var pieces = renderer.render(generator.expression(depth: 3)) else { continue }
            for _ in 0..<rng.int(1...3) {
                mutate(&pieces, pool: Self.tokenPool, soup: Self.soupCharacters, using: &rng)
            }
            let text = pieces.joined()
            let outcome = parseOutcome(text)
            if let problem = brokenInvariant(of: outcome, for: text) {
                Issue.record("\(problem) for \(text.debugDescription)")
                failures += 1
            }
            // Whatever a mutation leaves parseable must survive a canonical re-rendering.
            guard case .parsed(let parsed?) = outcome else { continue }
            accepted += 1
            guard let again = canonical.render(parsed)?.joined() else {
                Issue.record("cannot render \(parsed) parsed from \(text.debugDescription)")
                failures += 1
                continue
            }
            if parseOutcome(again) != .parsed(parsed) {
                Issue.record("\(text.debugDescription) re-rendered as \(again.debugDescription) parses differently")
                failures += 1
            }
        }
        // Mutations must leave a fair share parseable, or the re-parse property above tests nothing.
        #expect(accepted > 1000)
    }

    @Test("Random valid trees round-trip through text")
    func roundTrip() {
        var generator = FilterTestGenerator(seed: 0x5EED_0006)
        var renderer = FilterTestRenderer(seed: 0x5EED_0007, varied: true)
        var failures = 0
        var checked = 0
        for _ in 0..<10_000 where failures < 5 {
            let expression = generator.expression(depth: 5)
            guard let text = renderer.render(expression)?.joined() else { continue }
            checked += 1
            let outcome = parseOutcome(text)
            if outcome != .parsed(expression) {
                Issue.record("\(text.debugDescription) gave \(outcome), expected \(expression)")
                failures += 1
            }
        }
        #expect(checked == 10_000)
    }

    @Test("Canonical rendering of random trees round-trips")
    func canonicalRoundTrip() throws {
        var generator = FilterTestGenerator(seed: 0x5EED_0008)
        var renderer = FilterTestRenderer(seed: 0, varied: false)
        for _ in 0..<2_000 {
            let expression = generator.expression(depth: 4)
            let pieces = renderer.render(expression)
            let text = try #require(pieces).joined()
            #expect(parseOutcome(text) == .parsed(expression), "\(text)")
        }
    }

    @Test("10,000 open parentheses are refused, not a stack overflow")
    func deepParentheses() {
        let text = String(repeating: "(", count: 10_000)
        let error = parseOutcome(text).error
        #expect(error?.position == FilterParser.maxNestingDepth)
        #expect(error?.message == "the filter nests parentheses and NOT more than 64 levels deep")
    }

    @Test("Deep nesting of every kind is refused at the 65th level", arguments: ["(", "NOT ", "not(", "NOT ("])
    func deepNesting(_ opener: String) {
        let text = String(repeating: opener, count: 1_000) + "metrics.a > 1"
        let error = parseOutcome(text).error
        let levelsPerOpener = opener.filter { $0 == "(" }.count + (opener.uppercased().hasPrefix("NOT") ? 1 : 0)
        // The opener that would start level 65 is the first refused.
        let expected = FilterParser.maxNestingDepth / levelsPerOpener * opener.count
        #expect(error?.position == expected, "\(error?.message ?? "parsed")")
        #expect(error?.message.contains("64 levels") == true)
    }

    @Test("Over-long filters are refused at the limit")
    func tooLong() {
        let atLimit = "params.p = '" + String(repeating: "v", count: Limits.maxFilterLength - 13) + "'"
        #expect(atLimit.count == Limits.maxFilterLength)
        let value = String(repeating: "v", count: Limits.maxFilterLength - 13)
        #expect(parseOutcome(atLimit) == .parsed(param("p", .equal, value)))
        let overLimit = atLimit + " "
        let error = parseOutcome(overLimit).error
        #expect(error?.position == Limits.maxFilterLength)
        #expect(error?.message == "the filter is longer than 20000 characters")
        // Multi-byte characters count once.
        let wide = "params.p = '" + String(repeating: "日", count: Limits.maxFilterLength - 13) + "'"
        #expect(parseOutcome(wide).error == nil)
    }

    struct HostileInput: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var text: String
    }

    @Test("Hostile inputs at the length limit finish quickly", arguments: Self.hostileInputs())
    func hostileInput(_ input: HostileInput) {
        let clock = ContinuousClock()
        var outcome = FilterOutcome.parsed(nil)
        let elapsed = clock.measure { outcome = parseOutcome(input.text) }
        #expect(brokenInvariant(of: outcome, for: input.text) == nil)
        // Linear work on 20,000 characters takes milliseconds even unoptimised; quadratic work would not.
        #expect(elapsed < .seconds(2))
    }

    static func hostileInputs() -> [HostileInput] {
        let limit = Limits.maxFilterLength
        func repeated(_ unit: String, after prefix: String = "") -> HostileInput {
            let count = limit - prefix.count
            let text = prefix + String(String(repeating: unit, count: count / unit.count + 1).prefix(count))
            return HostileInput(testDescription: "\(prefix)\(unit.debugDescription)…", text: text)
        }
        let condition = "metrics.a > 1"
        let chainCount = (limit - condition.count) / (condition.count + 5)
        let chain = condition + String(repeating: " AND " + condition, count: chainCount)
        return [
            repeated("("), repeated(")"), repeated("NOT "), repeated("'"), repeated("a", after: "'"),
            repeated("a", after: "`"), repeated("a"), repeated("1"), repeated("metrics.a > 1 AND "),
            repeated("metrics.a > 1 OR "), repeated("'x', ", after: "params.a IN ("), repeated("=<"),
            repeated(" "), repeated("e\u{301}"), repeated("."), repeated("-"), repeated("a", after: "metrics."),
            HostileInput(testDescription: "a valid chain of \(chainCount + 1) conditions", text: chain),
        ]
    }
}
