/// The stored form of metric histories, shared by every backend.
///
/// A history is cut into chunks of consecutive points in history order, each stored as one row: a summary
/// (``MetricChunkSummary``) that charts and bounds read without touching points, and the points themselves in
/// one byte string. A point is three fields: the step and the timestamp as zigzag varints of their difference
/// to the previous point (the first point's to zero), and the value's IEEE bits in 8 bytes, little-endian. A
/// history logged in order costs about 11 bytes a point, and appending to a chunk only appends bytes: nothing
/// already written is decoded again.
///
/// Chunks hold up to ``capacity`` points, except that points sharing a step and a timestamp are never split
/// over two chunks, so a chunk is keyed by its first point's step and timestamp.
public enum MetricChunk {
    /// A step and a timestamp: the key of a chunk (its first point's), and the place a point falls under.
    public struct Position: Sendable, Hashable {
        public var step: Int64
        public var timestamp: Int64

        /// Makes a position.
        public init(step: Int64, timestamp: Int64) {
            self.step = step
            self.timestamp = timestamp
        }

        /// The position of a sample.
        public init(_ sample: MetricSample) {
            self.init(step: sample.step, timestamp: sample.timestamp)
        }

        /// Whether `self` comes before `other` in history order.
        public func precedes(_ other: Position) -> Bool {
            step < other.step || (step == other.step && timestamp < other.timestamp)
        }

        /// The position before every point.
        public static let start = Position(step: .min, timestamp: .min)
    }

    /// The number of points after which a chunk is sealed and the next one is started.
    public static let capacity = 1024

    /// The bytes of `samples` (in history order) to follow a chunk's last point `last`, or to start a chunk.
    public static func encode(_ samples: some Collection<MetricSample>, after last: MetricSample? = nil) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(samples.count * 12 + 16)
        append(samples, after: last, to: &bytes)
        return bytes
    }

    /// Appends `samples` to a chunk whose last point is `last` (nil for an empty chunk).
    public static func append(
        _ samples: some Collection<MetricSample>, after last: MetricSample?, to bytes: inout [UInt8]
    ) {
        var step = last?.step ?? 0
        var timestamp = last?.timestamp ?? 0
        for sample in samples {
            appendVarint(zigzag(sample.step &- step), to: &bytes)
            appendVarint(zigzag(sample.timestamp &- timestamp), to: &bytes)
            var bits = sample.value.bitPattern.littleEndian
            withUnsafeBytes(of: &bits) { bytes.append(contentsOf: $0) }
            step = sample.step
            timestamp = sample.timestamp
        }
    }

    /// The points of a chunk.
    /// - Throws: ``LablogError/storageUnavailable(_:)`` when the bytes are not a chunk.
    public static func decode(_ bytes: UnsafeRawBufferPointer, expectedCount: Int = 0) throws -> [MetricSample] {
        var samples: [MetricSample] = []
        samples.reserveCapacity(expectedCount)
        var reader = Reader(bytes: bytes)
        var step: Int64 = 0
        var timestamp: Int64 = 0
        while reader.offset < bytes.count {
            guard let stepDelta = reader.varint(), let timeDelta = reader.varint(), let bits = reader.fixed64() else {
                throw LablogError.storageUnavailable("a stored metric chunk is damaged")
            }
            step = step &+ unzigzag(stepDelta)
            timestamp = timestamp &+ unzigzag(timeDelta)
            samples.append(MetricSample(step: step, timestamp: timestamp, value: Double(bitPattern: bits)))
        }
        return samples
    }

    /// The points of a chunk held in an array.
    public static func decode(_ bytes: [UInt8], expectedCount: Int = 0) throws -> [MetricSample] {
        try bytes.withUnsafeBytes { try decode($0, expectedCount: expectedCount) }
    }

    /// Cuts sorted samples into chunk-sized runs, never between two points sharing a step and a timestamp.
    /// The last run may be shorter than `size`.
    public static func split(_ samples: ArraySlice<MetricSample>, size: Int = capacity) -> [ArraySlice<MetricSample>] {
        var pieces: [ArraySlice<MetricSample>] = []
        var start = samples.startIndex
        while start < samples.endIndex {
            var end = min(start + size, samples.endIndex)
            while end < samples.endIndex, samples[end].sharesPosition(with: samples[end - 1]) {
                end += 1
            }
            pieces.append(samples[start..<end])
            start = end
        }
        return pieces
    }

    /// How many of `pending` (which follow the open chunk's last point) the open chunk summarized by `tail`
    /// takes: as many as fit its capacity, and always those sharing a position with its last point.
    public static func appendableCount(_ pending: ArraySlice<MetricSample>, to tail: MetricChunkSummary) -> Int {
        var taken = min(pending.count, max(0, capacity - tail.count))
        while taken < pending.count,
            pending[pending.startIndex + taken].sharesPosition(
                with: taken == 0 ? tail.last : pending[pending.startIndex + taken - 1])
        {
            taken += 1
        }
        return taken
    }

    /// Sorted samples dealt to consecutive stored chunks whose first points are `firsts` (in history order): each
    /// chunk gets the samples before the next chunk's first point; the last chunk gets the rest.
    public static func deal(
        _ samples: ArraySlice<MetricSample>, toChunksStartingAt firsts: [Position]
    ) -> [ArraySlice<MetricSample>] {
        var remaining = samples
        return firsts.indices.map { index in
            let end =
                index + 1 < firsts.count
                ? remaining.firstIndex { !Position($0).precedes(firsts[index + 1]) } ?? remaining.endIndex
                : remaining.endIndex
            defer { remaining = remaining[end...] }
            return remaining[..<end]
        }
    }

    /// The chunks a stored chunk becomes once late points were merged into it: still one until it holds twice the
    /// capacity (so a few late points do not leave small chunks behind), then cut again.
    public static func rechunk(_ merged: [MetricSample]) -> [ArraySlice<MetricSample>] {
        merged.count > 2 * capacity ? split(merged[...]) : [merged[...]]
    }

    private static func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    private static func unzigzag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }

    private static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// Reads varints and fixed 8-byte words from a chunk, returning nil past the end or on an overlong varint.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        mutating func varint() -> UInt64? {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while offset < bytes.count, shift < 64 {
                let byte = bytes[offset]
                offset += 1
                result |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return result }
                shift += 7
            }
            return nil
        }

        mutating func fixed64() -> UInt64? {
            guard offset + 8 <= bytes.count else { return nil }
            let value = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            offset += 8
            return UInt64(littleEndian: value)
        }
    }
}
