import LablogCore
import Testing

/// Randomized tests of the experiment grammar with fixed seeds: any failure replays exactly.
@Suite("Experiment filters: fuzzing and round trips")
struct ExperimentFilterFuzzTests {
    static let soupCharacters: [Character] =
        Array("nameexpriment_idcreationlastupdtgsbuTAGSANDORNOTISLIKE_.`'\"()=!<>~,;-+0123456789eE %/:#\\ \t\n")
        + ["\r\n", "é", "e\u{301}", "\u{301}", "日", "🌍", "👩‍👩‍👧", "\u{0}", "\u{FEFF}"]

    static let tokenPool: [String] = [
        "AND", "and", "OR", "NOT", "IN", "NOT IN", "IS", "NULL", "IS NOT NULL", "LIKE", "ILIKE", "(", ")", "'", "\"",
        "`", ",", ";", "=", "!=", "<", ">=", "~", ".", "name", "`name`", "experiment_id", "creation_time",
        "last_update_time", "attribute.", "attribute.name", "attributes.name", "`attribute`", "tags.k", "tag.",
        "tags.`a b`", "`tags`", "metrics.a", "params.p", "status", "'0'", "'v%'", "\"w\"", "'unterminated", "1",
        "-2.5", "1e", ".5", "🌍", "e\u{301}", "\u{0}", " ", "\n",
    ]

    @Test("Random character and token soup never crashes and errors stay in bounds")
    func soup() {
        var rng = SplitMix64(seed: 0xE5EE_0001)
        var failures = 0
        for round in 0..<30_000 where failures < 5 {
            let text =
                round.isMultiple(of: 2)
                ? String((0..<rng.int(0...60)).map { _ in rng.pick(Self.soupCharacters) })
                : (0..<rng.int(0...20)).map { _ in rng.pick(Self.tokenPool) }.joined(
                    separator: rng.chance(0.5) ? " " : "")
            if let problem = brokenInvariant(of: parseOutcome(text, grammar: .experiments), for: text) {
                Issue.record("\(problem) for \(text.debugDescription)")
                failures += 1
            }
        }
    }

    @Test("Mutated valid experiment filters never crash; whatever parses re-parses to the same tree")
    func mutations() {
        var generator = FilterTestGenerator(seed: 0xE5EE_0002, grammar: .experiments)
        var renderer = FilterTestRenderer(seed: 0xE5EE_0003, varied: true)
        var canonical = FilterTestRenderer(seed: 0, varied: false)
        var rng = SplitMix64(seed: 0xE5EE_0004)
        var failures = 0
        var accepted = 0
        for _ in 0..<20_000 where failures < 5 {
            guard var pieces = renderer.render(generator.expression(depth: 3)) else { continue }
            for _ in 0..<rng.int(1...3) {
                mutate(&pieces, pool: Self.tokenPool, soup: Self.soupCharacters, using: &rng)
            }
            let text = pieces.joined()
            let outcome = parseOutcome(text, grammar: .experiments)
            if let problem = brokenInvariant(of: outcome, for: text) {
                Issue.record("\(problem) for \(text.debugDescription)")
                failures += 1
            }
            guard case .parsed(let parsed?) = outcome else { continue }
            accepted += 1
            let again = canonical.render(parsed)?.joined()
            if let again, parseOutcome(again, grammar: .experiments) == .parsed(parsed) { continue }
            Issue.record("\(text.debugDescription) re-rendered as \(again.debugDescription) parses differently")
            failures += 1
        }
        #expect(accepted > 1000)
    }

    @Test("Random experiment trees round-trip through varied and canonical text", arguments: [true, false])
    func roundTrip(varied: Bool) {
        var generator = FilterTestGenerator(seed: varied ? 0xE5EE_0005 : 0xE5EE_0006, grammar: .experiments)
        var renderer = FilterTestRenderer(seed: 0xE5EE_0007, varied: varied)
        var failures = 0
        var checked = 0
        for _ in 0..<5_000 where failures < 5 {
            let expression = generator.expression(depth: 5)
            guard let text = renderer.render(expression)?.joined() else { continue }
            checked += 1
            let outcome = parseOutcome(text, grammar: .experiments)
            if outcome != .parsed(expression) {
                Issue.record("\(text.debugDescription) gave \(outcome), expected \(expression)")
                failures += 1
            }
        }
        #expect(checked == 5_000)
    }

    @Test("Generated experiment filters use every field and operator they may")
    func generatorCoverage() {
        var generator = FilterTestGenerator(seed: 0xE5EE_0008, grammar: .experiments)
        var seen: Set<String> = []
        for _ in 0..<2_000 {
            let comparison = generator.comparison()
            let field =
                switch comparison.field {
                case .tag: "tag"
                case .experimentAttribute(let attribute): attribute.rawValue
                default: "other"
                }
            seen.insert("\(field) \(comparison.op.rawValue)")
        }
        // Tags 8, name 6, experiment_id 4, each time 6: the generator must reach them all, and nothing else.
        #expect(seen.count == 30)
        #expect(!seen.contains { $0.hasPrefix("other") })
    }

    @Test("Deep nesting is refused at the 65th level", arguments: ["(", "NOT ", "not("])
    func deepNesting(_ opener: String) {
        let text = String(repeating: opener, count: 1_000) + "name = 'x'"
        let error = parseOutcome(text, grammar: .experiments).error
        let levelsPerOpener = opener.filter { $0 == "(" }.count + (opener.uppercased().hasPrefix("NOT") ? 1 : 0)
        #expect(error?.position == FilterParser.maxNestingDepth / levelsPerOpener * opener.count)
        #expect(error?.message == "the filter nests parentheses and NOT more than 64 levels deep")
    }

    @Test("Over-long experiment filters are refused at the limit")
    func tooLong() {
        let value = String(repeating: "v", count: Limits.maxFilterLength - 9)
        let atLimit = "name = '" + value + "'"
        #expect(atLimit.count == Limits.maxFilterLength)
        #expect(parseOutcome(atLimit, grammar: .experiments) == .parsed(experiment(.name, .equal, value)))
        let error = parseOutcome(atLimit + " ", grammar: .experiments).error
        #expect(error?.position == Limits.maxFilterLength)
        #expect(error?.message == "the filter is longer than 20000 characters")
    }

    @Test("Hostile experiment filters at the length limit finish quickly", arguments: Self.hostileInputs())
    func hostileInput(_ input: FilterFuzzTests.HostileInput) {
        let clock = ContinuousClock()
        var outcome = FilterOutcome.parsed(nil)
        let elapsed = clock.measure { outcome = parseOutcome(input.text, grammar: .experiments) }
        #expect(brokenInvariant(of: outcome, for: input.text) == nil)
        #expect(elapsed < .seconds(2))
    }

    static func hostileInputs() -> [FilterFuzzTests.HostileInput] {
        let limit = Limits.maxFilterLength
        func repeated(_ unit: String, after prefix: String = "") -> FilterFuzzTests.HostileInput {
            let count = limit - prefix.count
            let text = prefix + String(String(repeating: unit, count: count / unit.count + 1).prefix(count))
            return .init(testDescription: "\(prefix)\(unit.debugDescription)…", text: text)
        }
        let condition = "tags.t ILIKE 'v%'"
        let chainCount = (limit - condition.count) / (condition.count + 4)
        let chain = condition + String(repeating: " OR " + condition, count: chainCount)
        return [
            repeated("("), repeated("NOT "), repeated("name = 'a' AND "), repeated("creation_time > 1 OR "),
            repeated("'0', ", after: "experiment_id IN ("), repeated("a", after: "tags."),
            repeated("a", after: "attribute.`"), repeated("a", after: "name = \""),
            .init(testDescription: "a valid chain of \(chainCount + 1) conditions", text: chain),
        ]
    }
}
