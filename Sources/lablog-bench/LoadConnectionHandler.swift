import NIOCore

/// What one load connection did.
struct ConnectionTally: Sendable {
    var responses = 0
    var failures = 0
    var firstFailure: String?
    /// Round-trip time of every request, in nanoseconds.
    var latencies: [UInt64] = []
}

/// Tells the connections of a load to start sending, once every one of them is connected.
struct StartLoad: Sendable {
    let deadline: NIODeadline?
}

/// One keep-alive HTTP/1.1 connection in a closed loop: it sends a pre-encoded request, reads the answer, sends the
/// next, until the requests or the time run out.
///
/// It runs on its event loop alone, without tasks or futures per request, so that the load generator costs far less
/// than the server it measures. It understands only the answers Lablog gives to API requests: a status line,
/// headers and a `Content-Length` body.
final class LoadConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let connection: Int
    private let nextRequest: @Sendable (_ connection: Int, _ index: Int) -> ByteBuffer?
    private let progress: RequestCounter?
    private let done: EventLoopPromise<ConnectionTally>
    private var tally = ConnectionTally()
    private var received: ByteBuffer?
    private var deadline: NIODeadline?
    private var sentAt = NIODeadline.now()
    private var sent = 0
    private var finished = false

    init(
        connection: Int, progress: RequestCounter?, done: EventLoopPromise<ConnectionTally>,
        nextRequest: @escaping @Sendable (Int, Int) -> ByteBuffer?
    ) {
        self.connection = connection
        self.progress = progress
        self.done = done
        self.nextRequest = nextRequest
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let start = event as? StartLoad {
            deadline = start.deadline
            sendNext(context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if received == nil {
            received = bytes
        } else {
            received!.writeBuffer(&bytes)
        }
        while var buffer = received, let answer = ResponseFrame.take(from: &buffer) {
            received = buffer.readableBytes == 0 ? nil : buffer
            record(answer)
            guard !finished else { return }
            sendNext(context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(context: context, failure: error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(context: context, failure: BenchError("the server closed a load connection"))
    }

    private func record(_ answer: ResponseFrame) {
        tally.latencies.append(NIODeadline.now().uptimeNanoseconds - sentAt.uptimeNanoseconds)
        tally.responses += 1
        progress?.add(1)
        if !(200..<300).contains(answer.status) {
            tally.failures += 1
            if tally.firstFailure == nil { tally.firstFailure = "\(answer.status): \(answer.bodyPrefix)" }
        }
        if answer.malformed {
            finished = true
            done.fail(BenchError("unreadable answer from the server: \(answer.bodyPrefix)"))
        }
    }

    private func sendNext(context: ChannelHandlerContext) {
        if let deadline, NIODeadline.now() >= deadline {
            return finish(context: context, failure: nil)
        }
        guard let request = nextRequest(connection, sent) else { return finish(context: context, failure: nil) }
        sent += 1
        sentAt = .now()
        context.writeAndFlush(wrapOutboundOut(request), promise: nil)
    }

    private func finish(context: ChannelHandlerContext, failure: (any Error)?) {
        guard !finished else { return }
        finished = true
        if let failure {
            done.fail(failure)
        } else {
            done.succeed(tally)
        }
        context.close(promise: nil)
    }
}

/// One answer cut from the bytes a connection received: its status and, for a failure, the start of its body.
///
/// The head is read in place, byte by byte: at tens of thousands of answers a second, building strings from every
/// head would make the load generator, not the server, set the pace.
struct ResponseFrame {
    var status: Int
    var bodyPrefix: String
    /// Set when the head could not be understood; the connection stops.
    var malformed = false

    /// Removes one whole answer from the front of `buffer`, or returns nil while it is incomplete.
    static func take(from buffer: inout ByteBuffer) -> ResponseFrame? {
        let head = buffer.withUnsafeReadableBytes { Head(parsing: $0) }
        guard let head else { return nil }
        guard let length = head.contentLength, head.status > 0 else {
            let text = buffer.readString(length: head.length) ?? ""
            return ResponseFrame(status: 0, bodyPrefix: String(text.prefix(200)), malformed: true)
        }
        guard buffer.readableBytes >= head.length + length else { return nil }
        buffer.moveReaderIndex(forwardBy: head.length)
        let body = buffer.readSlice(length: length)!
        let prefix = (200..<300).contains(head.status) ? "" : String(String(buffer: body).prefix(300))
        return ResponseFrame(status: head.status, bodyPrefix: prefix)
    }

    /// What the head of an answer says: its length up to the blank line, the status and the `Content-Length`
    /// (nil when missing, or when the body is chunked, which API answers are not).
    private struct Head {
        var length: Int
        var status = 0
        var contentLength: Int?

        private static let name = Array("content-length:".utf8)

        init?(parsing bytes: UnsafeRawBufferPointer) {
            guard let end = Self.blankLine(in: bytes) else { return nil }
            length = end
            // "HTTP/1.1 200 OK": the status is the three digits after the first space.
            if end > 12, bytes[8] == UInt8(ascii: " ") {
                status = Self.number(in: bytes, from: 9, to: 12) ?? 0
            }
            var lineStart = 0
            while lineStart < end {
                var lineEnd = lineStart
                while lineEnd < end && bytes[lineEnd] != UInt8(ascii: "\r") { lineEnd += 1 }
                if lineEnd - lineStart > Self.name.count && Self.startsWithName(bytes, at: lineStart) {
                    var digits = lineStart + Self.name.count
                    while digits < lineEnd && bytes[digits] == UInt8(ascii: " ") { digits += 1 }
                    contentLength = Self.number(in: bytes, from: digits, to: lineEnd)
                }
                lineStart = lineEnd + 2
            }
        }

        /// The offset just past the first `\r\n\r\n`.
        private static func blankLine(in bytes: UnsafeRawBufferPointer) -> Int? {
            guard bytes.count >= 4 else { return nil }
            var index = 3
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "\n") && bytes[index - 1] == UInt8(ascii: "\r")
                    && bytes[index - 2] == UInt8(ascii: "\n") && bytes[index - 3] == UInt8(ascii: "\r")
                {
                    return index + 1
                }
                index += 1
            }
            return nil
        }

        private static func startsWithName(_ bytes: UnsafeRawBufferPointer, at start: Int) -> Bool {
            for (offset, expected) in name.enumerated() {
                // ASCII letters compare case-insensitively with bit 5 set; ':' and '-' already have it.
                if bytes[start + offset] | 0x20 != expected { return false }
            }
            return true
        }

        private static func number(in bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int? {
            guard start < end else { return nil }
            var value = 0
            for index in start..<end {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            return value
        }
    }
}
