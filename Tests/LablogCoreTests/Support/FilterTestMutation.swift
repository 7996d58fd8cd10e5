/// Applies one random token-level edit to rendered filter pieces: delete, duplicate, replace or insert a token
/// from `pool`, swap two pieces, or replace one character of a piece with one from `soup`.
func mutate(_ pieces: inout [String], pool: [String], soup: [Character], using rng: inout SplitMix64) {
    let index = pieces.isEmpty ? 0 : rng.int(0...pieces.count - 1)
    switch rng.int(0...5) {
    case 0 where !pieces.isEmpty: pieces.remove(at: index)
    case 1 where !pieces.isEmpty: pieces.insert(pieces[index], at: index)
    case 2 where !pieces.isEmpty: pieces[index] = rng.pick(pool)
    case 3 where pieces.count > 1:
        let other = rng.int(0...pieces.count - 1)
        pieces.swapAt(index, other)
    case 4 where !pieces.isEmpty:
        var characters = Array(pieces[index])
        if characters.isEmpty { break }
        characters[rng.int(0...characters.count - 1)] = rng.pick(soup)
        pieces[index] = String(characters)
    default: pieces.insert(rng.pick(pool), at: index)
    }
}
