import Hummingbird
import Synchronization

/// Hands encoded chunks from the store's reading task to the response writer, one chunk at a time.
///
/// The store pushes chunks through a callback while the response writer pulls, so the two run as separate tasks.
/// The producer is suspended while a chunk is waiting, so a slow client slows the reads down instead of letting
/// chunks pile up in memory: an export of any size holds at most three chunks (buffered, parked, being written).
final class ExportChannel: Sendable {
    private struct State {
        var chunk: ByteBuffer?
        var blockedProducer: (chunk: ByteBuffer, continuation: CheckedContinuation<Void, any Error>)?
        var waitingConsumer: CheckedContinuation<ByteBuffer?, any Error>?
        var end: Result<Void, any Error>?
        var cancelled = false
    }

    private let state = Mutex(State())

    /// Sends a chunk; returns once the chunk is buffered, suspending while an earlier one still waits.
    /// - Throws: `CancellationError` once the consumer has gone.
    func send(_ chunk: ByteBuffer) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Action {
                    case buffered, cancelled, parked
                    case handedOver(CheckedContinuation<ByteBuffer?, any Error>)
                }
                let action: Action = state.withLock { state in
                    if state.cancelled { return .cancelled }
                    if let consumer = state.waitingConsumer {
                        state.waitingConsumer = nil
                        return .handedOver(consumer)
                    }
                    if state.chunk == nil {
                        state.chunk = chunk
                        return .buffered
                    }
                    state.blockedProducer = (chunk, continuation)
                    return .parked
                }
                switch action {
                case .buffered: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .handedOver(let consumer):
                    consumer.resume(returning: chunk)
                    continuation.resume()
                case .parked: break
                }
            }
        } onCancel: {
            cancel()
        }
    }

    /// Ends the stream: the consumer sees the end after the buffered chunks, or `error`.
    func finish(throwing error: (any Error)? = nil) {
        let consumer: CheckedContinuation<ByteBuffer?, any Error>? = state.withLock { state in
            state.end = error.map { .failure($0) } ?? .success(())
            guard state.chunk == nil, let consumer = state.waitingConsumer else { return nil }
            state.waitingConsumer = nil
            return consumer
        }
        if let error { consumer?.resume(throwing: error) } else { consumer?.resume(returning: nil) }
    }

    /// The next chunk, or nil at the end.
    /// - Throws: the producer's error, or `CancellationError` when the consuming task is cancelled.
    func next() async throws -> ByteBuffer? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ByteBuffer?, any Error>) in
                enum Action {
                    case deliver(ByteBuffer?, CheckedContinuation<Void, any Error>?)
                    case fail(any Error)
                    case wait
                }
                let action: Action = state.withLock { state in
                    if let chunk = state.chunk {
                        state.chunk = state.blockedProducer?.chunk
                        let producer = state.blockedProducer?.continuation
                        state.blockedProducer = nil
                        return .deliver(chunk, producer)
                    }
                    if state.cancelled { return .fail(CancellationError()) }
                    switch state.end {
                    case .success: return .deliver(nil, nil)
                    case .failure(let error): return .fail(error)
                    case nil:
                        state.waitingConsumer = continuation
                        return .wait
                    }
                }
                switch action {
                case .deliver(let chunk, let producer):
                    producer?.resume()
                    continuation.resume(returning: chunk)
                case .fail(let error): continuation.resume(throwing: error)
                case .wait: break
                }
            }
        } onCancel: {
            cancel()
        }
    }

    /// Stops the stream from either side: a blocked producer and a waiting consumer both get `CancellationError`.
    func cancel() {
        let (producer, consumer) = state.withLock { state in
            state.cancelled = true
            let producer = state.blockedProducer?.continuation
            let consumer = state.waitingConsumer
            state.blockedProducer = nil
            state.waitingConsumer = nil
            return (producer, consumer)
        }
        producer?.resume(throwing: CancellationError())
        consumer?.resume(throwing: CancellationError())
    }
}
