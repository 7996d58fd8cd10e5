/// One lexical unit of a filter or order-by string, with its place in the input.
struct FilterToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// A bare name or keyword: a letter or `_`, then letters, digits and `_ . - / :`.
        case word(String)
        /// Text between two equal delimiters: `'` or `"` (strings, and names for `"`) or a backtick (names).
        case quoted(String, delimiter: Character)
        case number(Double)
        /// A run of comparison characters (`=`, `!`, `<`, `>`, `~`), valid or not.
        case symbol(String)
        case leftParen, rightParen, comma, dot, semicolon
        case end
    }

    var kind: Kind
    /// Offset of the first character, in characters from the start of the input.
    var start: Int
    /// Offset just past the last character.
    var end: Int

    /// Whether the token is the given keyword, compared without regard to ASCII case.
    ///
    /// - Parameter keyword: the keyword in upper case.
    func isKeyword(_ keyword: String) -> Bool {
        guard case .word(let word) = kind else { return false }
        // ASCII-only folding: `uppercased()` would turn the dotless `ı` into `I` and make "ılıke" a keyword.
        return word.utf8.elementsEqual(keyword.utf8) { character, upper in
            character == upper || (character >= 0x61 && character <= 0x7A && character - 0x20 == upper)
        }
    }

    /// The text inside the token when it is quoted with a backtick or double quotes, the two quotes that may
    /// enclose a name; nil otherwise.
    var quotedName: String? {
        guard case .quoted(let text, let delimiter) = kind, delimiter != "'" else { return nil }
        return text
    }
}

/// Splits a filter or order-by string into tokens, one at a time, so that the first error in reading order is
/// the one reported. Positions count characters (grapheme clusters), the unit of `String.count`.
struct FilterLexer: Sendable {
    /// The text being read.
    let input: String
    private let characters: [Character]
    private var offset = 0

    /// Makes a lexer positioned at the start of `input`.
    init(_ input: String) {
        self.input = input
        characters = Array(input)
    }

    /// The number of characters in the input.
    var count: Int { characters.count }

    /// The source text of `range`, for messages.
    func text(_ range: Range<Int>) -> String {
        String(characters[range.clamped(to: 0..<characters.count)])
    }

    /// An error at `position` about the text being read.
    func error(_ message: String, at position: Int) -> FilterError {
        FilterError(message: message, position: min(max(position, 0), characters.count), input: input)
    }

    /// Reads the next token, or `.end` once the input is exhausted.
    mutating func next() throws(FilterError) -> FilterToken {
        while offset < characters.count, characters[offset].isWhitespace { offset += 1 }
        let start = offset
        guard start < characters.count else { return FilterToken(kind: .end, start: start, end: start) }
        let first = characters[start]
        switch first {
        case "(": return single(.leftParen)
        case ")": return single(.rightParen)
        case ",": return single(.comma)
        case ";": return single(.semicolon)
        case "'", "\"", "`": return try quoted(delimiter: first)
        case "=", "!", "<", ">", "~":
            while offset < characters.count, Self.isSymbol(characters[offset]) { offset += 1 }
            return FilterToken(kind: .symbol(text(start..<offset)), start: start, end: offset)
        case ".":
            return isDigit(at: start + 1) ? try number() : single(.dot)
        case "-", "+":
            if isDigit(at: start + 1) || (character(at: start + 1) == "." && isDigit(at: start + 2)) {
                return try number()
            }
            throw unexpected(first, at: start)
        default:
            if Self.isDigit(first) { return try number() }
            if first.isLetter || first == "_" { return word() }
            throw unexpected(first, at: start)
        }
    }

    private mutating func single(_ kind: FilterToken.Kind) -> FilterToken {
        offset += 1
        return FilterToken(kind: kind, start: offset - 1, end: offset)
    }

    private mutating func word() -> FilterToken {
        let start = offset
        while offset < characters.count, Self.isWordContinuation(characters[offset]) { offset += 1 }
        return FilterToken(kind: .word(text(start..<offset)), start: start, end: offset)
    }

    /// Reads a quoted string or name. There is no escape mechanism, as in MLflow: a quote of the other kind is
    /// how a value embeds a quote.
    private mutating func quoted(delimiter: Character) throws(FilterError) -> FilterToken {
        let start = offset
        var close = start + 1
        while close < characters.count, characters[close] != delimiter { close += 1 }
        guard close < characters.count else {
            let what = delimiter == "`" ? "quoted name" : "string"
            throw error(
                "unterminated \(what) starting at position \(start); close it with \(delimiter)", at: start)
        }
        offset = close + 1
        return FilterToken(kind: .quoted(text(start + 1..<close), delimiter: delimiter), start: start, end: offset)
    }

    /// Reads `[+-]digits[.digits][e[+-]digits]` (or `.digits...`); a number running into letters, digits or a
    /// second dot is malformed.
    private mutating func number() throws(FilterError) -> FilterToken {
        let start = offset
        if characters[offset] == "-" || characters[offset] == "+" { offset += 1 }
        skipDigits()
        if character(at: offset) == "." {
            offset += 1
            skipDigits()
        }
        var wellFormed = true
        if let marker = character(at: offset), marker == "e" || marker == "E" {
            offset += 1
            if let sign = character(at: offset), sign == "-" || sign == "+" { offset += 1 }
            wellFormed = isDigit(at: offset)
            skipDigits()
        }
        if let next = character(at: offset), Self.isWordContinuation(next) {
            wellFormed = false
            while offset < characters.count, Self.isWordContinuation(characters[offset]) { offset += 1 }
        }
        let source = text(start..<offset)
        guard wellFormed, let value = Double(source) ?? Double(source + "0") else {
            throw error("malformed number '\(Self.excerpt(source))'", at: start)
        }
        return FilterToken(kind: .number(value), start: start, end: offset)
    }

    private mutating func skipDigits() {
        while offset < characters.count, Self.isDigit(characters[offset]) { offset += 1 }
    }

    /// The character at `index`, or nil past the end.
    func character(at index: Int) -> Character? {
        index < characters.count ? characters[index] : nil
    }

    private func isDigit(at index: Int) -> Bool {
        character(at: index).map(Self.isDigit) ?? false
    }

    private func unexpected(_ character: Character, at position: Int) -> FilterError {
        error("unexpected character '\(Self.excerpt(String(character)))'", at: position)
    }

    static func isDigit(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return ascii >= 0x30 && ascii <= 0x39
    }

    private static func isSymbol(_ character: Character) -> Bool {
        character == "=" || character == "!" || character == "<" || character == ">" || character == "~"
    }

    /// Characters that continue a bare name. Besides MLflow's `\w` and `.`, Lablog lets `-`, `/` and `:` (legal
    /// in keys) continue a name, so `metrics.train/loss` needs no quotes; no MLflow filter changes meaning.
    private static func isWordContinuation(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "." || character == "-"
            || character == "/" || character == ":"
    }

    /// `text` made safe and short for a message: control characters escaped, long text cut.
    static func excerpt(_ text: String, limit: Int = 40) -> String {
        let cut = text.count > limit ? String(text.prefix(limit)) + "…" : text
        var result = ""
        for scalar in cut.unicodeScalars {
            if scalar.properties.generalCategory == .control {
                result += scalar.escaped(asASCII: true)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
