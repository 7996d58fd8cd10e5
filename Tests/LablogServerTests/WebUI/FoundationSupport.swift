import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LablogCore
import NIOCore
import Synchronization
import Testing

/// Page requests as a browser makes them.
extension TestClientProtocol {
    /// GETs a page asking for HTML, as a browser navigating to it does.
    func fetchPage(_ uri: String) async throws -> TestResponse {
        try await send(.get, uri, headers: [.accept: "text/html,application/xhtml+xml"])
    }

    /// POSTs an HTML form with the fields, in order, encoded as browsers do.
    func postPageForm(_ uri: String, _ fields: [(String, String)]) async throws -> TestResponse {
        let body = fields.map { formEncode($0.0) + "=" + formEncode($0.1) }.joined(separator: "&")
        return try await send(
            .post, uri, body: body, contentType: "application/x-www-form-urlencoded",
            headers: [.accept: "text/html"])
    }

    private func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text)
            .replacingOccurrences(of: "%20", with: "+")
    }
}

/// Checks every page must pass.
enum PageChecks {
    /// A 200 HTML page, or the given status.
    static func expectHTML(
        _ response: TestResponse, status: HTTPResponse.Status = .ok, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(response.status == status, "\(response.text.prefix(600))", sourceLocation: sourceLocation)
        #expect(
            response.headers[.contentType] == "text/html; charset=utf-8", sourceLocation: sourceLocation)
    }

    /// No `src` or `href` points off the server, so pages work without internet.
    static func expectNoExternalURLs(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for attribute in ["src=\"http", "href=\"http", "src='http", "href='http", "url(http"] {
            #expect(!html.contains(attribute), "external URL: \(attribute)", sourceLocation: sourceLocation)
        }
    }

    /// None of the attack strings survive unescaped: no `<script`, no `<img`, no event handler in a tag.
    static func expectInert(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!html.contains("<script>alert"), sourceLocation: sourceLocation)
        #expect(!html.contains("<img"), sourceLocation: sourceLocation)
        // An `onerror=` is only dangerous as an attribute of a tag: look for it between a `<` and the next `>`,
        // outside quoted attribute values (an escaped payload inside `value="..."` is inert text).
        var inTag = false
        var inQuote = false
        var tagText = ""
        for character in html {
            if inTag, character == "\"" {
                inQuote.toggle()
            } else if inQuote {
                continue
            } else if character == "<" {
                inTag = true
                tagText = ""
            } else if character == ">", inTag {
                #expect(
                    !tagText.lowercased().contains("onerror"), "handler in tag <\(tagText)>",
                    sourceLocation: sourceLocation)
                inTag = false
            } else if inTag {
                tagText.append(character)
            }
        }
        #expect(!inQuote, "unbalanced quote in a tag", sourceLocation: sourceLocation)
    }
}

/// Runs `body` on a store whose clock moves one second forward on every reading, so creation and update times
/// (and the orders built on them) are distinct and predictable. It starts in 2030, after the `Default`
/// experiment the migration creates with the real clock.
func withTickingApp<Value>(
    _ body: @Sendable (any TestClientProtocol, any TrackingStore) async throws -> Value
) async throws -> Value {
    let clock = Mutex<Int64>(1_893_456_000_000)
    let environment = StoreEnvironment(now: {
        clock.withLock { value in
            value += 1000
            return value
        }
    })
    return try await withTestApp(environment: environment, body)
}
