import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// Counts answered requests across connections, for progress sampled while a load runs.
final class RequestCounter: Sendable {
    private let value = Atomic<Int>(0)

    var count: Int { value.load(ordering: .relaxed) }

    func add(_ amount: Int) {
        value.add(amount, ordering: .relaxed)
    }
}

/// The load generator: keep-alive connections in closed loops on a small event loop group of its own, sending
/// pre-encoded requests (see ``LoadConnectionHandler``).
struct LoadDriver: Sendable {
    /// What a load gave: every latency, the failures, and the CPU both sides used.
    struct Result: Sendable {
        var elapsed: Duration
        var responses: Int
        var failures: Int
        var firstFailure: String?
        var latencies: Latencies
        /// CPU seconds of the whole load generator process per wall-clock second.
        var generatorCores: Double
        /// CPU seconds of the server per wall-clock second, when its pid is known.
        var serverCores: Double?
        /// The event loop threads the load ran on.
        var generatorThreads: Int

        var requestsPerSecond: Double { Double(responses) / elapsed.seconds }

        /// Whether the load generator's threads were busy most of the time, so the server may have had more to give.
        var generatorSaturated: Bool { generatorCores >= 0.85 * Double(generatorThreads) }

        /// A note on who used the CPU, saying so when the load generator may have set the pace.
        var cpuNote: String {
            var parts: [String] = []
            if let serverCores { parts.append("server \(formatted(serverCores, decimals: 2)) cores") }
            parts.append("generator \(formatted(generatorCores, decimals: 2)) cores")
            let text = parts.joined(separator: ", ")
            return generatorSaturated ? text + " (GENERATOR SATURATED: a lower bound)" : text
        }
    }

    let group: MultiThreadedEventLoopGroup
    let threads: Int
    let host: String
    let port: Int
    let server: ServerProcessInfo?

    /// A driver with `threads` event loop threads of its own; call ``shutdown()`` when done.
    init(threads: Int, host: String, port: Int, server: ServerProcessInfo?) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        self.threads = threads
        self.host = host
        self.port = port
        self.server = server
    }

    func shutdown() async throws {
        try await group.shutdownGracefully()
    }

    /// Runs `connections` connections at once until `requests` gives no more or `duration` passes.
    ///
    /// `requests(connection, index)` is called on the connection's event loop for each request it sends, so it must
    /// be cheap: hand out buffers encoded beforehand, or copy a template.
    func run(
        connections: Int, duration: Duration? = nil, progress: RequestCounter? = nil,
        requests: @escaping @Sendable (_ connection: Int, _ index: Int) -> ByteBuffer?
    ) async throws -> Result {
        var channels: [any Channel] = []
        var finished: [EventLoopPromise<ConnectionTally>] = []
        // Connecting in groups keeps the server's listen backlog from overflowing when there are many connections.
        for first in stride(from: 0, to: connections, by: 64) {
            var opening: [EventLoopFuture<any Channel>] = []
            for connection in first..<min(first + 64, connections) {
                let loop = group.next()
                let done = loop.makePromise(of: ConnectionTally.self)
                finished.append(done)
                let bootstrap = ClientBootstrap(group: loop)
                    .channelOption(.socketOption(.tcp_nodelay), value: 1)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(
                                LoadConnectionHandler(
                                    connection: connection, progress: progress, done: done, nextRequest: requests))
                        }
                    }
                opening.append(bootstrap.connect(host: host, port: port))
            }
            for future in opening {
                do {
                    channels.append(try await future.get())
                } catch {
                    // The connections already open would otherwise wait for a start that never comes.
                    for channel in channels { channel.close(promise: nil) }
                    for done in finished { done.fail(error) }
                    throw error
                }
            }
        }
        let cpuBefore = try ServerProcessInfo.current.cpuSeconds()
        let serverBefore = try server?.cpuSeconds()
        let start = ContinuousClock.now
        let deadline = duration.map { NIODeadline.now() + .nanoseconds(Int64($0.milliseconds * 1_000_000)) }
        for channel in channels {
            channel.pipeline.fireUserInboundEventTriggered(StartLoad(deadline: deadline))
        }
        var tallies: [ConnectionTally] = []
        var failure: (any Error)?
        for done in finished {
            do {
                tallies.append(try await done.futureResult.get())
            } catch {
                failure = failure ?? error
            }
        }
        let elapsed = ContinuousClock.now - start
        let cpuAfter = try ServerProcessInfo.current.cpuSeconds()
        let serverAfter = try server?.cpuSeconds()
        if let failure { throw failure }

        var latencies = Latencies()
        for tally in tallies {
            for nanoseconds in tally.latencies { latencies.record(.nanoseconds(nanoseconds)) }
        }
        var serverCores: Double?
        if let serverBefore, let serverAfter { serverCores = (serverAfter - serverBefore) / elapsed.seconds }
        return Result(
            elapsed: elapsed, responses: tallies.reduce(0) { $0 + $1.responses },
            failures: tallies.reduce(0) { $0 + $1.failures },
            firstFailure: tallies.lazy.compactMap(\.firstFailure).first,
            latencies: latencies, generatorCores: (cpuAfter - cpuBefore) / elapsed.seconds, serverCores: serverCores,
            generatorThreads: threads)
    }
}
