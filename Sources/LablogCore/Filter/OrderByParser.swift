/// Parses MLflow-style order-by clauses, `<field> [ASC|DESC]`, into ``OrderKey``s.
///
/// Fields are named as in filters (`metrics.acc`, ``params.`my param` ``, `tags.team`, `start_time`,
/// `created`); datasets cannot be ordered by. The direction is `ASC` or `DESC` in any case, `ASC` when
/// omitted. Naming the same field twice is an error.
public enum OrderByParser {
    /// Parses a list of clauses, one field each.
    ///
    /// - Parameter clauses: clauses such as `"metrics.acc DESC"`; each at most ``Limits/maxFilterLength``
    ///   characters.
    /// - Returns: the keys in order; empty for an empty list.
    /// - Throws: ``LablogError/invalidFilter(_:)`` whose input is the offending clause and whose position is an
    ///   offset within it.
    public static func parse(_ clauses: [String]) throws -> [OrderKey] {
        try parse(clauses, of: .runs)
    }

    /// Parses a list of clauses naming fields of `subject`, one field each.
    static func parse(_ clauses: [String], of subject: FilterSubject) throws -> [OrderKey] {
        var keys: [OrderKey] = []
        var seen: Set<FilterField> = []
        for clause in clauses {
            do throws(FilterError) {
                try FilterParser.checkLength(of: clause, what: "order_by clause")
                var tokens = try FilterTokenStream(clause)
                if tokens.current.kind == .end {
                    throw tokens.error("an order_by clause must name a field", at: 0)
                }
                let (key, start) = try tokens.parseOrderKey(of: subject, allowingComma: false)
                try tokens.checkNew(key, at: start, seen: &seen)
                keys.append(key)
            } catch {
                throw LablogError.invalidFilter(error)
            }
        }
        return keys
    }

    /// Parses comma-separated clauses in one string, as in `"metrics.acc DESC, start_time"`.
    ///
    /// - Parameter text: the clauses; at most ``Limits/maxFilterLength`` characters.
    /// - Returns: the keys in order; empty when `text` is empty or only whitespace.
    /// - Throws: ``LablogError/invalidFilter(_:)`` with the position in `text` of the offending token.
    public static func parse(commaSeparated text: String) throws -> [OrderKey] {
        do throws(FilterError) {
            try FilterParser.checkLength(of: text, what: "order_by list")
            var tokens = try FilterTokenStream(text)
            var keys: [OrderKey] = []
            var seen: Set<FilterField> = []
            if tokens.current.kind == .end { return keys }
            while true {
                let (key, start) = try tokens.parseOrderKey(of: .runs, allowingComma: true)
                try tokens.checkNew(key, at: start, seen: &seen)
                keys.append(key)
                guard tokens.current.kind == .comma else { return keys }
                try tokens.advance()
            }
        } catch {
            throw LablogError.invalidFilter(error)
        }
    }
}

extension FilterTokenStream {
    /// Reads `<field> [ASC|DESC]` and checks what follows: the end, or with `allowingComma` also a comma.
    fileprivate mutating func parseOrderKey(
        of subject: FilterSubject, allowingComma: Bool
    ) throws(FilterError) -> (OrderKey, start: Int) {
        let field = try parseField(for: .orderBy, of: subject)
        var ascending = true
        if current.isKeyword("ASC") || current.isKeyword("DESC") {
            ascending = current.isKeyword("ASC")
            try advance()
        }
        switch current.kind {
        case .end: break
        case .comma where allowingComma: break
        default:
            throw unexpected(
                allowingComma
                    ? "ASC, DESC, ',' or the end of the order_by list" : "ASC, DESC or the end of the order_by clause")
        }
        return (OrderKey(field: field.field, ascending: ascending), field.start)
    }

    /// Refuses a field that an earlier clause already orders by.
    fileprivate func checkNew(_ key: OrderKey, at position: Int, seen: inout Set<FilterField>) throws(FilterError) {
        guard seen.insert(key.field).inserted else {
            throw error("\(key.field.messageName) appears more than once in order_by", at: position)
        }
    }
}
