/// Which records a filter or order-by selects; each kind has its own fields and entity prefixes.
enum FilterSubject: Sendable {
    case runs, experiments

    /// A condition to show in messages.
    var conditionExample: String {
        switch self {
        case .runs: "metrics.acc > 0.9"
        case .experiments: "name LIKE 'vision%'"
        }
    }

    /// Field names to show in messages about a field read for `use`.
    func fieldExamples(for use: FieldUse) -> String {
        switch (self, use) {
        case (.runs, _): "metrics.acc, params.lr, tags.team or status"
        case (.experiments, .filter): "name, creation_time or tags.team"
        // Experiments cannot be ordered by tags.
        case (.experiments, .orderBy): "name, creation_time or last_update_time"
        }
    }

    /// A quoted key to show in messages.
    var quotedKeyExample: String {
        switch self {
        case .runs: "metrics.`my metric`"
        case .experiments: "tags.`my tag`"
        }
    }
}

/// Where a field name is being read; the two places accept slightly different fields.
enum FieldUse: Sendable {
    case filter, orderBy
}

/// A field read from the input, with the span of its name.
struct ParsedField: Sendable {
    var field: FilterField
    var start: Int
    var end: Int
}

/// The kinds of thing an entity prefix names.
enum FieldEntity: Sendable {
    case metric, param, tag, attribute, dataset
}

extension FilterTokenStream {
    /// Words that can never start a field name.
    static let reservedWords = ["AND", "OR", "NOT", "IN", "LIKE", "ILIKE", "IS", "NULL"]

    /// Reads a field name: `<entity>.<key>` split at the first dot, or a bare attribute, each part optionally
    /// quoted with backticks or double quotes (`` `metrics`.`my metric` ``, `tags."a b"`, `` `run name` ``).
    ///
    /// Each part is checked before the token after it is read, so the error reported is the first in reading
    /// order.
    ///
    /// - Parameters:
    ///   - use: whether the field is filtered on or ordered by.
    ///   - subject: the records whose fields are named.
    mutating func parseField(for use: FieldUse, of subject: FilterSubject) throws(FilterError) -> ParsedField {
        let first = current
        if case .word(let word) = first.kind {
            if let keyword = Self.reservedWords.first(where: first.isKeyword) {
                throw error("expected a field name but found the keyword \(keyword)", at: first.start)
            }
            guard let dot = word.firstIndex(of: ".") else {
                let field = try resolveBare(word, at: first.start, for: use, of: subject)
                try advance()
                return ParsedField(field: field, start: first.start, end: first.end)
            }
            let entityName = String(word[..<dot])
            let entity = try resolveEntity(entityName, at: first.start, for: use, of: subject)
            let key = String(word[word.index(after: dot)...])
            guard key.isEmpty else {
                let keyStart = min(first.start + entityName.count + 1, first.end)
                let field = try resolve(entity, named: entityName, key: key, at: keyStart, for: use, of: subject)
                try advance()
                return ParsedField(field: field, start: first.start, end: first.end)
            }
            // `metrics.` directly followed by a quoted key.
            try advance()
            guard let quotedKey = current.quotedName, current.start == first.end else {
                throw unexpected("a key right after '\(FilterLexer.excerpt(word))'", hint: keyHint(subject))
            }
            let keyToken = current
            let field = try resolve(
                entity, named: entityName, key: quotedKey, at: keyToken.start, for: use, of: subject)
            try advance()
            return ParsedField(field: field, start: first.start, end: keyToken.end)
        }
        if let name = first.quotedName {
            guard characterAfterCurrent == "." else {
                let field = try resolveBare(name, at: first.start, for: use, of: subject)
                try advance()
                return ParsedField(field: field, start: first.start, end: first.end)
            }
            let entity = try resolveEntity(name, at: first.start, for: use, of: subject)
            try advance()
            // A dot followed by a digit reads as a number such as `.5`: such a key must be quoted.
            guard current.kind == .dot else {
                throw unexpected("a key right after '\(FilterLexer.excerpt(name)).'", hint: keyHint(subject))
            }
            let dotEnd = current.end
            try advance()
            let keyToken = current
            let key: String
            switch keyToken.kind {
            case .word(let word) where keyToken.start == dotEnd: key = word
            case .quoted(let text, let delimiter) where delimiter != "'" && keyToken.start == dotEnd: key = text
            default: throw unexpected("a key right after '\(FilterLexer.excerpt(name)).'", hint: keyHint(subject))
            }
            let field = try resolve(entity, named: name, key: key, at: keyToken.start, for: use, of: subject)
            try advance()
            return ParsedField(field: field, start: first.start, end: keyToken.end)
        }
        if case .quoted = first.kind {
            throw unexpected(
                "a field name", hint: "single quotes make a string; quote names with backticks (`) or double quotes")
        }
        throw unexpected("a field name (for example \(subject.fieldExamples(for: use)))")
    }

    private func keyHint(_ subject: FilterSubject) -> String {
        "quote keys with special characters using backticks, as in \(subject.quotedKeyExample)"
    }

    /// Maps a bare name, or a name after an attribute prefix, to the attribute of `subject` it names.
    private func resolveBare(
        _ name: String, at position: Int, for use: FieldUse, of subject: FilterSubject
    ) throws(FilterError) -> FilterField {
        switch subject {
        case .runs: .attribute(try resolveRunAttribute(name, at: position, for: use))
        case .experiments: .experimentAttribute(try resolveExperimentAttribute(name, at: position, for: use))
        }
    }

    /// Maps an entity prefix or one of its aliases to the entity.
    private func resolveEntity(
        _ name: String, at position: Int, for use: FieldUse, of subject: FilterSubject
    ) throws(FilterError) -> FieldEntity {
        switch subject {
        case .runs: try resolveRunEntity(name, at: position, for: use)
        case .experiments: try resolveExperimentEntity(name, at: position, for: use)
        }
    }

    /// Maps a run entity prefix or one of its aliases to the entity.
    private func resolveRunEntity(
        _ name: String, at position: Int, for use: FieldUse
    ) throws(FilterError) -> FieldEntity {
        switch name {
        case "metric", "metrics": return .metric
        case "param", "params", "parameter", "parameters": return .param
        case "tag", "tags": return .tag
        case "attribute", "attributes", "attr", "run": return .attribute
        case "dataset", "datasets":
            guard use == .filter else { throw error("datasets cannot be used to order runs", at: position) }
            return .dataset
        default:
            let datasets = use == .filter ? ", dataset(s)" : ""
            throw error(
                "invalid entity type '\(FilterLexer.excerpt(name))'; valid values are metric(s), param(s), "
                    + "tag(s), attribute(s)\(datasets)",
                at: position)
        }
    }

    /// The field `key` names within `entity`.
    private func resolve(
        _ entity: FieldEntity, named entityName: String, key: String, at keyStart: Int, for use: FieldUse,
        of subject: FilterSubject
    ) throws(FilterError) -> FilterField {
        if entity == .attribute { return try resolveBare(key, at: keyStart, for: use, of: subject) }
        guard !key.isEmpty else {
            throw error("the key after '\(FilterLexer.excerpt(entityName)).' must not be empty", at: keyStart)
        }
        switch entity {
        case .metric: return .metric(key)
        case .param: return .param(key)
        case .tag: return .tag(key)
        case .attribute: return try resolveBare(key, at: keyStart, for: use, of: subject)
        case .dataset:
            guard ["name", "digest", "context"].contains(key) else {
                throw error(
                    "invalid dataset key '\(FilterLexer.excerpt(key))'; valid keys are name, digest, context",
                    at: keyStart)
            }
            return .dataset(key)
        }
    }

    /// Maps a run attribute name, or one of MLflow's aliases for it, to the attribute.
    private func resolveRunAttribute(
        _ name: String, at position: Int, for use: FieldUse
    ) throws(FilterError) -> RunAttribute {
        if let attribute = RunAttribute(rawValue: name) { return attribute }
        switch name {
        case "created", "Created": return .startTime
        case "run name", "Run name", "Run Name": return .runName
        case "lifecycle_stage", "experiment_id":
            let verb = use == .filter ? "searchable" : "orderable"
            throw error("attribute '\(name)' is not \(verb)", at: position)
        default:
            let valid = RunAttribute.allCases.map(\.rawValue).joined(separator: ", ")
            let shown = FilterLexer.excerpt(name)
            throw error(
                "invalid attribute '\(shown)'; valid attributes are \(valid) (name other fields as "
                    + "metrics.\(shown), params.\(shown) or tags.\(shown))",
                at: position)
        }
    }
}

extension FilterField {
    /// How messages name the field, for example "metric 'acc'".
    var messageName: String {
        switch self {
        case .metric(let key): "metric '\(FilterLexer.excerpt(key))'"
        case .param(let key): "param '\(FilterLexer.excerpt(key))'"
        case .tag(let key): "tag '\(FilterLexer.excerpt(key))'"
        case .attribute(let attribute): "attribute '\(attribute.rawValue)'"
        case .dataset(let key): "dataset field '\(key)'"
        case .experimentAttribute(let attribute): "attribute '\(attribute.rawValue)'"
        }
    }
}
