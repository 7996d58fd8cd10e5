import HTTPTypes
import Hummingbird
import HummingbirdCore
import LablogCore

/// One page of a list as the native API sends it: a JSON array, with `Link: <…>; rel="next"` when there is a next
/// page and `X-Total-Count` when the store counted the matches.
enum PageResponse {
    static let linkHeader = HTTPField.Name("Link")!
    static let totalCountHeader = HTTPField.Name("X-Total-Count")!

    /// Makes the response of a page whose items are already in their wire form.
    static func make<Item: Encodable>(
        _ items: [Item], nextCursor: String?, totalCount: Int?, request: Request, query: QueryItems
    ) throws -> Response {
        var headers = HTTPFields()
        if let nextCursor {
            let next = request.uri.path + "?" + query.query(withCursor: nextCursor)
            headers[linkHeader] = "<\(next)>; rel=\"next\""
        }
        if let totalCount {
            headers[totalCountHeader] = String(totalCount)
        }
        return try WireJSON.response(items, headers: headers)
    }
}
