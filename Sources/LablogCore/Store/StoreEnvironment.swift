import Foundation

/// The clock, id source and limits a store works with, injected so tests can pin them.
public struct StoreEnvironment: Sendable {
    /// The current time in milliseconds since the Unix epoch.
    public var now: @Sendable () -> Int64
    /// Makes a fresh run id.
    public var makeRunID: @Sendable () -> RunID
    /// The most runs an experiment may hold; 0 means unlimited.
    public var maxRunsPerExperiment: Int

    /// Makes an environment.
    public init(
        now: @escaping @Sendable () -> Int64 = StoreEnvironment.systemNow,
        makeRunID: @escaping @Sendable () -> RunID = { RunID.random() },
        maxRunsPerExperiment: Int = 10_000
    ) {
        self.now = now
        self.makeRunID = makeRunID
        self.maxRunsPerExperiment = maxRunsPerExperiment
    }

    /// The system clock in milliseconds.
    public static let systemNow: @Sendable () -> Int64 = {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }
}
