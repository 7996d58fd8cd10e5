import Foundation
import HTTPTypes
import HummingbirdTesting
import LablogCore
import LablogServer
import Testing

@Suite("System routes: health, dashboard data, seeding")
struct SystemRoutesTests {
    @Test("GET /api/health answers ok after a database check")
    func healthy() async throws {
        try await withTestApp { client, _ in
            let response = try await client.send(.get, "/api/health")
            #expect(response.status == .ok)
            #expect(try response.canonicalBody() == canonicalJSON(#"{"status": "ok"}"#))
            #expect(response.header("Content-Type")?.hasPrefix("application/json") == true)
            #expect(response.header("X-Request-ID")?.isEmpty == false)
        }
    }

    @Test("GET /api/health answers 503 in the error format when the database check fails")
    func unhealthy() async throws {
        try await withTestApp(store: try UnhealthyStore()) { client, _ in
            let response = try await client.send(.get, "/api/health")
            #expect(response.status == .serviceUnavailable)
            let expected = #"{"error": "The database is unavailable: disk I/O error", "code": "STORAGE_UNAVAILABLE"}"#
            #expect(try response.canonicalBody() == canonicalJSON(expected))
        }
    }

    @Test("A health check failing with a foreign error is still a 503")
    func unhealthyForeignError() async throws {
        struct DriverError: Error {}
        try await withTestApp(store: try UnhealthyStore(failure: DriverError())) { client, _ in
            let response = try await client.send(.get, "/api/health")
            #expect(response.status == .serviceUnavailable)
            #expect(try response.jsonObject()["code"] as? String == "STORAGE_UNAVAILABLE")
        }
    }

    @Test("GET /api/dashboard/data on a fresh database")
    func dashboardEmpty() async throws {
        try await withTestApp { client, _ in
            let response = try await client.send(.get, "/api/dashboard/data")
            #expect(response.status == .ok)
            // The Default experiment (id 0) exists in every database.
            let expected = """
                {"experiments_by_status": {"running": 1, "completed": 0, "failed": 0},
                 "runs_by_status": {"RUNNING": 0, "SCHEDULED": 0, "FINISHED": 0, "FAILED": 0, "KILLED": 0},
                 "runs_per_day": [], "best_runs": [], "total_experiments": 1, "total_runs": 0}
                """
            #expect(try response.canonicalBody() == canonicalJSON(expected))
        }
    }

    @Test("GET /api/dashboard/data counts by status and day and finds the best run per experiment")
    func dashboardData() async throws {
        try await withTestApp { client, store in
            let day1: Int64 = 1_704_067_200_000  // 2024-01-01T00:00:00Z
            let day2 = day1 + 86_400_000
            let vision = try await store.createExperiment(NewExperiment(name: "vision"))
            let nlp = try await store.createExperiment(NewExperiment(name: "nlp", status: .completed))
            func run(_ experiment: Experiment, _ name: String, accuracy: Double, start: Int64) async throws -> Run {
                try await store.createRun(
                    NewRun(
                        experimentID: experiment.id, name: name, startTime: start,
                        metrics: [MetricPoint(key: "accuracy", value: accuracy, step: 0, timestamp: start)]))
            }
            _ = try await run(vision, "weak", accuracy: 0.5, start: day1)
            let strong = try await run(vision, "strong", accuracy: 0.9, start: day1 + 1000)
            let only = try await run(nlp, "only", accuracy: 0.7, start: day2)
            _ = try await store.updateRun(id: only.id, RunUpdate(status: .finished))

            let best = try await client.send(.get, "/api/dashboard/data")
            #expect(best.status == .ok)
            let expected = """
                {"experiments_by_status": {"running": 2, "completed": 1, "failed": 0},
                 "runs_by_status": {"RUNNING": 2, "SCHEDULED": 0, "FINISHED": 1, "FAILED": 0, "KILLED": 0},
                 "runs_per_day": [{"day": "2024-01-01", "count": 2}, {"day": "2024-01-02", "count": 1}],
                 "best_runs": [
                   {"experiment_id": \(vision.id), "experiment_name": "vision", "run_id": "\(strong.id)",
                    "run_name": "strong", "value": 0.9},
                   {"experiment_id": \(nlp.id), "experiment_name": "nlp", "run_id": "\(only.id)",
                    "run_name": "only", "value": 0.7}],
                 "total_experiments": 3, "total_runs": 3}
                """
            #expect(try best.canonicalBody() == canonicalJSON(expected))

            let worst = try await client.send(.get, "/api/dashboard/data?metric=accuracy&goal=MIN")
            let bestRuns = try #require(try worst.jsonObject()["best_runs"] as? [[String: Any]])
            #expect(bestRuns.compactMap { $0["run_name"] as? String } == ["weak", "only"])

            let unknownMetric = try await client.send(.get, "/api/dashboard/data?metric=loss")
            #expect(try unknownMetric.jsonObject()["best_runs"] as? [Any] != nil)
            #expect((try unknownMetric.jsonObject()["best_runs"] as? [Any])?.isEmpty == true)
        }
    }

    @Test(
        "GET /api/dashboard/data refuses bad parameters with 400",
        arguments: [
            ("/api/dashboard/data?goal=biggest", "Query parameter 'goal' must be 'max' or 'min', not 'biggest'"),
            ("/api/dashboard/data?metric=", "Query parameter 'metric' must be a metric key of 1 to 250 characters"),
        ])
    func dashboardBadParameters(uri: String, message: String) async throws {
        try await withTestApp { client, _ in
            let response = try await client.send(.get, uri)
            #expect(response.status == .badRequest)
            let expected = try canonicalJSON(
                String(
                    data: JSONSerialization.data(withJSONObject: ["error": message, "code": "BAD_REQUEST"]),
                    encoding: .utf8)!)
            #expect(try response.canonicalBody() == expected)
        }
    }

    @Test("POST /api/seed is forbidden unless seeding is enabled")
    func seedForbidden() async throws {
        try await withTestApp(configuration: ServerConfiguration(port: 0)) { client, store in
            let response = try await client.send(.post, "/api/seed")
            #expect(response.status == .forbidden)
            let expected = """
                {"error": "Seeding is disabled; enable it with --enable-seed, SEED_ON_STARTUP=true or DEBUG=true",
                 "code": "FORBIDDEN"}
                """
            #expect(try response.canonicalBody() == canonicalJSON(expected))
            #expect(try await store.listExperiments(ExperimentQuery()).items.count == 1)
        }
    }

    @Test("POST /api/seed creates the demo data once; a second call creates nothing")
    func seedIdempotent() async throws {
        try await withTestApp { client, store in
            let first = try await client.send(.post, "/api/seed")
            #expect(first.status == .ok)
            #expect(try first.canonicalBody() == canonicalJSON(#"{"experiments_created": 4, "runs_created": 12}"#))

            let second = try await client.send(.post, "/api/seed")
            #expect(second.status == .ok)
            #expect(try second.canonicalBody() == canonicalJSON(#"{"experiments_created": 0, "runs_created": 0}"#))

            let experiments = try await store.listExperiments(ExperimentQuery(limit: 100)).items
            let names = Set(experiments.map(\.name))
            #expect(names == ["Default", "mnist-cnn-baseline", "cifar10-resnet18", "imdb-sentiment-lstm", "churn-mlp"])
            let runs = try await store.searchRuns(RunQuery(limit: 100)).items
            #expect(runs.count == 12)
            let run = try #require(runs.first { $0.name == "cnn-adam-lr0.001" })
            #expect(run.params.map(\.key) == ["batch_size", "lr", "optimizer"])
            #expect(run.status == .finished && run.endTime != nil)
            #expect(Set(run.latestMetrics.map(\.key)) == ["accuracy", "loss"])
            #expect(run.latestMetrics.allSatisfy { $0.step == Int64(DemoData.steps - 1) })
            let history = try await store.metricHistory(runID: run.id, key: "loss", HistoryQuery())
            #expect(history.items.count == DemoData.steps)
        }
    }

    @Test("SEED_ON_STARTUP seeds before the first request")
    func seedOnStartup() async throws {
        let configuration = ServerConfiguration(port: 0, seedEnabled: true, seedOnStartup: true)
        try await withTestApp(configuration: configuration) { client, store in
            #expect(try await store.experiment(named: "mnist-cnn-baseline") != nil)
            let again = try await client.send(.post, "/api/seed")
            #expect(try again.canonicalBody() == canonicalJSON(#"{"experiments_created": 0, "runs_created": 0}"#))
        }
    }
}
