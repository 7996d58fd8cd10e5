import Foundation
import LablogCore
import LablogSQLite
import Logging
import PostgresNIO
import Testing

@testable import LablogPostgres

/// What only the shared backend has to prove: several processes on one database, migrations recorded in the
/// database, and failures of the server itself. Runs when `LABLOG_TEST_POSTGRES_URL` is set.
@Suite("PostgreSQL store", .enabled(if: Backend.postgresURL != nil, "LABLOG_TEST_POSTGRES_URL is not set"))
struct PostgresStoreTests {
    /// `count` stores on one fresh schema, as separate Lablog processes would be, the first one migrated.
    private func replicas(_ count: Int = 2, maxRunsPerExperiment: Int = 10_000) async throws -> [PostgresStore] {
        var location = try PostgresLocation(url: try #require(Backend.postgresURL))
        location.schema = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let clock = TestClock()
        let stores = (0..<count).map { _ in
            PostgresStore(
                location: location,
                environment: StoreEnvironment(
                    now: { clock.now() }, makeRunID: { RunID.random() }, maxRunsPerExperiment: maxRunsPerExperiment),
                maximumConnections: 4)
        }
        try await stores[0].migrate()
        return stores
    }

    @Test("migrations are recorded under the SQLite store's names; migrating again, from two processes, is a no-op")
    func migrations() async throws {
        let stores = try await replicas()
        async let first: Void = stores[0].migrate()
        async let second: Void = stores[1].migrate()
        _ = try await (first, second)
        #expect(try await stores[0].appliedMigrations() == PostgresStore.knownMigrations)
        #expect(PostgresStore.knownMigrations == SQLiteStore.knownMigrations)
        #expect(try await stores[1].experiment(id: 0).name == "Default")
    }

    @Test("histories stored one row per point before v4 read back the same from chunks")
    func convertsPointRows() async throws {
        var older = try PostgresLocation(url: try #require(Backend.postgresURL))
        older.schema = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let old = PostgresStore(location: older)
        try await old.migrate(steps: 3)
        let runID = String(repeating: "a", count: 32)
        try await execute(
            """
            INSERT INTO runs (id, uuid, experiment_id, name, status, start_time, lifecycle, artifact_uri, user_id)
            VALUES (1, '\(runID)', 0, 'old', 'FINISHED', 1, 'active', 'file:///tmp', 'me');
            INSERT INTO metric_keys (id, key) VALUES (1, 'loss');
            INSERT INTO latest_metrics VALUES (1, 1, 1249.5, 2499, 2509);
            INSERT INTO metric_points
            SELECT 1, 1, s, 10 + s, CASE WHEN s = 7 THEN 0 ELSE s / 2.0 END, s = 7 FROM generate_series(0, 2499) s;
            """, at: older)
        try await old.migrate()
        #expect(try await old.appliedMigrations() == PostgresStore.knownMigrations)
        let page = try await old.metricHistory(
            runID: try #require(RunID(runID)), key: "loss", HistoryQuery(limit: 10_000))
        #expect(page.items.count == 2_500)
        #expect(page.items.map(\.step) == (0..<2_500).map(Int64.init))
        #expect(page.items[7].value.isNaN && page.items[8].value == 4 && page.items[2_499].timestamp == 2_509)
    }

    @Test("a schema with migrations this build does not know is refused, naming them")
    func newerSchema() async throws {
        let stores = try await replicas()
        _ = try await stores[0].makeExperiment("keep")
        try await execute(
            "INSERT INTO schema_migrations (version) VALUES ('v99-from-the-future')", at: stores[0].location)
        let error = try await #require(throws: LablogError.self) { try await stores[1].migrate() }
        guard case .storageUnavailable(let message) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(message.contains("v99-from-the-future"))
        #expect(message.contains("upgrade Lablog"))
    }

    @Test("two processes creating the same experiment: exactly one wins, the other gets alreadyExists")
    func experimentNameRace() async throws {
        let stores = try await replicas()
        for round in 0..<10 {
            let name = "race-\(round)"
            let outcomes = await withTaskGroup(of: Result<Experiment, any Error>.self) { group in
                for store in stores + stores {
                    group.addTask { await outcome { try await store.createExperiment(NewExperiment(name: name)) } }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { (try? $0.get()) != nil }.count == 1)
            for case .failure(let error) in outcomes {
                #expect((error as? LablogError)?.code == "ALREADY_EXISTS")
            }
        }
    }

    @Test("two processes logging one param with different values: one value is stored, the other conflicts")
    func paramRace() async throws {
        let stores = try await replicas()
        let experiment = try await stores[0].makeExperiment()
        for round in 0..<10 {
            let run = try await stores[0].makeRun(in: experiment.id)
            let outcomes = await withTaskGroup(of: Result<String, any Error>.self) { group in
                for (index, store) in stores.enumerated() {
                    group.addTask {
                        await outcome {
                            let value = "value-\(index)"
                            try await store.logBatch(
                                runID: run.id, metrics: [], params: [KeyValue(key: "lr-\(round)", value: value)],
                                tags: [])
                            return value
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let winners = outcomes.compactMap { try? $0.get() }
            #expect(winners.count == 1)
            for case .failure(let error) in outcomes {
                #expect((error as? LablogError)?.code == "PARAM_CONFLICT")
            }
            let stored = try await stores[1].run(id: run.id).params
            #expect(stored == [KeyValue(key: "lr-\(round)", value: winners.first ?? "")])
        }
    }

    @Test("runs created at once from two processes never pass the experiment's maximum")
    func runLimitRace() async throws {
        let stores = try await replicas(maxRunsPerExperiment: 7)
        let experiment = try await stores[0].makeExperiment()
        let outcomes = await withTaskGroup(of: Result<Run, any Error>.self) { group in
            for index in 0..<30 {
                let store = stores[index % stores.count]
                group.addTask { await outcome { try await store.createRun(NewRun(experimentID: experiment.id)) } }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { (try? $0.get()) != nil }.count == 7)
        for case .failure(let error) in outcomes {
            #expect((error as? LablogError)?.code == "RUN_LIMIT_REACHED")
        }
        #expect(try await stores[1].experiment(id: experiment.id).runCount == 7)
        let page = try await stores[1].searchRuns(RunQuery(experimentIDs: [experiment.id], countTotal: true))
        #expect(page.totalCount == 7)
    }

    @Test("metric batches written through two processes at once are all stored, each point once")
    func concurrentBatches() async throws {
        let stores = try await replicas()
        let experiment = try await stores[0].makeExperiment()
        let run = try await stores[0].makeRun(in: experiment.id)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                let store = stores[writer % stores.count]
                group.addTask {
                    for batch in 0..<5 {
                        // Every batch is sent twice, as a client retrying after a timeout would.
                        let points = (0..<100).map { index -> MetricPoint in
                            let step = Int64(writer * 1_000 + batch * 100 + index)
                            return MetricPoint(key: "loss", value: Double(step), step: step, timestamp: 1)
                        }
                        try await store.logBatch(runID: run.id, metrics: points, params: [], tags: [])
                        try await store.logBatch(runID: run.id, metrics: points, params: [], tags: [])
                    }
                }
            }
            try await group.waitForAll()
        }
        let history = try await stores[1].metricHistory(runID: run.id, key: "loss", HistoryQuery(limit: 10_000))
        #expect(history.items.count == 8 * 5 * 100)
        #expect(Set(history.items.map(\.step)).count == 8 * 5 * 100)
        #expect(try await stores[1].run(id: run.id).latestMetrics.first?.step == 7_499)
    }

    @Test("a refused connection, a wrong password and a missing database fail naming the server and the cause")
    func unreachable() async throws {
        let base = try PostgresLocation(url: try #require(Backend.postgresURL))
        var refused = base
        refused.port = 1
        var wrongPassword = base
        wrongPassword.password = "not-the-password"
        var missingDatabase = base
        missingDatabase.database = "no_such_database"
        let cases = [(refused, "127.0.0.1:1"), (wrongPassword, "password"), (missingDatabase, "no_such_database")]
        for (location, expected) in cases {
            let store = PostgresStore(location: location, logger: quiet)
            let error = try await #require(throws: LablogError.self) { try await store.migrate() }
            guard case .storageUnavailable(let message) = error else {
                Issue.record("unexpected error \(error)")
                continue
            }
            #expect(message.contains(location.description))
            #expect(message.contains(expected))
            #expect(!message.contains("not-the-password"))
        }
    }

    @Test("with the server gone, operations fail with storageUnavailable within the wait, then at once")
    func serverGone() async throws {
        var location = try PostgresLocation(url: try #require(Backend.postgresURL))
        location.port = 1
        let store = PostgresStore(location: location, logger: quiet)
        let clock = ContinuousClock()
        for attempt in 0..<3 {
            let started = clock.now
            let error = try await #require(throws: LablogError.self) { try await store.checkHealth() }
            let elapsed = clock.now - started
            #expect(error.code == "STORAGE_UNAVAILABLE")
            #expect(error.message.contains("127.0.0.1:1"))
            #expect(error.message.contains("Connection refused"))
            // The first request waits for the pool until the store's own connection attempt finds the server
            // gone (about two seconds on an idle machine): the pool alone would answer only after a minute, with
            // a message naming no cause. Later requests learn from that attempt at once.
            if attempt > 0 { #expect(elapsed < .seconds(5)) }
        }
    }

    @Test("a burst of new runs refreshes the planner's statistics without waiting for autovacuum")
    func statisticsFollowBursts() async throws {
        let store = try await replicas(1)[0]
        // Autovacuum off for these tables, so only the store's own upkeep can analyze them.
        try await execute(
            PostgresStore.searchedTables.split(separator: ",").map {
                "ALTER TABLE \($0.trimmingCharacters(in: .whitespaces)) SET (autovacuum_enabled = false);\n"
            }.joined(), at: store.location)
        let experiment = try await store.makeExperiment()
        for _ in 0..<(StatisticsUpkeep.minimumGrowth - 1) { _ = try await store.makeRun(in: experiment.id) }
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await analyzedRuns(store) == -1, "analyzed before the burst was big enough")
        _ = try await store.makeRun(in: experiment.id)
        var analyzed: Int64 = -1
        for _ in 0..<100 where analyzed < 0 {
            try await Task.sleep(for: .milliseconds(100))
            analyzed = try await analyzedRuns(store)
        }
        #expect(analyzed == Int64(StatisticsUpkeep.minimumGrowth))
    }

    /// The number of runs PostgreSQL's statistics record, -1 before the first analysis.
    private func analyzedRuns(_ store: PostgresStore) async throws -> Int64 {
        try await store.read { session in
            try await session.first("SELECT reltuples::bigint FROM pg_class WHERE oid = 'runs'::regclass")?
                .decode(Int64.self) ?? -2
        }
    }

    @Test("statistics are refreshed each time the runs created reach the number last analyzed")
    func statisticsThresholds() {
        let upkeep = StatisticsUpkeep()
        #expect(!upkeep.noteCreated(999))
        #expect(upkeep.noteCreated(1))
        #expect(!upkeep.noteCreated(5_000), "one analysis at a time")
        upkeep.analyzed(runs: 6_000)
        #expect(!upkeep.noteCreated(5_999))
        #expect(upkeep.noteCreated(1))
        upkeep.analyzed(runs: nil)
        #expect(upkeep.noteCreated(1), "a failed analysis is retried with the next run")
        upkeep.analyzed(runs: 10)
        #expect(!upkeep.noteCreated(999))
        #expect(upkeep.noteCreated(1), "never fewer than 1,000 runs apart")
    }

    /// Runs the statements of `sql` (each ending with a semicolon at the end of a line) on its own connection to
    /// the schema at `location`, as another tool would.
    private func execute(_ sql: String, at location: PostgresLocation) async throws {
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.username, password: location.password,
            database: location.database, tls: .disable)
        configuration.options.additionalStartupParameters = location.schema.map { [("search_path", $0)] } ?? []
        let logger = Logger(label: "test")
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            for statement in sql.components(separatedBy: ";\n") where !statement.allSatisfy(\.isWhitespace) {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}

/// The result of `body`, success or failure.
private func outcome<T>(_ body: () async throws -> T) async -> Result<T, any Error> {
    do {
        return .success(try await body())
    } catch {
        return .failure(error)
    }
}

/// A logger that drops everything: the pool's retries against a server that is away are expected here.
private let quiet = Logger(label: "lablog.test", factory: { _ in SwiftLogNoOpLogHandler() })
