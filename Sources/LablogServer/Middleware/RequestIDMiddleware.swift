import HTTPTypes
import Hummingbird
import Logging

/// Gives every request an id, echoed in the `X-Request-ID` response header and attached to every log line.
///
/// A well-formed incoming `X-Request-ID` (from a proxy or a client) is kept so one id follows a request
/// across systems; otherwise Hummingbird's own request id is used.
package struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    package init() {}

    static var headerName: HTTPField.Name { HTTPField.Name("X-Request-ID")! }

    package func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let incoming = request.headers[Self.headerName], Self.isAcceptable(incoming) {
            // `context.id` reads this metadata key, so the whole request sees the incoming id.
            context.logger[metadataKey: "hb.request.id"] = .string(incoming)
        }
        var response = try await next(request, context)
        response.headers[Self.headerName] = context.id
        return response
    }

    /// Up to 128 characters from a conservative set, so a header cannot inject anything into logs.
    static func isAcceptable(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 128
            && id.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                    true
                default: false
                }
            }
    }
}
