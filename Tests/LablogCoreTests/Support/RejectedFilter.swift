import LablogCore
import Testing

/// A filter that must be refused, where, and with what words in the message.
struct RejectedFilter: Sendable, CustomTestStringConvertible {
    var text: String
    /// The 0-based character offset the error must point at.
    var position: Int
    var message: String

    /// Describes a refusal pointing at the `occurrence`-th appearance of `anchor` in `text`, or at the end of
    /// the text when `anchor` is nil.
    init(_ text: String, at anchor: String?, occurrence: Int = 1, _ message: String) {
        self.text = text
        self.message = message
        guard let anchor else {
            position = text.count
            return
        }
        var found = 0
        var offset = 0
        var rest = Substring(text)
        position = -1
        while !rest.isEmpty {
            if rest.hasPrefix(anchor) {
                found += 1
                if found == occurrence {
                    position = offset
                    break
                }
            }
            rest = rest.dropFirst()
            offset += 1
        }
    }

    var testDescription: String { text }
}

/// Checks that `example` is refused by `grammar` at its position, with its words in the message.
func expectRefusal(
    _ example: RejectedFilter, grammar: FilterGrammar = .runs, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(example.position >= 0, "bad anchor in the test table", sourceLocation: sourceLocation)
    switch parseOutcome(example.text, grammar: grammar) {
    case .refused(let error):
        #expect(error.position == example.position, "\(error.message)", sourceLocation: sourceLocation)
        #expect(error.message.contains(example.message), "\(error.message)", sourceLocation: sourceLocation)
        #expect(error.input == example.text, sourceLocation: sourceLocation)
    case .parsed(let expression):
        Issue.record("parsed to \(String(describing: expression))", sourceLocation: sourceLocation)
    case .unexpected(let description):
        Issue.record("threw \(description)", sourceLocation: sourceLocation)
    }
}
