import LablogCore
import Logging
import PostgresNIO
import Synchronization

extension PostgresStore {
    /// Runs `body` on a pooled connection outside any transaction.
    func read<T: Sendable>(_ body: @escaping @Sendable (Session) async throws -> T) async throws -> T {
        try await withPooledConnection(body)
    }

    /// Runs `body` in one transaction on a pooled connection: committed when it returns, rolled back when it
    /// throws (its error is rethrown as is).
    func write<T: Sendable>(_ body: @escaping @Sendable (Session) async throws -> T) async throws -> T {
        try await withPooledConnection { session in
            try await session.execute("BEGIN", prepared: Begin.self)
            let value: T
            do {
                value = try await body(session)
            } catch {
                // A failed rollback means a broken connection, which the pool discards.
                _ = try? await session.execute("ROLLBACK")
                throw error
            }
            try await session.execute("COMMIT", prepared: Commit.self)
            return value
        }
    }

    /// Leases a connection and runs `body` on it, failing with ``LablogError/storageUnavailable(_:)`` rather than
    /// waiting while the server is away.
    ///
    /// The pool retries a failing server quietly for a minute before it gives up on waiting requests. So every
    /// `connectionWait` a request still waiting for a connection tries one direct connection, which tells a busy
    /// pool (wait on) from a lost server (fail). Once the server is known lost, each request first tries that
    /// direct connection (a refused one fails at once), so requests fail fast while it is away and succeed as
    /// soon as it is back.
    private func withPooledConnection<T: Sendable>(
        _ body: @escaping @Sendable (Session) async throws -> T
    ) async throws -> T {
        if gate.isDown {
            if let cause = await gate.probe({ await self.probeServer() }) {
                throw LablogError.storageUnavailable("PostgreSQL at \(location) is unavailable: \(cause)")
            }
            gate.markUp()
        }
        let leased = LeaseFlag()
        // The operation runs in a task of its own, so that a lost server can answer the caller at once: a lease
        // request of the pool may take a while to notice its cancellation.
        let work = Task {
            try await self.client.withConnection { connection in
                leased.set()
                return try await body(Session(connection: connection, logger: self.logger))
            }
        }
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, any Error>, Never>) in
                let answer = AnswerOnce(continuation)
                // A busy pool is waited for as long as it takes; a lost server ends the wait.
                let watchdog = Task {
                    while !leased.isSet {
                        try await Task.sleep(for: self.connectionWait)
                        guard !leased.isSet else { return }
                        if let cause = await self.gate.probe({ await self.probeServer() }) {
                            self.gate.markDown()
                            answer.resume(
                                .failure(
                                    LablogError.storageUnavailable(
                                        "PostgreSQL at \(self.location) is unavailable: \(cause)")))
                            work.cancel()
                            return
                        }
                    }
                }
                Task {
                    let result = await work.result
                    watchdog.cancel()
                    answer.resume(result)
                }
            }
        } onCancel: {
            work.cancel()
        }
        do {
            return try outcome.get()
        } catch let error as LablogError {
            throw error
        } catch let error as PSQLError {
            guard PostgresErrors.isUnavailability(error) else { throw error }
            let cause = PostgresErrors.describe(error)
            gate.markDown()
            throw LablogError.storageUnavailable("PostgreSQL at \(location) is unavailable: \(cause)")
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            gate.markDown()
            throw LablogError.storageUnavailable("PostgreSQL at \(location) is unavailable: \(error)")
        }
    }

    /// Connects once outside the pool and runs `SELECT 1`; returns why that failed, or nil when it worked.
    func probeServer() async -> String? {
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.username, password: location.password,
            database: location.database, tls: .disable)
        do {
            configuration.tls = try connectionTLS()
        } catch {
            return "cannot set up TLS: \(error)"
        }
        configuration.options.connectTimeout = .seconds(10)
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            // A connection must be closed before it is released.
            do {
                try await connection.query("SELECT 1", logger: logger)
            } catch {
                try? await connection.close()
                throw error
            }
            try? await connection.close()
            return nil
        } catch let error as PSQLError {
            return PostgresErrors.describe(error)
        } catch {
            return "\(error)"
        }
    }

    /// The TLS settings of a single connection, from the URL's `sslmode`.
    func connectionTLS() throws -> PostgresConnection.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch location.tls {
        case .disable:
            return .disable
        case .prefer, .require:
            configuration.certificateVerification = .none
            let context = try NIOSSLContext(configuration: configuration)
            return location.tls == .prefer ? .prefer(context) : .require(context)
        case .verifyCA:
            configuration.certificateVerification = .noHostnameVerification
            return .require(try NIOSSLContext(configuration: configuration))
        case .verifyFull:
            return .require(try NIOSSLContext(configuration: configuration))
        }
    }
}

/// Whether the store last found its server unreachable, and the one check of the server that requests share:
/// however many requests wait, at most one direct connection attempt is made at a time, and its answer serves
/// every request asking within the next second.
final class ConnectionGate: Sendable {
    private let down = Atomic<Bool>(false)
    private let check = Mutex<(task: Task<String?, Never>, finished: ContinuousClock.Instant?)?>(nil)

    var isDown: Bool { down.load(ordering: .relaxed) }

    func markDown() { down.store(true, ordering: .relaxed) }

    func markUp() { down.store(false, ordering: .relaxed) }

    /// Why the server cannot be reached (nil when it can), from `attempt` or from a check already running or
    /// finished less than a second ago.
    func probe(_ attempt: @escaping @Sendable () async -> String?) async -> String? {
        let clock = ContinuousClock()
        let task = check.withLock { current -> Task<String?, Never> in
            if let current, current.finished.map({ clock.now - $0 < .seconds(1) }) ?? true {
                return current.task
            }
            let task = Task { await attempt() }
            current = (task, nil)
            return task
        }
        let cause = await task.value
        check.withLock { current in
            if let running = current, running.task == task, running.finished == nil {
                current = (task, clock.now)
            }
        }
        return cause
    }
}

/// Set once an operation holds its connection, so its watchdog knows the wait is over.
private final class LeaseFlag: Sendable {
    private let value = Atomic<Bool>(false)

    var isSet: Bool { value.load(ordering: .acquiring) }

    func set() { value.store(true, ordering: .releasing) }
}

/// Resumes a continuation with the first result offered; later ones are dropped.
private final class AnswerOnce<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Result<T, any Error>, Never>?>

    init(_ continuation: CheckedContinuation<Result<T, any Error>, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume(_ result: Result<T, any Error>) {
        continuation.withLock { pending in
            pending?.resume(returning: result)
            pending = nil
        }
    }
}

private enum Begin: PreparedName {}
private enum Commit: PreparedName {}
