/// A set of run storage ids as a bitmap: one bit per id up to the largest id of the runs table.
///
/// Search reads each filter condition as one index range into such a set and combines conditions with set
/// algebra, so its cost follows the sizes of those ranges instead of probing every run of the scope.
struct RowIDSet {
    private var words: [UInt64]

    /// An empty set for ids in `0...largestID`.
    init(largestID: Int64) {
        words = Array(repeating: 0, count: Int(max(0, largestID) / 64) + 1)
    }

    /// The number of ids in the set.
    var count: Int {
        words.reduce(0) { $0 + $1.nonzeroBitCount }
    }

    var isEmpty: Bool {
        words.allSatisfy { $0 == 0 }
    }

    func contains(_ id: Int64) -> Bool {
        guard id >= 0 else { return false }
        let word = Int(id / 64)
        return word < words.count && words[word] & (1 << UInt64(id % 64)) != 0
    }

    mutating func insert(_ id: Int64) {
        guard id >= 0 else { return }
        let word = Int(id / 64)
        // Ids come from one read transaction, so none exceeds the largest run id read in it; grow anyway.
        if word >= words.count { words += Array(repeating: 0, count: word - words.count + 1) }
        words[word] |= 1 << UInt64(id % 64)
    }

    mutating func formIntersection(_ other: RowIDSet) {
        for index in words.indices {
            words[index] &= index < other.words.count ? other.words[index] : 0
        }
    }

    mutating func formUnion(_ other: RowIDSet) {
        if other.words.count > words.count { words += Array(repeating: 0, count: other.words.count - words.count) }
        for index in other.words.indices {
            words[index] |= other.words[index]
        }
    }

    mutating func subtract(_ other: RowIDSet) {
        for index in words.indices where index < other.words.count {
            words[index] &= ~other.words[index]
        }
    }

    /// The ids in ascending order.
    var sortedIDs: [Int64] {
        var ids: [Int64] = []
        ids.reserveCapacity(count)
        for (index, word) in words.enumerated() where word != 0 {
            var rest = word
            while rest != 0 {
                ids.append(Int64(index * 64 + rest.trailingZeroBitCount))
                rest &= rest - 1
            }
        }
        return ids
    }
}
