import NIOCore

/// A metric batch body encoded once, whose step numbers are rewritten in place for every request.
///
/// Each step sits in a fixed-width slot padded with spaces (JSON allows whitespace after a number), so a new
/// batch costs one copy of the bytes and a few digit writes: the load generator stays far from being the
/// bottleneck, and every request still carries new, never-stored steps.
struct MetricBatchTemplate: Sendable {
    /// Width of a step slot: enough digits for any step this benchmark writes.
    private static let slotWidth = 12

    let pointCount: Int
    /// Distinct metric keys in a batch; point `i` has key `i % keyCount`.
    let keyCount: Int
    /// Steps one batch advances; point `i` of batch `b` has step `b * stepsPerBatch + i / keyCount`.
    let stepsPerBatch: Int
    private let bytes: ByteBuffer
    private let stepOffsets: [Int]

    /// The key names, `loss_0`, `loss_1`, ...
    var keys: [String] { (0..<keyCount).map(Self.key) }

    /// Encodes a `{"metrics": [...]}` body of `pointCount` points over `keyCount` keys; `members` adds members
    /// before `metrics`, such as MLflow's `"run_id": "..."`.
    init(pointCount: Int, keyCount: Int, timestamp: Int64, members: String = "") {
        self.pointCount = pointCount
        self.keyCount = min(keyCount, pointCount)
        stepsPerBatch = (pointCount + self.keyCount - 1) / self.keyCount
        var buffer = ByteBuffer()
        var offsets: [Int] = []
        offsets.reserveCapacity(pointCount)
        buffer.writeString(members.isEmpty ? #"{"metrics":["# : #"{\#(members),"metrics":["#)
        var generator = SplitMix64(seed: UInt64(pointCount))
        for index in 0..<pointCount {
            if index > 0 { buffer.writeString(",") }
            let value = Double(generator.next() >> 11) / Double(1 << 53)
            buffer.writeString(#"{"key":""#)
            buffer.writeString(Self.key(index % self.keyCount))
            buffer.writeString(#"","value":\#(value),"timestamp":\#(timestamp),"step":"#)
            offsets.append(buffer.writerIndex)
            buffer.writeString(String(repeating: " ", count: Self.slotWidth))
            buffer.writeString("}")
        }
        buffer.writeString("]}")
        bytes = buffer
        stepOffsets = offsets
    }

    /// The body of batch number `batch`.
    func body(batch: Int) -> ByteBuffer {
        var body = ByteBuffer()
        body.reserveCapacity(bytes.readableBytes)
        body.writeImmutableBuffer(bytes)
        let firstStep = batch * stepsPerBatch
        var digits: [UInt8] = []
        digits.reserveCapacity(Self.slotWidth)
        for (index, offset) in stepOffsets.enumerated() {
            Self.writeDecimal(firstStep + index / keyCount, into: &digits)
            body.setBytes(digits, at: offset)
        }
        return body
    }

    private static func key(_ index: Int) -> String { "loss_\(index)" }

    private static func writeDecimal(_ value: Int, into digits: inout [UInt8]) {
        digits.removeAll(keepingCapacity: true)
        var remaining = value
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(remaining % 10))
            remaining /= 10
        } while remaining > 0
        digits.reverse()
    }
}

/// A small, fast, seedable random number generator, so every benchmark writes the same data.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
