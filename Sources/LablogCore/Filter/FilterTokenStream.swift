/// A lexer with one token of lookahead, shared by the filter and order-by parsers.
struct FilterTokenStream: Sendable {
    private var lexer: FilterLexer
    /// The token under the cursor.
    private(set) var current: FilterToken

    /// Reads the first token of `input`.
    ///
    /// - Throws: ``FilterError`` when the first token is malformed.
    init(_ input: String) throws(FilterError) {
        lexer = FilterLexer(input)
        current = try lexer.next()
    }

    /// The text being parsed.
    var input: String { lexer.input }

    /// Moves to the next token.
    mutating func advance() throws(FilterError) {
        current = try lexer.next()
    }

    /// The character right after the current token, without reading another token.
    var characterAfterCurrent: Character? { lexer.character(at: current.end) }

    /// An error at `position`.
    func error(_ message: String, at position: Int) -> FilterError {
        lexer.error(message, at: position)
    }

    /// An error at the current token: "expected `expectation` but found <the current token>".
    func unexpected(_ expectation: String, hint: String? = nil) -> FilterError {
        let suffix = hint.map { "; \($0)" } ?? ""
        return error("expected \(expectation) but found \(describe(current))\(suffix)", at: current.start)
    }

    /// How a message names `token`: its source text in quotes, or "the end of the filter".
    func describe(_ token: FilterToken) -> String {
        switch token.kind {
        case .end: "the end of the input"
        case .quoted(_, let delimiter) where delimiter != "`": "string \(source(of: token))"
        case .number: "number \(source(of: token))"
        default: "'\(source(of: token))'"
        }
    }

    /// The source text of `token`, shortened and made printable for messages.
    func source(of token: FilterToken) -> String {
        FilterLexer.excerpt(lexer.text(token.start..<token.end))
    }
}
