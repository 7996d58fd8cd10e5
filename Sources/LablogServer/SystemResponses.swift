import Hummingbird
import LablogCore

/// `{"status": "ok"}`.
struct HealthResponse: ResponseEncodable, Equatable {
    var status: String
}

/// What `POST /api/seed` created.
struct SeedResponse: ResponseEncodable, Equatable {
    var experimentsCreated: Int
    var runsCreated: Int

    init(_ summary: DemoData.Summary) {
        experimentsCreated = summary.experimentsCreated
        runsCreated = summary.runsCreated
    }

    enum CodingKeys: String, CodingKey {
        case experimentsCreated = "experiments_created"
        case runsCreated = "runs_created"
    }
}

/// The wire shape of ``DashboardData``: snake_case keys, every known status present (zero when unused).
struct DashboardResponse: ResponseEncodable {
    struct Day: Encodable {
        var day: String
        var count: Int
    }

    struct Best: Encodable {
        var experimentID: ExperimentID
        var experimentName: String
        var runID: String
        var runName: String
        var value: Double

        enum CodingKeys: String, CodingKey {
            case experimentID = "experiment_id"
            case experimentName = "experiment_name"
            case runID = "run_id"
            case runName = "run_name"
            case value
        }
    }

    var experimentsByStatus: [String: Int]
    var runsByStatus: [String: Int]
    var runsPerDay: [Day]
    var bestRuns: [Best]
    var totalExperiments: Int
    var totalRuns: Int

    init(_ data: DashboardData) {
        let noExperiments = Dictionary(uniqueKeysWithValues: ExperimentStatus.allCases.map { ($0.rawValue, 0) })
        let noRuns = Dictionary(uniqueKeysWithValues: RunStatus.allCases.map { ($0.rawValue, 0) })
        experimentsByStatus = noExperiments.merging(data.experimentsByStatus) { $1 }
        runsByStatus = noRuns.merging(data.runsByStatus) { $1 }
        runsPerDay = data.runsPerDay.map { Day(day: $0.day, count: $0.count) }
        bestRuns = data.bestRuns.map {
            Best(
                experimentID: $0.experimentID, experimentName: $0.experimentName, runID: $0.runID.rawValue,
                runName: $0.runName, value: $0.value)
        }
        totalExperiments = data.totalExperiments
        totalRuns = data.totalRuns
    }

    enum CodingKeys: String, CodingKey {
        case experimentsByStatus = "experiments_by_status"
        case runsByStatus = "runs_by_status"
        case runsPerDay = "runs_per_day"
        case bestRuns = "best_runs"
        case totalExperiments = "total_experiments"
        case totalRuns = "total_runs"
    }
}
