import Foundation
import HTTPTypes
import HummingbirdTesting
import LablogCore
import Testing

@Suite("Experiments page")
struct ExperimentsPageTests {
    static let payloads = [#"<script>alert(1)</script>"#, #""><img src=x onerror=alert(1)>"#, "it's"]

    @Test func listShowsEveryColumn() async throws {
        try await withTickingApp { client, store in
            let experiment = try await store.createExperiment(
                NewExperiment(
                    name: "vision", description: "ResNet sweeps", status: .completed,
                    tags: [KeyValue(key: "team", value: "cv"), KeyValue(key: "baseline", value: "")]))
            _ = try await store.createRun(NewRun(experimentID: experiment.id, startTime: 1_795_962_491_123))
            _ = try await store.createRun(NewRun(experimentID: experiment.id, startTime: 1_700_000_000_000))
            for uri in ["/", "/experiments"] {
                let response = try await client.fetchPage(uri)
                PageChecks.expectHTML(response)
                let html = response.text
                #expect(html.contains(#"<a href="/experiments/\#(experiment.id)">vision</a>"#))
                #expect(html.contains(#"<span class="badge status-completed">completed</span>"#))
                // The description has its own column on wide screens and sits under the name on phones.
                #expect(html.contains(#"<td class="col-desc">ResNet sweeps</td>"#))
                #expect(html.contains(#"<span class="under-name">ResNet sweeps</span>"#))
                #expect(html.contains(#"<span class="badge">team: cv</span>"#))
                #expect(html.contains(#"<span class="badge">baseline</span>"#))
                #expect(html.contains(#"<td class="num">2</td>"#))
                // Last activity is the newest run's start.
                #expect(html.contains(#"<time datetime="2026-11-29T14:28:11.123Z">2026-11-29 14:28:11 UTC</time>"#))
                #expect(html.contains("Page 1 · 2 experiments"), "with Default")
                #expect(html.contains(#"aria-current="page">Experiments</a>"#))
            }
        }
    }

    @Test func pagesFollowCursorsForwardAndBack() async throws {
        try await withTickingApp { client, store in
            for index in 1...60 {
                _ = try await store.createExperiment(NewExperiment(name: String(format: "exp-%03d", index)))
            }
            let first = try await client.fetchPage("/experiments?sort=name&order=asc")
            #expect(rowNames(first.text) == ["Default"] + (1...49).map { String(format: "exp-%03d", $0) })
            #expect(first.text.contains("Page 1 · 61 experiments"))
            #expect(link(first.text, rel: "prev") == nil)
            let next = try #require(link(first.text, rel: "next"))
            let second = try await client.fetchPage(next)
            PageChecks.expectHTML(second)
            #expect(rowNames(second.text) == (50...60).map { String(format: "exp-%03d", $0) })
            #expect(second.text.contains("Page 2 · 61 experiments"))
            #expect(link(second.text, rel: "next") == nil)
            #expect(second.text.contains(#"<a href="/experiments?sort=name">First page</a>"#), "asc is the default")
            let back = try await client.fetchPage(try #require(link(second.text, rel: "prev")))
            #expect(rowNames(back.text) == rowNames(first.text))
        }
    }

    @Test func filtersAndSortApply() async throws {
        try await withTickingApp { client, store in
            let alpha = try await store.createExperiment(
                NewExperiment(name: "alpha run", status: .failed, tags: [KeyValue(key: "team", value: "nlp")]))
            _ = try await store.createExperiment(
                NewExperiment(name: "beta", status: .completed, tags: [KeyValue(key: "team", value: "cv")]))
            let gamma = try await store.createExperiment(NewExperiment(name: "gamma"))
            try await store.deleteExperiments(ids: [gamma.id], mustBeActive: true)
            _ = try await store.updateExperiment(id: alpha.id, ExperimentUpdate(description: "touched"))
            let cases: [(String, [String])] = [
                ("q=ALPHA+r", ["alpha run"]),
                ("status=completed", ["beta"]),
                ("tag=team", ["beta", "alpha run"]),
                ("tag=team%3Acv", ["beta"]),
                ("lifecycle=deleted", ["gamma"]),
                ("lifecycle=all&sort=name", ["Default", "alpha run", "beta", "gamma"]),
                ("lifecycle=all&sort=name&order=desc", ["gamma", "beta", "alpha run", "Default"]),
                ("sort=created&order=asc", ["Default", "alpha run", "beta"]),
                ("sort=created", ["beta", "alpha run", "Default"]),
                ("sort=updated", ["alpha run", "beta", "Default"]),
            ]
            for (query, expected) in cases {
                let response = try await client.fetchPage("/experiments?" + query)
                PageChecks.expectHTML(response)
                #expect(rowNames(response.text) == expected, "\(query)")
            }
            let byCreated = try await client.fetchPage("/experiments?tag=team")
            #expect(
                byCreated.text.contains(
                    #"""
                    <th aria-sort="descending">
                          <a href="/experiments?tag=team&amp;order=asc">Created ▼</a></th>
                    """#))
            #expect(byCreated.text.contains(#"<a href="/experiments?tag=team&amp;sort=name">Name</a>"#))
            let byName = try await client.fetchPage("/experiments?sort=name")
            #expect(byName.text.contains(#"<a href="/experiments?sort=name&amp;order=desc">Name ▲</a>"#))
            let trash = try await client.fetchPage("/experiments?lifecycle=deleted")
            #expect(trash.text.contains("<h1>Trash</h1>"))
            #expect(trash.text.contains("Back to active experiments"))
            #expect(!trash.text.contains("New experiment"))
            let filtered = try await client.fetchPage("/experiments?q=alpha&status=failed")
            #expect(filtered.text.contains(#"<input type="search" name="q" value="alpha">"#))
            #expect(filtered.text.contains(#"<option value="failed" selected>failed</option>"#))
            #expect(filtered.text.contains(#"href="/experiments/\#(alpha.id)/edit""#))
        }
    }

    @Test func createRedirectsBackAndShowsTheExperiment() async throws {
        try await withTickingApp { client, store in
            let response = try await client.postPageForm(
                "/experiments",
                [
                    ("return", "/experiments?sort=name"), ("name", "  fresh one "), ("description", "first try"),
                    ("status", "completed"), ("tags", "team:cv\r\nbaseline\r\n\r\n"),
                ])
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/experiments?sort=name")
            let created = try #require(try await store.experiment(named: "fresh one"))
            #expect(created.description == "first try")
            #expect(created.status == .completed)
            #expect(created.tags.map(\.key).sorted() == ["baseline", "team"])
            let page = try await client.fetchPage("/experiments?sort=name")
            #expect(rowNames(page.text) == ["Default", "fresh one"])
            let offsite = try await client.postPageForm("/experiments", [("return", "//evil.example"), ("name", "x")])
            #expect(offsite.headers[.location] == "/experiments")
        }
    }

    @Test func invalidCreateReRendersTheFormWithTheMessage() async throws {
        try await withTickingApp { client, store in
            _ = try await store.createExperiment(NewExperiment(name: #"dup<b>"#))
            let empty = try await client.postPageForm("/experiments", [("name", "   "), ("description", "kept")])
            PageChecks.expectHTML(empty, status: .unprocessableContent)
            #expect(empty.text.contains("Invalid value for &#39;name&#39;: must not be empty"))
            #expect(empty.text.contains(#"<details class="panel" open>"#))
            #expect(empty.text.contains(#"<textarea name="description" rows="2">kept</textarea>"#))
            let duplicate = try await client.postPageForm("/experiments", [("name", "dup<b>")])
            PageChecks.expectHTML(duplicate, status: .unprocessableContent)
            #expect(duplicate.text.contains("already exists"))
            #expect(duplicate.text.contains("dup&lt;b&gt;"))
            #expect(!duplicate.text.contains("dup<b>"))
            let badStatus = try await client.postPageForm("/experiments", [("name", "n"), ("status", "bogus")])
            PageChecks.expectHTML(badStatus, status: .unprocessableContent)
            #expect(badStatus.text.contains("must be one of running, completed, failed"))
        }
    }

    @Test func editRenamesDescribesAndValidates() async throws {
        try await withTickingApp { client, store in
            let experiment = try await store.createExperiment(NewExperiment(name: "old", description: "d"))
            let editURL = "/experiments/\(experiment.id)/edit"
            let form = try await client.fetchPage(editURL)
            PageChecks.expectHTML(form)
            #expect(form.text.contains(#"<input name="name" value="old" required maxlength="500">"#))
            let saved = try await client.postPageForm(
                editURL, [("name", "new"), ("description", "better"), ("status", "failed")])
            #expect(saved.status == .seeOther)
            #expect(saved.headers[.location] == editURL)
            let after = try await store.experiment(id: experiment.id)
            #expect((after.name, after.description, after.status) == ("new", "better", .failed))
            let list = try await client.fetchPage("/experiments")
            #expect(list.text.contains(#"<td class="col-desc">better</td>"#))
            let cleared = try await client.postPageForm(editURL, [("name", "new"), ("description", "")])
            #expect(cleared.status == .seeOther)
            #expect(try await store.experiment(id: experiment.id).description == nil)
            let invalid = try await client.postPageForm(editURL, [("name", ""), ("description", "typed")])
            PageChecks.expectHTML(invalid, status: .unprocessableContent)
            #expect(invalid.text.contains("must not be empty"))
            #expect(invalid.text.contains(#"<textarea name="description" rows="3">typed</textarea>"#))
            #expect(try await store.experiment(id: experiment.id).name == "new")
        }
    }

    @Test func tagsAreAddedAndRemoved() async throws {
        try await withTickingApp { client, store in
            let experiment = try await store.createExperiment(NewExperiment(name: "tagged"))
            let id = experiment.id
            let added = try await client.postPageForm("/experiments/\(id)/tags", [("key", "team"), ("value", "cv")])
            #expect(added.status == .seeOther)
            #expect(added.headers[.location] == "/experiments/\(id)/edit")
            let edit = try await client.fetchPage("/experiments/\(id)/edit")
            #expect(edit.text.contains(#"<span class="badge">team: cv</span>"#))
            #expect(edit.text.contains(#"<input type="hidden" name="key" value="team">"#))
            let invalid = try await client.postPageForm("/experiments/\(id)/tags", [("key", " "), ("value", "v")])
            PageChecks.expectHTML(invalid, status: .unprocessableContent)
            #expect(invalid.text.contains("Invalid value for &#39;key&#39;: must not be empty"))
            let removed = try await client.postPageForm("/experiments/\(id)/tags/delete", [("key", "team")])
            #expect(removed.status == .seeOther)
            #expect(try await store.experiment(id: id).tags.isEmpty)
            let page = try await client.fetchPage("/experiments/\(id)/edit")
            #expect(page.text.contains("No tags."))
        }
    }

    @Test func deleteRestoreAndPurgeThroughTheTrash() async throws {
        try await withTickingApp { client, store in
            let experiment = try await store.createExperiment(NewExperiment(name: "doomed"))
            let id = experiment.id
            let deleted = try await client.postPageForm(
                "/experiments/\(id)/delete", [("return", "/experiments?q=doo")])
            #expect(deleted.status == .seeOther)
            #expect(deleted.headers[.location] == "/experiments?q=doo")
            #expect(rowNames(try await client.fetchPage("/experiments").text) == ["Default"])
            let trash = try await client.fetchPage("/experiments?lifecycle=deleted")
            #expect(rowNames(trash.text) == ["doomed"])
            #expect(trash.text.contains(#"action="/experiments/\#(id)/restore""#))
            #expect(trash.text.contains("<summary>Delete forever…</summary>"))

            let restored = try await client.postPageForm("/experiments/\(id)/restore", [])
            #expect(restored.status == .seeOther)
            #expect(rowNames(try await client.fetchPage("/experiments").text) == ["doomed", "Default"])

            let activePurge = try await client.postPageForm("/experiments/\(id)/purge", [("confirm", "yes")])
            PageChecks.expectHTML(activePurge, status: .conflict)
            _ = try await client.postPageForm("/experiments/\(id)/delete", [])
            let unconfirmed = try await client.postPageForm("/experiments/\(id)/purge", [])
            PageChecks.expectHTML(unconfirmed, status: .badRequest)
            #expect(unconfirmed.text.contains("confirmation step"))
            let purged = try await client.postPageForm("/experiments/\(id)/purge", [("confirm", "yes")])
            #expect(purged.status == .seeOther)
            #expect(purged.headers[.location] == "/experiments?lifecycle=deleted")
            await #expect(throws: LablogError.self) { try await store.experiment(id: id) }
            let gone = try await client.fetchPage("/experiments/\(id)/edit")
            PageChecks.expectHTML(gone, status: .notFound)
        }
    }

    /// Tag keys are limited to letters, digits and `_-. :/` by validation, so the payloads go into tag values.
    @Test func userTextStaysInertEverywhere() async throws {
        try await withTickingApp { client, store in
            var ids: [ExperimentID] = []
            for (index, payload) in Self.payloads.enumerated() {
                let experiment = try await store.createExperiment(
                    NewExperiment(
                        name: payload + " \(index)", description: payload,
                        tags: [KeyValue(key: "key \(index)", value: payload)]))
                ids.append(experiment.id)
            }
            try await store.deleteExperiments(ids: [ids[0]], mustBeActive: true)
            var pages = ["/experiments?lifecycle=all", "/experiments?lifecycle=deleted", "/experiments"]
            pages += ids.map { "/experiments/\($0)/edit" }
            for uri in pages {
                let response = try await client.fetchPage(uri)
                PageChecks.expectHTML(response)
                PageChecks.expectInert(response.text)
                PageChecks.expectNoExternalURLs(response.text)
                #expect(!response.text.contains("it's"), "\(uri)")
            }
            let all = try await client.fetchPage("/experiments?lifecycle=all").text
            #expect(all.contains("&lt;script&gt;alert(1)&lt;/script&gt; 0"))
            #expect(all.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt; 1"))
            #expect(all.contains("it&#39;s 2"))
            // A payload typed into a form comes back escaped too.
            let echoed = try await client.postPageForm("/experiments", [("name", ""), ("tags", Self.payloads[1])])
            PageChecks.expectInert(echoed.text)
            let search = try await client.fetchPage("/experiments?q=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
            PageChecks.expectInert(search.text)
            #expect(rowNames(search.text).count == 1)
        }
    }
}

/// The experiment names in the list's rows, in order (as the page escapes them).
private func rowNames(_ html: String) -> [String] {
    html.matches(of: #/<td class="name"><a href="/experiments/\d+">([^<]*)</a>/#).map { String($0.output.1) }
}

/// The `href` of the pager link with `rel`, unescaped.
private func link(_ html: String, rel: String) -> String? {
    for candidate in html.matches(of: #/<a href="([^"]*)" rel="([a-z]+)">/#) where candidate.output.2 == rel {
        return String(candidate.output.1).replacingOccurrences(of: "&amp;", with: "&")
    }
    return nil
}
