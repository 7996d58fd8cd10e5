/// Friendly generated run names ("brave-otter-417"), derived from the run id so a pinned id pins its name.
public enum RunNames {
    private static let adjectives = [
        "able", "amber", "bold", "brave", "bright", "calm", "clever", "crisp", "dapper", "eager", "fancy", "fleet",
        "gentle", "glad", "grand", "happy", "humble", "jolly", "keen", "kind", "lively", "lucky", "merry", "mighty",
        "nimble", "noble", "polite", "proud", "quick", "quiet", "rapid", "shy", "silent", "smart", "snappy", "steady",
        "sunny", "swift", "tidy", "vivid", "warm", "wise", "witty", "zesty",
    ]
    private static let nouns = [
        "ant", "badger", "bat", "bear", "bee", "bison", "cat", "colt", "crab", "crane", "deer", "dove", "eagle", "eel",
        "elk", "finch", "fox", "frog", "gecko", "goat", "hare", "hawk", "heron", "ibis", "koala", "lark", "lion",
        "lynx", "mole", "moth", "newt", "otter", "owl", "panda", "puma", "quail", "raven", "robin", "seal", "shark",
        "sloth", "snail", "swan", "tiger", "toad", "trout", "wasp", "whale", "wolf", "wren", "yak", "zebra",
    ]

    /// The generated name for a run id.
    public static func name(for id: RunID) -> String {
        let digits = Array(id.rawValue.utf8)
        func number(_ range: Range<Int>) -> Int {
            Int(String(decoding: digits[range], as: UTF8.self), radix: 16) ?? 0
        }
        let adjective = adjectives[number(0..<4) % adjectives.count]
        let noun = nouns[number(4..<8) % nouns.count]
        return "\(adjective)-\(noun)-\(number(8..<12) % 1000)"
    }
}
