import Foundation
import LablogCore
import LablogPostgres
import LablogSQLite
import Synchronization
import Testing

/// The backends every contract test runs against: SQLite always, PostgreSQL when `LABLOG_TEST_POSTGRES_URL`
/// names a database (`scripts/postgres-env start` makes one).
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqliteMemory = "SQLite in memory"
    case sqliteFile = "SQLite file"
    case postgres = "PostgreSQL"

    static var allCases: [Backend] {
        postgresURL == nil ? [.sqliteMemory, .sqliteFile] : [.sqliteMemory, .sqliteFile, .postgres]
    }

    /// The PostgreSQL database the tests may use, each test in a schema of its own.
    static let postgresURL: String? = ProcessInfo.processInfo.environment["LABLOG_TEST_POSTGRES_URL"].flatMap {
        $0.isEmpty ? nil : $0
    }

    var testDescription: String { rawValue }

    /// A fresh, migrated store with a pinned clock and sequential run ids.
    func makeStore(maxRunsPerExperiment: Int = 10_000, clock: TestClock = TestClock()) async throws
        -> any TrackingStore
    {
        let environment = StoreEnvironment(
            now: { clock.now() }, makeRunID: { clock.nextRunID() }, maxRunsPerExperiment: maxRunsPerExperiment)
        let store: any TrackingStore
        switch self {
        case .sqliteMemory:
            store = try SQLiteStore.inMemory(environment: environment)
        case .sqliteFile:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lablog-store-\(UUID())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            store = try SQLiteStore(path: folder.appendingPathComponent("test.db").path, environment: environment)
        case .postgres:
            let url = try #require(Self.postgresURL, "LABLOG_TEST_POSTGRES_URL is not set")
            var location = try PostgresLocation(url: url)
            // A fresh schema per test: tests running side by side never see each other's data.
            location.schema = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            store = PostgresStore(location: location, environment: environment, maximumConnections: 2)
        }
        try await store.migrate()
        return store
    }
}

/// A clock that advances one millisecond per reading, and a run id counter, so tests are deterministic.
final class TestClock: Sendable {
    private let state = Mutex(State())

    private struct State {
        var time: Int64 = 1_700_000_000_000
        var runs: UInt64 = 0
    }

    func now() -> Int64 {
        state.withLock { state in
            state.time += 1
            return state.time
        }
    }

    func nextRunID() -> RunID {
        state.withLock { state in
            state.runs += 1
            let digits = String(state.runs, radix: 16)
            return RunID(String(repeating: "0", count: 32 - digits.count) + digits)!
        }
    }
}

extension TrackingStore {
    /// Creates an experiment named `name` with defaults.
    func makeExperiment(_ name: String = "exp-\(UUID().uuidString.prefix(8))") async throws -> Experiment {
        try await createExperiment(NewExperiment(name: name))
    }

    /// Creates a run in `experiment` with the given params and latest metrics.
    func makeRun(
        in experiment: ExperimentID, name: String? = nil, params: [String: String] = [:],
        metrics: [String: Double] = [:], tags: [String: String] = [:]
    ) async throws -> Run {
        try await createRun(
            NewRun(
                experimentID: experiment, name: name,
                params: params.sorted { $0.key < $1.key }.map { KeyValue(key: $0.key, value: $0.value) },
                tags: tags.sorted { $0.key < $1.key }.map { KeyValue(key: $0.key, value: $0.value) },
                metrics: metrics.sorted { $0.key < $1.key }.map {
                    MetricPoint(key: $0.key, value: $0.value, step: 0, timestamp: 1)
                }))
    }
}

/// The value of `key` in `pairs`.
func value(of key: String, in pairs: [KeyValue]) -> String? {
    pairs.first { $0.key == key }?.value
}
