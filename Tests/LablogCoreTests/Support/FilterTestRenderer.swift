import LablogCore

/// Writes a filter tree back as filter text, as a list of tokens and whitespace pieces.
///
/// In varied mode it picks among the equivalent spellings the language allows (entity aliases, quoting styles,
/// keyword case, whitespace, redundant parentheses, number forms) so a round trip exercises them all; otherwise
/// it writes one canonical spelling.
struct FilterTestRenderer {
    var rng: SplitMix64
    var varied: Bool
    private var pieces: [String] = []

    init(seed: UInt64, varied: Bool) {
        rng = SplitMix64(seed: seed)
        self.varied = varied
    }

    /// The pieces of `expression`'s text, or nil when a name or string cannot be quoted at all.
    mutating func render(_ expression: FilterExpression) -> [String]? {
        pieces = []
        space(minimum: 0)
        guard operand(expression, parenthesize: false) else { return nil }
        space(minimum: 0)
        return pieces
    }

    private mutating func emit(_ expression: FilterExpression) -> Bool {
        switch expression {
        case .comparison(let comparison):
            return emit(comparison)
        case .not(let inner):
            keyword("NOT")
            space(minimum: 1)
            return operand(inner, parenthesize: inner.isBinary)
        case .and(let lhs, let rhs):
            // Both sides of AND need parentheses if binary: an OR would bind looser, an AND would be flattened.
            return binary("AND", lhs, lhs.isBinary, rhs, rhs.isBinary)
        case .or(let lhs, let rhs):
            return binary("OR", lhs, lhs.isOr, rhs, rhs.isOr)
        }
    }

    private mutating func binary(
        _ word: String, _ lhs: FilterExpression, _ wrapLeft: Bool, _ rhs: FilterExpression, _ wrapRight: Bool
    ) -> Bool {
        guard operand(lhs, parenthesize: wrapLeft) else { return false }
        space(minimum: 1)
        keyword(word)
        space(minimum: 1)
        return operand(rhs, parenthesize: wrapRight)
    }

    private mutating func operand(_ expression: FilterExpression, parenthesize: Bool) -> Bool {
        guard parenthesize || (varied && rng.chance(0.1)) else { return emit(expression) }
        pieces.append("(")
        space(minimum: 0)
        guard emit(expression) else { return false }
        space(minimum: 0)
        pieces.append(")")
        return true
    }

    private mutating func emit(_ comparison: Comparison) -> Bool {
        guard let field = fieldText(comparison.field) else { return false }
        pieces.append(field)
        switch comparison.op {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            space(minimum: 0, canonical: " ")
            pieces.append(comparison.op.rawValue)
            space(minimum: 0, canonical: " ")
        default:
            for word in comparison.op.rawValue.split(separator: " ") {
                space(minimum: 1)
                keyword(String(word))
            }
            space(minimum: 1)
        }
        let status = comparison.field == .attribute(.status)
        switch comparison.value {
        case .none:
            return true
        case .number(let number):
            pieces.append(numberText(number))
        case .string(let text):
            guard let quoted = stringText(text, status: status) else { return false }
            pieces.append(quoted)
        case .list(let items):
            pieces.append("(")
            for (index, item) in items.enumerated() {
                space(minimum: 0)
                if index > 0 {
                    pieces.append(",")
                    space(minimum: 0)
                }
                guard let quoted = stringText(item, status: status) else { return false }
                pieces.append(quoted)
            }
            space(minimum: 0)
            pieces.append(")")
        }
        return true
    }

    private mutating func fieldText(_ field: FilterField) -> String? {
        switch field {
        case .metric(let key): entityText(["metrics", "metric"], key)
        case .param(let key): entityText(["params", "param", "parameter", "parameters"], key)
        case .tag(let key): entityText(["tags", "tag"], key)
        case .dataset(let key): entityText(["datasets", "dataset"], key)
        case .attribute(let attribute): attributeText(attribute)
        case .experimentAttribute(let attribute): experimentAttributeText(attribute)
        }
    }

    /// An experiment attribute, bare or after `attribute.` (never `attributes.`, which experiments refuse),
    /// either part sometimes quoted.
    private mutating func experimentAttributeText(_ attribute: ExperimentAttribute) -> String? {
        let name = attribute.rawValue
        guard varied else { return name }
        let text = rng.chance(0.3) ? nameText(name) : name
        guard let text, rng.chance(0.5) else { return text }
        let prefix = rng.chance(0.3) ? nameText("attribute") : "attribute"
        return prefix.map { $0 + "." + text }
    }

    private mutating func entityText(_ aliases: [String], _ key: String) -> String? {
        let entity = varied ? rng.pick(aliases) : aliases[0]
        let style = varied ? rng.int(0...2) : 0
        if style == 2 {
            // A quoted entity, then the key bare when it reads as a word, else quoted.
            guard let quotedEntity = nameText(entity) else { return nil }
            if Self.isWord(key), rng.chance(0.5) { return quotedEntity + "." + key }
            return nameText(key).map { quotedEntity + "." + $0 }
        }
        if style == 0, !key.isEmpty, key.allSatisfy(Self.continuesWord) { return entity + "." + key }
        return nameText(key).map { entity + "." + $0 }
    }

    private mutating func attributeText(_ attribute: RunAttribute) -> String? {
        var name = attribute.rawValue
        if varied, rng.chance(0.3) {
            switch attribute {
            case .startTime: name = rng.pick(["created", "Created"])
            case .runName: name = rng.pick(["run name", "Run name", "Run Name"])
            default: break
            }
        }
        let bare = Self.isWord(name)
        let text = bare && !(varied && rng.chance(0.3)) ? name : nameText(name)
        guard let text else { return nil }
        guard varied, rng.chance(0.5) else { return text }
        let prefix = rng.pick(["attributes", "attribute", "attr", "run"])
        if rng.chance(0.3), let quotedPrefix = nameText(prefix) {
            return quotedPrefix + "." + (bare ? name : text)
        }
        return prefix + "." + text
    }

    /// A name quoted with backticks or, when it holds a backtick, double quotes.
    private mutating func nameText(_ name: String) -> String? {
        let backtick = !name.contains("`")
        let doubleQuote = !name.contains("\"")
        if backtick, doubleQuote { return varied && rng.chance(0.5) ? "\"\(name)\"" : "`\(name)`" }
        if backtick { return "`\(name)`" }
        if doubleQuote { return "\"\(name)\"" }
        return nil
    }

    private mutating func stringText(_ text: String, status: Bool) -> String? {
        var shown = text
        if status, varied, text.allSatisfy(\.isASCII), rng.chance(0.5) { shown = text.lowercased() }
        let single = !shown.contains("'")
        let double = !shown.contains("\"")
        if single, double { return varied && rng.chance(0.5) ? "\"\(shown)\"" : "'\(shown)'" }
        if single { return "'\(shown)'" }
        if double { return "\"\(shown)\"" }
        return nil
    }

    private mutating func numberText(_ number: Double) -> String {
        if number.isInfinite { return number < 0 ? "-1e999" : "1e999" }
        guard varied else { return "\(number)" }
        if number == number.rounded(), abs(number) < 1e15, rng.chance(0.5) { return "\(Int64(number))" }
        var text = "\(number)"
        if rng.chance(0.3) { text = text.uppercased() }
        if number > 0, rng.chance(0.2) { text = "+" + text }
        return text
    }

    private mutating func keyword(_ word: String) {
        guard varied else { return pieces.append(word) }
        pieces.append(String(word.map { rng.chance(0.5) ? Character($0.lowercased()) : $0 }))
    }

    private mutating func space(minimum: Int, canonical: String? = nil) {
        guard varied else {
            let text = canonical ?? (minimum > 0 ? " " : "")
            if !text.isEmpty { pieces.append(text) }
            return
        }
        let count = rng.int(minimum...minimum + 2)
        for _ in 0..<count { pieces.append(rng.pick([" ", " ", "\t", "\n", "\r\n"])) }
    }

    /// Whether `text` would be read as one bare word: a letter or `_`, then word characters.
    static func isWord(_ text: String) -> Bool {
        guard let first = text.first, first.isLetter || first == "_" else { return false }
        return text.allSatisfy(continuesWord)
    }

    static func continuesWord(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || "_.-/:".contains(character)
    }
}

extension FilterExpression {
    var isBinary: Bool {
        switch self {
        case .and, .or: true
        case .comparison, .not: false
        }
    }

    var isOr: Bool {
        if case .or = self { return true }
        return false
    }
}
