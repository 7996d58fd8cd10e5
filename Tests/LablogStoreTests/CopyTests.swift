import LablogCore
import LablogPostgres
import Synchronization
import Testing

/// Copies between backends through ``StoreCopier``: everything arrives, an interrupted copy resumes without
/// redoing what is complete, and a target holding other data is refused.
// Serialized, and PostgreSQL stores are shut down at the end of each test: the contract suites running beside
// this one use most of the test server's connections.
@Suite("Copy between backends", .serialized, .timeLimit(.minutes(5)))
struct CopyTests {
    @Test("SQLite -> SQLite carries everything: equal counts, checksums and reads")
    func sqliteToSQLite() async throws {
        let source = try await Self.store(.sqliteFile)
        let longRun = try await CopyFixtures.populate(source)
        let target = try await Self.store(.sqliteFile)
        let result = try await StoreCopier(from: source, to: target).copy()
        #expect(result.runsWritten == result.runsTotal)
        try await Self.expectSameContent(source, target, longRun: longRun)
    }

    @Test(
        "SQLite -> PostgreSQL -> SQLite gives back the same content",
        .enabled(if: Backend.postgresURL != nil, "LABLOG_TEST_POSTGRES_URL is not set"))
    func roundTripThroughPostgres() async throws {
        let source = try await Self.store(.sqliteFile)
        let longRun = try await CopyFixtures.populate(source)
        let postgres = try await Self.store(.postgres)
        try await StoreCopier(from: source, to: postgres).copy()
        try await Self.expectSameContent(source, postgres, longRun: longRun)
        let back = try await Self.store(.sqliteFile)
        try await StoreCopier(from: postgres, to: back).copy()
        try await Self.expectSameContent(source, back, longRun: longRun)
        // The copy keeps experiment ids, so new experiments on PostgreSQL must be numbered after them.
        let fresh = try await postgres.createExperiment(NewExperiment(name: "after the copy"))
        let highest = try await source.exportExperiments(after: nil, limit: 100).map(\.id).max() ?? 0
        #expect(fresh.id > highest)
        await Self.release(postgres)
    }

    @Test(
        "an interrupted copy, run again, finishes without duplicating or redoing what was complete",
        arguments: Backend.allCases.filter { $0 != .sqliteMemory })
    func resume(target backend: Backend) async throws {
        let source = try await Self.store(.sqliteFile)
        let longRun = try await CopyFixtures.populate(source)
        let target = try await Self.store(backend)
        var options = StoreCopier.Options()
        options.runsPerBatch = 3
        options.chunksPerBatch = 8
        let copier = StoreCopier(from: source, to: target, options: options)
        // Interrupted after a few batches of the long history, as a killed process would be.
        let reports = Mutex(0)
        let interrupted = await #expect(throws: Interruption.self) {
            try await copier.copy { progress in
                let count = reports.withLock { count in
                    count += 1
                    return count
                }
                if progress.phase == .runs, progress.pointsWritten > 20_000, count > 3 { throw Interruption() }
            }
        }
        #expect(interrupted != nil)
        let partial = try await target.transferCounts()
        let total = try await source.transferCounts()
        #expect(partial.points > 0 && partial.points < total.points)

        let resumed = try await copier.copy()
        #expect(resumed.pointsWritten < total.points, "the points copied before the interruption are kept")
        #expect(resumed.runsWritten < total.runs, "complete runs are skipped")
        try await Self.expectSameContent(source, target, longRun: longRun)

        let again = try await copier.copy()
        #expect(again.runsWritten == 0)
        #expect(again.pointsWritten == 0)
        #expect(try await target.transferCounts() == total)
        await Self.release(target)
    }

    @Test("a target holding other data is refused and left as it was", arguments: Backend.allCases)
    func refusal(target backend: Backend) async throws {
        let source = try await Self.store(.sqliteMemory)
        try await CopyFixtures.populate(source)

        let unrelated = try await Self.store(backend)
        _ = try await unrelated.createExperiment(NewExperiment(name: "someone else's"))
        let before = try await unrelated.transferCounts()
        let error = await #expect(throws: LablogError.self) {
            try await StoreCopier(from: source, to: unrelated).copy()
        }
        #expect(error?.message.contains("not an earlier copy of the source") == true, "\(String(describing: error))")
        #expect(try await unrelated.transferCounts() == before)

        // An earlier copy that was written to afterwards is not a copy any more.
        // Its own run ids start where the source's do not.
        let clock = TestClock()
        for _ in 0..<1_000 { _ = clock.nextRunID() }
        let diverged = try #require(try await backend.makeStore(clock: clock) as? any TrackingStore & StoreTransfer)
        try await StoreCopier(from: source, to: diverged).copy()
        _ = try await diverged.createRun(NewRun(experimentID: 0, name: "written to the copy"))
        await #expect(throws: LablogError.self) {
            try await StoreCopier(from: source, to: diverged).copy()
        }
        await Self.release(unrelated, diverged)
    }

    @Test("an empty source copies to an empty target")
    func emptySource() async throws {
        let source = try await Self.store(.sqliteMemory)
        let target = try await Self.store(.sqliteMemory)
        let result = try await StoreCopier(from: source, to: target).copy()
        #expect(result.runsTotal == 0)
        #expect(try await target.transferCounts() == source.transferCounts())
    }

    // MARK: Helpers

    private struct Interruption: Error {}

    /// Closes the connections of PostgreSQL stores.
    private static func release(_ stores: any StoreTransfer...) async {
        for store in stores {
            await (store as? PostgresStore)?.shutdown()
        }
    }

    private static func store(_ backend: Backend) async throws -> any TrackingStore & StoreTransfer {
        let store = try await backend.makeStore()
        return try #require(store as? any TrackingStore & StoreTransfer)
    }

    /// Both stores hold the same records (counts and a checksum of all content) and answer reads the same.
    private static func expectSameContent(
        _ source: any TrackingStore & StoreTransfer, _ target: any TrackingStore & StoreTransfer, longRun: RunID
    ) async throws {
        let counts = try await source.transferCounts()
        #expect(try await target.transferCounts() == counts)
        // The long history, two of 3,000 + 2 points (one with the point logged at creation) and a single point.
        #expect(counts.points == 50_000 + 3_003 + 3_002 + 1)
        #expect(counts.runs == 9)
        #expect(try await CopyFixtures.checksum(target) == CopyFixtures.checksum(source))

        // Ids are kept, tag ids included. Runs compare as text: a NaN latest value is unequal to itself.
        for run in try await source.exportRuns(after: nil, limit: 100) {
            let id = try RunID(validating: run.id)
            #expect("\(try await target.run(id: id))" == "\(try await source.run(id: id))")
        }
        for experiment in try await source.exportExperiments(after: nil, limit: 100) {
            #expect(try await target.experiment(id: experiment.id) == source.experiment(id: experiment.id))
        }
        let history = try await Self.history(target, runID: longRun)
        #expect(history.count == CopyFixtures.longLength)
        #expect(history.elementsEqual(try await Self.history(source, runID: longRun)) { Self.same($0, $1) })
        #expect(history.contains { $0.value.isNaN } && history.contains { $0.value == .infinity })
        #expect(try await target.runColumns(experimentIDs: []) == source.runColumns(experimentIDs: []))
    }

    private static func history(_ store: any TrackingStore, runID: RunID) async throws -> [MetricPoint] {
        var points: [MetricPoint] = []
        var cursor: String?
        repeat {
            let page = try await store.metricHistory(
                runID: runID, key: CopyFixtures.longKey, HistoryQuery(limit: 10_000, cursor: cursor))
            points += page.items
            cursor = page.nextCursor
        } while cursor != nil
        return points
    }

    private static func same(_ left: MetricPoint, _ right: MetricPoint) -> Bool {
        left.step == right.step && left.timestamp == right.timestamp
            && (left.value == right.value || (left.value.isNaN && right.value.isNaN))
    }
}
