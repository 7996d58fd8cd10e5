import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LablogCore
import Testing

@testable import LablogServer

@Suite("Web UI foundation")
struct FoundationTests {
    @Test func escapingCoversEveryMarkupCharacter() {
        #expect(HTMLEscaping.escape(#"<a href="x">'&'</a>"#) == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(HTMLEscaping.escape("plain ünïcode") == "plain ünïcode")
    }

    @Test func numbersUseSignificantDigitsAndSpellOutSpecialValues() {
        #expect(NumberFormatting.significant(0.123456789) == "0.123457")
        #expect(NumberFormatting.significant(42) == "42")
        #expect(NumberFormatting.significant(-0.5) == "-0.5")
        #expect(NumberFormatting.significant(1_234_567) == "1.23457e+06")
        #expect(NumberFormatting.significant(0.0000001) == "1e-07")
        #expect(NumberFormatting.significant(.nan) == "NaN")
        #expect(NumberFormatting.significant(.infinity) == "Inf")
        #expect(NumberFormatting.significant(-.infinity) == "-Inf")
        #expect(NumberFormatting.count(1_234_567) == "1,234,567")
        #expect(NumberFormatting.count(-1000) == "-1,000")
    }

    @Test func timeCellsCarryISOAndReadableUTC() {
        let cell = TimeCell(milliseconds: 1_795_962_491_123)
        #expect(cell.iso == "2026-11-29T14:28:11.123Z")
        #expect(cell.html == #"<time datetime="2026-11-29T14:28:11.123Z">2026-11-29 14:28:11 UTC</time>"#)
    }

    @Test func pagerWalksForwardAndBackThroughCursors() {
        let query: [(name: String, value: String?)] = [("q", "a b+c")]
        let first = PagerModel(
            path: "/experiments", query: query, cursor: nil, back: [], nextCursor: "c2", totalCount: 1200,
            noun: "experiments")
        #expect(first.firstURL == nil)
        #expect(first.previousURL == nil)
        #expect(first.nextURL == "/experiments?q=a%20b%2Bc&cursor=c2&back=-")
        #expect(first.summary == "Page 1 · 1,200 experiments")
        let third = PagerModel(
            path: "/experiments", query: query, cursor: "c3", back: ["", "c2"], nextCursor: nil, totalCount: nil,
            noun: "experiments")
        #expect(third.firstURL == "/experiments?q=a%20b%2Bc")
        #expect(third.previousURL == "/experiments?q=a%20b%2Bc&cursor=c2&back=-")
        #expect(third.nextURL == nil)
        #expect(third.summary == "Page 3")
    }

    @Test func unknownPagePathGetsAnHTMLErrorPage() async throws {
        try await withTestApp { client, _ in
            let response = try await client.fetchPage("/no/such/page")
            PageChecks.expectHTML(response, status: .notFound)
            #expect(response.text.contains("<h1>404 Not Found</h1>"))
            #expect(response.text.contains("There is no page at this address."))
            #expect(response.text.contains(#"<a href="/">Back to the experiments</a>"#))
            #expect(response.text.contains(#"<meta name="viewport""#))
            // The same header and navigation as every page, with no entry marked current.
            #expect(response.text.contains(#"<a href="/experiments">Experiments</a>"#))
            #expect(response.text.contains(#"<a href="/dashboard">Dashboard</a>"#))
            #expect(!response.text.contains("aria-current"))
            let page = try await client.fetchPage("/dashboard").text
            let pageHeader = header(page)?.replacingOccurrences(of: #" aria-current="page""#, with: "")
            #expect(pageHeader != nil)
            #expect(header(response.text) == pageHeader)
        }
    }

    /// The `<header>` element of a page, with runs of white space collapsed.
    private func header(_ html: String) -> String? {
        guard let match = html.firstMatch(of: #/<header class="top">[\s\S]*?</header>/#) else { return nil }
        return String(match.output).replacing(#/\s+/#, with: " ")
    }

    @Test func unknownExperimentGetsAnHTMLNotFound() async throws {
        try await withTestApp { client, _ in
            let response = try await client.fetchPage("/experiments/987654/edit")
            PageChecks.expectHTML(response, status: .notFound)
            #expect(response.text.contains("Experiment &#39;987654&#39; does not exist"))
        }
    }

    @Test func apiPathsAndNonBrowsersKeepJSONErrors() async throws {
        try await withTestApp { client, _ in
            for uri in ["/api/no-such-thing", "/no/such/page"] {
                let accept = uri.hasPrefix("/api") ? "text/html" : "application/json"
                let response = try await client.send(.get, uri, headers: [.accept: accept])
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                #expect(try response.jsonObject()["code"] as? String == "ROUTE_NOT_FOUND")
            }
            let mlflow = try await client.send(
                .get, "/api/2.0/mlflow/experiments/get?experiment_id=424242", headers: [.accept: "text/html"])
            #expect(try mlflow.jsonObject()["error_code"] as? String == "RESOURCE_DOES_NOT_EXIST")
        }
    }

    @Test func errorPagesEscapeTheMessage() {
        let error = LablogError.notFound(.experiment, #"<script>alert(1)</script>"'"#)
        let html = ErrorPage.html(ErrorResponse(for: error, path: "/x", uploadLimit: 0))
        #expect(html.contains("Experiment &#39;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&#39; does not exist"))
        PageChecks.expectInert(html)
    }

    @Test func inertCheckCatchesRawPayloads() {
        withKnownIssue {
            PageChecks.expectInert(#"<p><img src=x onerror=alert(1)></p>"#)
        }
        withKnownIssue {
            PageChecks.expectInert(#"<p title="x" onerror="alert(1)">"#)
        }
        PageChecks.expectInert(#"<input value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"> onerror=text"#)
    }

    @Test func assetsAreCachedForStaticFileCacheAndRevalidateWithETag() async throws {
        let configuration = ServerConfiguration(port: 0, staticFileCache: 1234)
        try await withTestApp(configuration: configuration) { client, _ in
            let response = try await client.send(.get, Assets.styleSheet.url)
            #expect(response.status == .ok)
            #expect(response.headers[.cacheControl] == "public, max-age=1234")
            #expect(response.headers[.contentType] == "text/css; charset=utf-8")
            let etag = try #require(response.headers[.eTag])
            let again = try await client.send(.get, Assets.script.url, headers: [.ifNoneMatch: etag])
            #expect(again.status == .ok, "another asset's tag does not match")
            let revalidated = try await client.send(.get, Assets.styleSheet.url, headers: [.ifNoneMatch: etag])
            #expect(revalidated.status == .notModified)
            #expect(revalidated.body.readableBytes == 0)
        }
    }

    @Test func layoutIsMobileReadyAndSelfContained() async throws {
        try await withTestApp { client, _ in
            for uri in ["/", "/experiments", "/experiments?lifecycle=deleted", "/dashboard", "/nope"] {
                let response = try await client.fetchPage(uri)
                #expect(
                    response.text.contains(#"<meta name="viewport" content="width=device-width, initial-scale=1">"#),
                    "\(uri)")
                #expect(response.text.contains(#"<link rel="stylesheet" href="/assets/lablog.css?v="#), "\(uri)")
                PageChecks.expectNoExternalURLs(response.text)
            }
        }
    }
}
