import Foundation
import Testing

/// `lablog copy`, run as a user runs it: its output, its exit codes and its refusals.
@Suite("lablog copy", .timeLimit(.minutes(3)))
struct CopyCommandTests {
    private static let success = ChildProcess.Termination(status: 0, bySignal: false)
    private static let failure = ChildProcess.Termination(status: 1, bySignal: false)
    private static let usage = ChildProcess.Termination(status: 64, bySignal: false)

    @Test("copies a seeded database, reports progress on stderr, and a second run writes nothing")
    func copiesAndResumes() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let seeded = try await runLablog(["seed", "--database", "source.db"], in: workspace)
        #expect(seeded.termination == Self.success, "\(seeded.standardError)")

        let first = try await runLablog(["copy", "--from", "sqlite://source.db", "--to", "copy.db"], in: workspace)
        #expect(first.termination == Self.success, "\(first.standardError)")
        #expect(
            first.standardOutput.contains("Copied sqlite://source.db to sqlite://copy.db"), "\(first.standardOutput)")
        // Not a terminal: plain lines, no escape sequences.
        #expect(first.standardError.contains("lablog copy: runs "), "\(first.standardError)")
        #expect(first.standardError.contains("done in"), "\(first.standardError)")
        #expect(!first.standardError.contains("\u{1B}["))

        let second = try await runLablog(["copy", "--from", "source.db", "--to", "sqlite://./copy.db"], in: workspace)
        #expect(second.termination == Self.success, "\(second.standardError)")
        #expect(second.standardOutput.contains("wrote 0 of"), "\(second.standardOutput)")
        #expect(Self.holdings(first.standardOutput) == Self.holdings(second.standardOutput))
    }

    @Test(
        "invalid arguments exit 64 with a message naming the option",
        arguments: [
            (["--from", "mysql://u@h/db", "--to", "b.db"], "--from: unsupported scheme 'mysql'"),
            (["--from", "source.db", "--to", "postgres://h/db"], "--to:"),
            (["--from", "source.db", "--to", "./source.db"], "name the same database"),
            (["--from", "missing.db", "--to", "b.db"], "does not exist"),
            (["--from", "source.db", "--to", "sqlite::memory:"], "in-memory"),
        ])
    func invalidArguments(arguments: [String], message: String) async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        _ = try await runLablog(["migrate", "--database", "source.db"], in: workspace)
        let result = try await runLablog(["copy"] + arguments, in: workspace)
        #expect(result.termination == Self.usage, "\(result.standardError)")
        #expect(result.standardError.contains(message), "\(result.standardError)")
    }

    @Test("an unreachable PostgreSQL server fails with one line naming it, without the password")
    func unreachable() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        _ = try await runLablog(["migrate", "--database", "source.db"], in: workspace)
        let port = try FreePort.find()
        let result = try await runLablog(
            ["copy", "--from", "source.db", "--to", "postgres://lablog:secret@127.0.0.1:\(port)/lablog"],
            in: workspace)
        #expect(result.termination == Self.failure, "\(result.standardError)")
        #expect(result.standardError.contains("127.0.0.1:\(port)"), "\(result.standardError)")
        #expect(!result.standardError.contains("secret"))
        #expect(result.standardError.split(separator: "\n").count <= 2, "\(result.standardError)")

        // An unreachable source: the missing SQLite target is not created.
        let reverse = try await runLablog(
            ["copy", "--from", "postgres://lablog:secret@127.0.0.1:\(port)/lablog", "--to", "new.db"], in: workspace)
        #expect(reverse.termination == Self.failure, "\(reverse.standardError)")
        #expect(
            reverse.standardError.contains("source postgres://lablog@127.0.0.1:\(port)"), "\(reverse.standardError)")
        #expect(!FileManager.default.fileExists(atPath: workspace.file("new.db").path))
    }

    @Test("a target holding other data is refused with exit code 1")
    func refusesOtherData() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        _ = try await runLablog(["seed", "--database", "source.db"], in: workspace)
        _ = try await runLablog(["seed", "--database", "other.db"], in: workspace)
        let result = try await runLablog(["copy", "--from", "source.db", "--to", "other.db"], in: workspace)
        #expect(result.termination == Self.failure, "\(result.standardError)")
        #expect(result.standardError.contains("not an earlier copy of the source"), "\(result.standardError)")
    }

    @Test(
        "SQLite -> PostgreSQL -> SQLite keeps every count",
        .enabled(if: ProcessInfo.processInfo.environment["LABLOG_TEST_POSTGRES_URL"] != nil))
    func throughPostgres() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let base = try #require(ProcessInfo.processInfo.environment["LABLOG_TEST_POSTGRES_URL"])
        let schema = "copy_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let postgres = base + (base.contains("?") ? "&" : "?") + "schema=\(schema)"
        _ = try await runLablog(["seed", "--database", "source.db"], in: workspace)
        let there = try await runLablog(["copy", "--from", "source.db", "--to", postgres], in: workspace)
        #expect(there.termination == Self.success, "\(there.standardError)")
        let back = try await runLablog(["copy", "--from", postgres, "--to", "back.db"], in: workspace)
        #expect(back.termination == Self.success, "\(back.standardError)")
        #expect(Self.holdings(there.standardOutput) == Self.holdings(back.standardOutput))
        #expect(Self.holdings(back.standardOutput)?.contains(" runs") == true)
    }

    /// The "The target holds ..." part of the summary.
    private static func holdings(_ output: String) -> String? {
        output.range(of: "The target holds ").map { String(output[$0.upperBound...]) }
    }
}
