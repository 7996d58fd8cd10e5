/// One page of a list, with the opaque cursor of the next page.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    /// The cursor to pass for the next page; nil on the last page.
    public var nextCursor: String?
    /// The number of matching items across all pages, when the store counted them.
    public var totalCount: Int?

    /// Makes a page.
    public init(items: [Item], nextCursor: String?, totalCount: Int? = nil) {
        self.items = items
        self.nextCursor = nextCursor
        self.totalCount = totalCount
    }
}

/// Which lifecycle states a list includes.
public enum LifecycleFilter: String, Sendable, Equatable, CaseIterable {
    case active, deleted, all
}

/// The orders an experiment list can be sorted in.
public enum ExperimentSort: String, Sendable, Equatable, CaseIterable {
    case name
    case createdAt = "created_at"
    case updatedAt = "updated_at"
}

/// A query over experiments.
public struct ExperimentQuery: Sendable, Equatable {
    /// A case-insensitive substring of the name.
    public var nameContains: String?
    public var status: ExperimentStatus?
    /// Tags that must be present: a key alone, or a key with a value.
    public var tags: [TagFilter]
    public var lifecycle: LifecycleFilter
    /// An experiment filter (MLflow's search-experiments grammar: `tags.*` and experiment attributes).
    public var filter: FilterExpression?
    public var sort: ExperimentSort
    public var ascending: Bool
    /// An explicit order on experiment attributes; when non-empty it replaces `sort` and `ascending`, and the
    /// store appends `creation_time DESC, experiment_id ASC` as tie-breakers.
    public var orderBy: [OrderKey]
    public var limit: Int
    public var cursor: String?

    /// Makes a query; the default lists active experiments, newest first, 100 a page.
    public init(
        nameContains: String? = nil, status: ExperimentStatus? = nil, tags: [TagFilter] = [],
        lifecycle: LifecycleFilter = .active, filter: FilterExpression? = nil, sort: ExperimentSort = .createdAt,
        ascending: Bool = false, orderBy: [OrderKey] = [], limit: Int = 100, cursor: String? = nil
    ) {
        self.nameContains = nameContains
        self.status = status
        self.tags = tags
        self.lifecycle = lifecycle
        self.filter = filter
        self.sort = sort
        self.ascending = ascending
        self.orderBy = orderBy
        self.limit = limit
        self.cursor = cursor
    }
}

/// A tag condition of an experiment list: `key` alone, or `key:value`.
public struct TagFilter: Sendable, Equatable {
    public var key: String
    public var value: String?

    /// Parses `key` or `key:value`.
    public init(parsing text: String) {
        if let colon = text.firstIndex(of: ":") {
            key = String(text[..<colon])
            value = String(text[text.index(after: colon)...])
        } else {
            key = text
            value = nil
        }
    }

    /// Makes a tag condition.
    public init(key: String, value: String?) {
        self.key = key
        self.value = value
    }
}

/// A query over runs.
public struct RunQuery: Sendable, Equatable {
    /// The experiments to search; empty means every experiment.
    public var experimentIDs: [ExperimentID]
    public var filter: FilterExpression?
    /// Explicit order; the store appends `start_time DESC` and the run id as tie-breakers.
    public var orderBy: [OrderKey]
    public var lifecycle: LifecycleFilter
    public var limit: Int
    public var cursor: String?
    /// Whether to count every match for ``Page/totalCount``.
    public var countTotal: Bool

    /// Makes a query; the default lists active runs, newest first, 100 a page.
    public init(
        experimentIDs: [ExperimentID] = [], filter: FilterExpression? = nil, orderBy: [OrderKey] = [],
        lifecycle: LifecycleFilter = .active, limit: Int = 100, cursor: String? = nil, countTotal: Bool = false
    ) {
        self.experimentIDs = experimentIDs
        self.filter = filter
        self.orderBy = orderBy
        self.lifecycle = lifecycle
        self.limit = limit
        self.cursor = cursor
        self.countTotal = countTotal
    }
}

/// A range query over one metric's history, ordered by step then timestamp.
public struct HistoryQuery: Sendable, Equatable {
    /// The first step to include.
    public var fromStep: Int64?
    /// The last step to include.
    public var toStep: Int64?
    public var limit: Int
    public var cursor: String?

    /// Makes a history query.
    public init(fromStep: Int64? = nil, toStep: Int64? = nil, limit: Int = 10_000, cursor: String? = nil) {
        self.fromStep = fromStep
        self.toStep = toStep
        self.limit = limit
        self.cursor = cursor
    }
}

/// The keys that appear across a set of runs: the columns of a runs table or an export.
public struct RunColumns: Sendable, Equatable {
    public var params: [String]
    public var metrics: [String]
    public var tags: [String]

    /// Makes a column set.
    public init(params: [String], metrics: [String], tags: [String]) {
        self.params = params
        self.metrics = metrics
        self.tags = tags
    }
}

/// Whether a larger or a smaller metric value is better.
public enum MetricGoal: String, Sendable, Equatable, CaseIterable {
    case max, min
}

/// What the dashboard charts, computed by the store.
public struct DashboardData: Sendable, Equatable {
    /// Active experiments per status.
    public var experimentsByStatus: [String: Int]
    /// Active runs per status.
    public var runsByStatus: [String: Int]
    /// Runs started per UTC day (`YYYY-MM-DD`), oldest first.
    public var runsPerDay: [DayCount]
    /// For each experiment with the metric, its best run.
    public var bestRuns: [BestRun]
    /// Active experiments in all.
    public var totalExperiments: Int { experimentsByStatus.values.reduce(0, +) }
    /// Active runs in all.
    public var totalRuns: Int { runsByStatus.values.reduce(0, +) }

    /// Makes dashboard data.
    public init(
        experimentsByStatus: [String: Int], runsByStatus: [String: Int], runsPerDay: [DayCount], bestRuns: [BestRun]
    ) {
        self.experimentsByStatus = experimentsByStatus
        self.runsByStatus = runsByStatus
        self.runsPerDay = runsPerDay
        self.bestRuns = bestRuns
    }
}

/// The number of runs started on one day.
public struct DayCount: Sendable, Equatable {
    public var day: String
    public var count: Int

    /// Makes a day count.
    public init(day: String, count: Int) {
        self.day = day
        self.count = count
    }
}

/// The best run of one experiment for a metric.
public struct BestRun: Sendable, Equatable {
    public var experimentID: ExperimentID
    public var experimentName: String
    public var runID: RunID
    public var runName: String
    public var value: Double

    /// Makes a best-run entry.
    public init(experimentID: ExperimentID, experimentName: String, runID: RunID, runName: String, value: Double) {
        self.experimentID = experimentID
        self.experimentName = experimentName
        self.runID = runID
        self.runName = runName
        self.value = value
    }
}

/// The x axis a metric chart is drawn against.
public enum ChartAxis: String, Sendable, Equatable, CaseIterable {
    /// The point's step.
    case step
    /// The point's timestamp (milliseconds; "relative time" is this axis minus the run's start).
    case time
}

/// A chart-sized summary of a metric history: per bucket of the x range, the extremes and the mean, so a
/// downsampled line keeps every spike.
public struct MetricBucket: Sendable, Equatable {
    /// The smallest and largest x (step or timestamp) of the bucket's points.
    public var xMin: Int64
    public var xMax: Int64
    /// The smallest and largest finite values (nil when every value is NaN).
    public var minValue: Double?
    public var maxValue: Double?
    /// The mean of the finite values (nil when every value is NaN).
    public var meanValue: Double?
    /// The values of the bucket's first and last points in history order (nil when that value is NaN).
    public var firstValue: Double?
    public var lastValue: Double?
    /// How many points the bucket holds, NaN included.
    public var count: Int

    /// Makes a bucket.
    public init(
        xMin: Int64, xMax: Int64, minValue: Double?, maxValue: Double?, meanValue: Double?,
        firstValue: Double? = nil, lastValue: Double? = nil, count: Int
    ) {
        self.xMin = xMin
        self.xMax = xMax
        self.minValue = minValue
        self.maxValue = maxValue
        self.meanValue = meanValue
        self.firstValue = firstValue
        self.lastValue = lastValue
        self.count = count
    }
}
