import GRDB
import Synchronization

/// Shares SQLite transactions between concurrent writes.
///
/// SQLite has one writer at a time, and each transaction pays a fixed cost (begin, commit, the hop onto the
/// writer's queue) that dwarfs a small write such as one metric point. Writes that arrive while a transaction is
/// running wait, and the next transaction runs all of them, each inside its own savepoint: a write that fails
/// rolls back alone, and every write is acknowledged only once the shared transaction has committed, so nothing
/// acknowledged is lost and nothing rolled back is acknowledged.
final class GroupCommit: Sendable {
    private let writer: any DatabaseWriter
    private let state = Mutex(State())
    /// The most writes one transaction takes, so that one commit never waits for an unbounded queue.
    private static let maxWritesPerTransaction = 512

    private struct State {
        var pending: [Job] = []
        var draining = false
    }

    /// A write waiting for a transaction: `run` performs it in a savepoint and keeps its result, `finish` hands
    /// the result (or the commit's failure) to the waiting caller.
    private struct Job: Sendable {
        let run: @Sendable (Database) -> Void
        let finish: @Sendable ((any Error)?) -> Void
    }

    init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// Runs `work` in a transaction shared with the other writes waiting at the same time.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let outcome = Mutex<Result<T, any Error>?>(nil)
            let job = Job(
                run: { db in
                    let result = Result<T, any Error> { try Self.inSavepoint(db, work) }
                    outcome.withLock { $0 = result }
                },
                finish: { commitError in
                    if let commitError {
                        continuation.resume(throwing: commitError)
                    } else {
                        continuation.resume(with: outcome.withLock { $0 } ?? .failure(CancellationError()))
                    }
                })
            let startsDraining = state.withLock { state in
                state.pending.append(job)
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if startsDraining {
                Task { await self.drain() }
            }
        }
    }

    /// Runs `work` in a savepoint that is rolled back when it throws. The savepoint statements are prepared once
    /// per connection (GRDB's own savepoints prepare theirs on every call, which costs more than a small write).
    private static func inSavepoint<T>(_ db: Database, _ work: (Database) throws -> T) throws -> T {
        try db.cachedStatement(sql: "SAVEPOINT write").execute()
        do {
            let value = try work(db)
            try db.cachedStatement(sql: "RELEASE SAVEPOINT write").execute()
            return value
        } catch {
            try db.cachedStatement(sql: "ROLLBACK TO SAVEPOINT write").execute()
            try db.cachedStatement(sql: "RELEASE SAVEPOINT write").execute()
            throw error
        }
    }

    /// Runs transactions until no write is waiting.
    private func drain() async {
        while true {
            let jobs = state.withLock { state -> [Job] in
                let taken = Array(state.pending.prefix(Self.maxWritesPerTransaction))
                state.pending.removeFirst(taken.count)
                if taken.isEmpty { state.draining = false }
                return taken
            }
            guard !jobs.isEmpty else { return }
            do {
                try await writer.write { db in
                    for job in jobs { job.run(db) }
                }
                for job in jobs { job.finish(nil) }
            } catch {
                for job in jobs { job.finish(error) }
            }
        }
    }
}
