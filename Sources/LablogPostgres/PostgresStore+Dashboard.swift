import LablogCore
import PostgresNIO

extension PostgresStore {
    public func dashboard(metric: String, goal: MetricGoal) async throws -> DashboardData {
        let direction = goal == .max ? "DESC" : "ASC"
        return try await read { session in
            var experimentsByStatus: [String: Int] = [:]
            let experiments = try await session.rows(
                "SELECT status, count(*) FROM experiments WHERE lifecycle = 'active' GROUP BY status")
            for try await (status, count) in experiments.decode((String, Int).self) {
                experimentsByStatus[status] = count
            }
            var runsByStatus: [String: Int] = [:]
            let runs = try await session.rows(
                "SELECT status, count(*) FROM runs WHERE lifecycle = 'active' GROUP BY status")
            for try await (status, count) in runs.decode((String, Int).self) {
                runsByStatus[status] = count
            }
            var runsPerDay: [DayCount] = []
            let days = try await session.rows(
                """
                SELECT day, n FROM (
                    SELECT to_char(to_timestamp(start_time / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
                           count(*) AS n
                    FROM runs WHERE lifecycle = 'active' GROUP BY day ORDER BY day DESC LIMIT 366
                ) d ORDER BY day
                """)
            for try await (day, count) in days.decode((String, Int).self) {
                runsPerDay.append(DayCount(day: day, count: count))
            }
            var bestRuns: [BestRun] = []
            var sql = SQLBuilder()
            let key = sql.bind(metric)
            let text = """
                SELECT e.id, e.name, b.uuid, b.name, b.value FROM (
                    SELECT r.experiment_id, r.uuid, r.name, l.value,
                           row_number() OVER (PARTITION BY r.experiment_id
                                              ORDER BY l.value \(direction), r.start_time, r.id) AS rank
                    FROM latest_metrics l JOIN runs r ON r.id = l.run_id
                    WHERE l.key_id = (SELECT id FROM metric_keys WHERE key = \(key))
                      AND l.value IS NOT NULL AND r.lifecycle = 'active'
                ) b JOIN experiments e ON e.id = b.experiment_id
                WHERE b.rank = 1 AND e.lifecycle = 'active'
                ORDER BY b.value \(direction), e.id LIMIT 100
                """
            let best = try await session.rows(sql.query(text))
            for try await (experimentID, experimentName, uuid, runName, value) in best.decode(
                (Int64, String, String, String, Double).self)
            {
                guard let runID = RunID(uuid) else { continue }
                bestRuns.append(
                    BestRun(
                        experimentID: experimentID, experimentName: experimentName, runID: runID, runName: runName,
                        value: value))
            }
            return DashboardData(
                experimentsByStatus: experimentsByStatus, runsByStatus: runsByStatus, runsPerDay: runsPerDay,
                bestRuns: bestRuns)
        }
    }
}
