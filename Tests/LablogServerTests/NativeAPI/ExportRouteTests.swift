import Foundation
import HTTPTypes
import HummingbirdTesting
import LablogCore
import LablogServer
import Testing

@Suite("Native API: export")
struct ExportRouteTests {
    /// Two runs with params, metrics and tags whose text needs quoting or formula neutralising.
    private func seed(_ client: any TestClientProtocol) async throws -> (experiment: Int64, runs: [String]) {
        let experiment = try await client.createExperiment("export")
        let first = try await client.createRun(
            in: experiment,
            #"{"name": "plain", "start_time": 1767225600000, "params": {"lr": "0.01", "note": "a, \"quoted\"\nline"},"#
                + #" "metrics": {"acc": 0.5, "loss": "NaN"}, "tags": {"team": "vision"}}"#)
        let second = try await client.createRun(
            in: experiment,
            #"{"name": "=HYPERLINK(\"x\")", "start_time": 1767225660000, "params": {"lr": "-0.5", "cmd": "+cmd"},"#
                + #" "metrics": {"acc": 0.75}}"#)
        _ = try await client.send(
            .patch, Paths.run(RunID(first)!), body: #"{"status": "FINISHED", "end_time": 1767225601000}"#)
        return (experiment, [first, second])
    }

    @Test("CSV: RFC 4180 quoting, formula neutralising, one row a run, header with every column")
    func csv() async throws {
        try await withTestApp { client, _ in
            let (experiment, runs) = try await seed(client)
            let response = try await client.send(.get, Paths.experimentExport(experiment))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(response.headers[.contentDisposition]?.hasPrefix("attachment; filename=") == true)
            #expect(response.headers[.contentDisposition]?.contains(".csv") == true)
            let rows = try CSVReader.parse(response.text)
            #expect(
                rows.first == [
                    "run_id", "name", "status", "start_time", "end_time", "params.cmd", "params.lr", "params.note",
                    "metrics.acc", "metrics.loss", "tags.team",
                ])
            let byID = Dictionary(uniqueKeysWithValues: rows.dropFirst().map { ($0[0], $0) })
            #expect(rows.count == 3)
            #expect(
                byID[runs[0]] == [
                    runs[0], "plain", "FINISHED", "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:01.000Z", "", "0.01",
                    "a, \"quoted\"\nline", "0.5", "NaN", "vision",
                ])
            #expect(
                byID[runs[1]] == [
                    runs[1], "'=HYPERLINK(\"x\")", "RUNNING", "2026-01-01T00:01:00.000Z", "", "'+cmd", "-0.5", "",
                    "0.75", "", "",
                ])
            #expect(response.text.contains("\r\n"))
        }
    }

    @Test("JSON is an array of flat objects; NDJSON is one object a line; filter applies")
    func jsonFormats() async throws {
        try await withTestApp { client, _ in
            let (experiment, runs) = try await seed(client)
            let json = try await client.send(.get, Paths.experimentExport(experiment) + "?format=json")
            #expect(json.status == .ok)
            #expect(json.headers[.contentType] == "application/json; charset=utf-8")
            let objects = try #require(try json.json() as? [[String: Any]])
            let plain = try #require(objects.first { $0["run_id"] as? String == runs[0] })
            #expect(
                canonical(plain)
                    == canonical([
                        "run_id": runs[0], "name": "plain", "status": "FINISHED",
                        "start_time": "2026-01-01T00:00:00.000Z", "end_time": "2026-01-01T00:00:01.000Z",
                        "params.cmd": NSNull(), "params.lr": "0.01", "params.note": "a, \"quoted\"\nline",
                        "metrics.acc": 0.5, "metrics.loss": "NaN", "tags.team": "vision",
                    ]))

            let ndjson = try await client.send(.get, Paths.experimentExport(experiment) + "?format=ndjson")
            #expect(ndjson.headers[.contentType] == "application/x-ndjson; charset=utf-8")
            let lines = ndjson.text.split(separator: "\n")
            #expect(lines.count == 2)
            let parsed = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            #expect(Set(parsed.compactMap { $0?["run_id"] as? String }) == Set(runs))

            let filtered = try await client.send(
                .get,
                Paths.experimentExport(experiment) + "?format=json&filter=" + Paths.percentEncode("metrics.acc > 0.6"))
            let filteredObjects = try #require(try filtered.json() as? [[String: Any]])
            #expect(filteredObjects.compactMap { $0["run_id"] as? String } == [runs[1]])
        }
    }

    @Test("An experiment without runs exports a header only, or an empty array")
    func empty() async throws {
        try await withTestApp { client, _ in
            let experiment = try await client.createExperiment("empty")
            let csv = try await client.send(.get, Paths.experimentExport(experiment) + "?format=csv")
            #expect(csv.text == "run_id,name,status,start_time,end_time\r\n")
            let json = try await client.send(.get, Paths.experimentExport(experiment) + "?format=json")
            #expect(try json.json() as? [Any] != nil)
            #expect(try (json.json() as? [Any])?.isEmpty == true)
            let ndjson = try await client.send(.get, Paths.experimentExport(experiment) + "?format=ndjson")
            #expect(ndjson.text.isEmpty)
        }
    }

    @Test("Exports stream across many chunks")
    func manyRuns() async throws {
        try await withTestApp { client, store in
            let experiment = try await client.createExperiment("big")
            for index in 0..<1234 {
                _ = try await store.createRun(
                    NewRun(
                        experimentID: experiment, name: "r\(index)", params: [KeyValue(key: "i", value: "\(index)")]))
            }
            let csv = try await client.send(.get, Paths.experimentExport(experiment))
            let rows = try CSVReader.parse(csv.text)
            #expect(rows.count == 1235)
            #expect(Set(rows.dropFirst().map { $0[1] }).count == 1234)
            let json = try await client.send(.get, Paths.experimentExport(experiment) + "?format=json")
            #expect((try json.json() as? [Any])?.count == 1234)
        }
    }

    @Test("Export failures: unknown experiment 404, bad format 400, bad filter 400")
    func failures() async throws {
        try await withTestApp { client, _ in
            let experiment = try await client.createExperiment("e")
            try expectError(
                try await client.send(.get, Paths.experimentExport(99)), .notFound, code: "EXPERIMENT_NOT_FOUND")
            try expectError(
                try await client.send(.get, Paths.experimentExport(experiment) + "?format=xlsx"), .badRequest,
                code: "BAD_REQUEST")
            try expectError(
                try await client.send(.get, Paths.experimentExport(experiment) + "?filter=metrics.acc%20%3E"),
                .badRequest, code: "INVALID_FILTER")
        }
    }
}

/// A strict RFC 4180 reader, to check exports by parsing them back.
enum CSVReader {
    struct FormatError: Error {}

    static func parse(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var characters = Array(text.unicodeScalars)[...]
        while let character = characters.popFirst() {
            if inQuotes {
                if character == "\"" {
                    if characters.first == "\"" {
                        field.unicodeScalars.append(characters.removeFirst())
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.unicodeScalars.append(character)
                }
                continue
            }
            switch character {
            case "\"":
                guard field.isEmpty else { throw FormatError() }
                inQuotes = true
            case ",":
                row.append(field)
                field = ""
            case "\r":
                guard characters.popFirst() == "\n" else { throw FormatError() }
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            case "\n":
                throw FormatError()
            default:
                field.unicodeScalars.append(character)
            }
        }
        guard !inQuotes, row.isEmpty, field.isEmpty else { throw FormatError() }
        return rows
    }
}
