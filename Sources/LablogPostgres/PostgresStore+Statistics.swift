import LablogCore
import Logging
import PostgresNIO
import Synchronization

/// Keeps PostgreSQL's planner statistics in step with bursts of new runs.
///
/// Search plans depend on the statistics of runs, params, tags and latest metrics. Autovacuum refreshes them
/// once a table has grown by a tenth, but only when its next round comes (a minute by default), so after a bulk
/// load (a sweep starting thousands of runs, `lablog copy`) the planner can spend several minutes planning for
/// an empty table: nested loops over every run, hundreds of milliseconds a search. So each process counts the
/// runs it creates and analyzes those tables in the background whenever it has created as many runs as the
/// table held at its previous analysis (at least ``minimumGrowth``): a handful of analyses while a database
/// grows from nothing to a million runs, none in a steady state.
final class StatisticsUpkeep: Sendable {
    /// The fewest new runs worth an analysis.
    static let minimumGrowth = 1_000

    private struct State {
        var created = 0
        var threshold = StatisticsUpkeep.minimumGrowth
        var analyzing = false
    }

    private let state = Mutex(State())

    /// Counts `count` new runs; true when the caller should analyze now (it then calls ``analyzed(runs:)``).
    func noteCreated(_ count: Int) -> Bool {
        state.withLock { state in
            state.created += count
            guard !state.analyzing, state.created >= state.threshold else { return false }
            state.analyzing = true
            return true
        }
    }

    /// Records an analysis that found `runs` runs (nil when it failed: the next new run tries again).
    func analyzed(runs: Int?) {
        state.withLock { state in
            state.analyzing = false
            guard let runs else { return }
            state.created = 0
            state.threshold = max(Self.minimumGrowth, runs)
        }
    }
}

extension PostgresStore {
    /// The tables whose statistics search plans read.
    static let searchedTables = "runs, params, run_tags, latest_metrics, experiment_keys"

    /// Counts new runs and, when they are enough, analyzes the searched tables in the background.
    func noteRunsCreated(_ count: Int) {
        guard statistics.noteCreated(count) else { return }
        Task { await analyzeSearchedTables() }
    }

    /// Analyzes the searched tables now, as after a bulk import; failures are logged, not thrown (the next
    /// burst of runs retries).
    public func analyzeSearchedTables() async {
        do {
            let runs = try await read { session in
                try await session.execute("ANALYZE \(unescaped: Self.searchedTables)")
                return try await session.first("SELECT reltuples::bigint FROM pg_class WHERE oid = 'runs'::regclass")?
                    .decode(Int64.self)
            }
            statistics.analyzed(runs: Int(max(0, runs ?? 0)))
            logger.debug("analyzed \(Self.searchedTables)", metadata: ["runs": "\(runs ?? 0)"])
        } catch {
            statistics.analyzed(runs: nil)
            logger.warning("could not analyze \(Self.searchedTables): \(error)")
        }
    }
}
