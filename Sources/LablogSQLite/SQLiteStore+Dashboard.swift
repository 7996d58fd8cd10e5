import GRDB
import LablogCore

extension SQLiteStore {
    public func dashboard(metric: String, goal: MetricGoal) async throws -> DashboardData {
        let direction = goal == .max ? "DESC" : "ASC"
        return try await perform {
            try await writer.read { db in
                var experimentsByStatus: [String: Int] = [:]
                for row in try Row.fetchAll(
                    db, sql: "SELECT status, count(*) FROM experiments WHERE lifecycle = 'active' GROUP BY status")
                {
                    experimentsByStatus[row[0]] = row[1]
                }
                var runsByStatus: [String: Int] = [:]
                for row in try Row.fetchAll(
                    db, sql: "SELECT status, count(*) FROM runs WHERE lifecycle = 'active' GROUP BY status")
                {
                    runsByStatus[row[0]] = row[1]
                }
                let runsPerDay = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT * FROM (
                            SELECT date(start_time / 1000, 'unixepoch') AS day, count(*) FROM runs
                            WHERE lifecycle = 'active' GROUP BY day ORDER BY day DESC LIMIT 366
                        ) ORDER BY day
                        """
                ).map { DayCount(day: $0[0], count: $0[1]) }
                let bestRuns = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT e.id, e.name, b.uuid, b.name, b.value FROM (
                            SELECT r.experiment_id, r.uuid, r.name, l.value,
                                   row_number() OVER (PARTITION BY r.experiment_id
                                                      ORDER BY l.value \(direction), r.start_time, r.id) AS rank
                            FROM latest_metrics l JOIN runs r ON r.id = l.run_id
                            WHERE l.key_id = (SELECT id FROM metric_keys WHERE key = ?)
                              AND l.value IS NOT NULL AND r.lifecycle = 'active'
                        ) b JOIN experiments e ON e.id = b.experiment_id
                        WHERE b.rank = 1 AND e.lifecycle = 'active'
                        ORDER BY b.value \(direction), e.id LIMIT 100
                        """,
                    arguments: [metric]
                ).compactMap { row -> BestRun? in
                    guard let id = RunID(row[2] as String) else { return nil }
                    return BestRun(
                        experimentID: row[0], experimentName: row[1], runID: id, runName: row[3], value: row[4])
                }
                return DashboardData(
                    experimentsByStatus: experimentsByStatus, runsByStatus: runsByStatus, runsPerDay: runsPerDay,
                    bestRuns: bestRuns)
            }
        }
    }
}
