import LablogCore

/// MLflow's `max_results` and `page_token` over the store's pages.
enum MLflowPaging {
    /// Reads `max_results`: `defaultValue` when absent, otherwise an integer from 1 to `maximum`.
    static func maxResults<Key: CodingKey>(
        _ container: KeyedDecodingContainer<Key>, _ key: Key, default defaultValue: Int, maximum: Int
    ) throws -> Int {
        guard let number = try container.mlflowInt64(key) else { return defaultValue }
        guard number >= 1, number <= Int64(maximum) else {
            throw MLflowError(
                .invalidParameterValue,
                "Invalid value \(number) for parameter '\(container.fieldPath(key))' supplied. It must be a positive "
                    + "integer at most \(maximum)")
        }
        return Int(number)
    }

    /// Fills a page of `maxResults` items from store pages, which are capped at ``Limits/maxPageSize`` items.
    ///
    /// The store's cursors are positions in the result, so the cursor after the last store page is the token of
    /// the next MLflow page, and an MLflow page may be larger than a store page.
    static func collect<Item: Sendable>(
        maxResults: Int, pageToken: String?, fetch: (_ limit: Int, _ cursor: String?) async throws -> Page<Item>
    ) async throws -> Page<Item> {
        var items: [Item] = []
        var cursor = pageToken
        while true {
            let page = try await fetch(min(maxResults - items.count, Limits.maxPageSize), cursor)
            items += page.items
            cursor = page.nextCursor
            if cursor == nil || items.count >= maxResults || page.items.isEmpty { break }
        }
        return Page(items: items, nextCursor: cursor)
    }
}
