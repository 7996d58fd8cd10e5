import ArgumentParser
import Foundation
import LablogCore
import LablogPostgres
import LablogSQLite
import LablogServer
import Logging

/// `lablog copy`: copies every experiment, run and history from one database to another (SQLite or PostgreSQL,
/// either way), resumably.
struct Copy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy all data from one database to another (SQLite or PostgreSQL, either way).",
        discussion: """
            Copies experiments (ids, names, descriptions, statuses, lifecycle, times, tags, run counts), datasets, \
            runs (ids, names, statuses, times, lifecycle, parents, users, params, tags, latest metrics, inputs) \
            and every point of every metric history, keeping ids and times. Both databases are first brought to \
            this version's schema.

            Artifact files are NOT copied: each experiment's artifact location and each run's artifact URI are \
            copied as they are, so the files must stay where they are (or be moved separately to the same URIs).

            The copy works in batches and can be resumed: when it is interrupted, run the same command again; it \
            skips what the target already holds completely and continues where it stopped. A target that holds \
            anything other than an earlier copy of the source is refused. Do not write to the source while it \
            is copied.

            Progress goes to stderr: a progress bar on a terminal, a line every few seconds otherwise. Exit \
            status: 0 when the copy is complete and verified, 1 when it failed (an unreachable database, a \
            refused target, a mismatch), 64 for invalid arguments (a malformed URL, the same database twice).
            """)

    @Option(
        help: ArgumentHelp(
            "The database to copy from: sqlite://PATH, sqlite:///ABSOLUTE/PATH, a file path or "
                + "postgres://USER:PASSWORD@HOST:PORT/DATABASE.",
            valueName: "database-url"))
    var from: String

    @Option(
        help: ArgumentHelp(
            "The database to copy to, in the same forms; created when it is a missing SQLite file.",
            valueName: "database-url"))
    var to: String

    @Option(help: "Seconds between progress lines when stderr is not a terminal.")
    var progressInterval: Double = 5

    func validate() throws {
        let source = try Self.location(from, option: "--from")
        let target = try Self.location(to, option: "--to")
        if source.isSameDatabase(as: target) {
            throw ValidationError("--from and --to name the same database (\(source)); copy into another one")
        }
        if case .sqliteFile(let path) = source, !FileManager.default.fileExists(atPath: path) {
            throw ValidationError("--from: the SQLite database '\(path)' does not exist")
        }
        guard progressInterval > 0 else { throw ValidationError("--progress-interval must be positive") }
    }

    func run() async throws {
        let source = try Self.location(from, option: "--from")
        let target = try Self.location(to, option: "--to")
        let reporter = CopyProgressReporter(
            interactive: isatty(STDERR_FILENO) == 1, lineInterval: .milliseconds(Int(progressInterval * 1000)))
        do {
            // The source first: a missing SQLite target is created only when there is something to copy.
            let sourceStore = try Self.open(source, role: "source")
            try await Self.preparing("source \(source)") { try await sourceStore.migrate() }
            let targetStore = try Self.open(target, role: "target")
            try await Self.preparing("target \(target)") { try await targetStore.migrate() }
            let copier = StoreCopier(from: sourceStore, to: targetStore)
            let result = try await copier.copy { await reporter.report($0) }
            await reporter.finish()
            // Searches on a freshly filled PostgreSQL database are planned from up-to-date statistics at once.
            if let postgres = targetStore as? PostgresStore { await postgres.analyzeSearchedTables() }
            let counts = try await targetStore.transferCounts()
            print(
                "Copied \(source) to \(target): wrote \(result.runsWritten) of \(result.runsTotal) runs "
                    + "(\(result.runsTotal - result.runsWritten) already complete) and \(result.pointsWritten) "
                    + "points. The target holds \(counts).")
        } catch {
            await reporter.finish()
            throw Self.failure(error)
        }
    }

    /// Runs one database's preparation, naming the database when it fails.
    private static func preparing(_ name: String, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as LablogError {
            throw CopyFailure(message: "\(name): \(error.message)")
        }
    }

    private static func location(_ text: String, option: String) throws -> DatabaseLocation {
        switch DatabaseLocation.parse(text) {
        case .success(.sqliteMemory):
            throw ValidationError("\(option): an in-memory database cannot be copied from or to")
        case .success(let location):
            return location
        case .failure(let error):
            throw ValidationError("\(option): \(error)")
        }
    }

    /// Opens a store; a PostgreSQL store connects on its first use.
    private static func open(_ location: DatabaseLocation, role: String) throws -> any TrackingStore & StoreTransfer {
        switch location {
        case .sqliteFile(let path):
            do {
                return try SQLiteStore(path: path)
            } catch let error as LablogError {
                throw CopyFailure(message: "\(role) \(location): \(error.message)")
            }
        case .postgres(let postgres):
            // Connection trouble surfaces as the operation's error; the pool's own logs would repeat it.
            let logger = Logger(label: "lablog.copy", factory: { _ in SwiftLogNoOpLogHandler() })
            return PostgresStore(location: postgres, maximumConnections: 2, logger: logger)
        case .sqliteMemory:
            throw ValidationError("an in-memory database cannot be copied from or to")
        }
    }

    /// Prints one line for `error` on stderr and returns the exit code to throw.
    private static func failure(_ error: any Error) -> any Error {
        if error is ExitCode || error is ValidationError { return error }
        let message = (error as? CopyFailure)?.message ?? (error as? LablogError)?.message ?? "\(error)"
        FileHandle.standardError.write(Data("lablog copy: \(message)\n".utf8))
        return ExitCode.failure
    }
}

/// A failure already phrased for the user.
private struct CopyFailure: Error {
    var message: String
}

extension DatabaseLocation {
    /// Whether two locations name the same database: the same SQLite file (after resolving the path), or the same
    /// PostgreSQL server, database and schema.
    fileprivate func isSameDatabase(as other: DatabaseLocation) -> Bool {
        switch (self, other) {
        case (.sqliteFile(let left), .sqliteFile(let right)):
            return Self.canonicalPath(left) == Self.canonicalPath(right)
        case (.postgres(let left), .postgres(let right)):
            return left.host.lowercased() == right.host.lowercased() && left.port == right.port
                && left.database == right.database && (left.schema ?? "public") == (right.schema ?? "public")
        default:
            return false
        }
    }

    private static func canonicalPath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
