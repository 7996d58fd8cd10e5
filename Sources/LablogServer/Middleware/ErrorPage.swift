import Hummingbird
import NIOCore

/// The HTML shape of an error, for browser pages: the status, a human message and a way home.
///
/// API paths (`/api/...`, including MLflow's), the OpenAPI document and assets keep their JSON error bodies;
/// every other path is a page, and a person reading a page should not get JSON. A page path still answers JSON to
/// a client that does not accept HTML (a page script's `fetch`, a tool without an `Accept` header), since only
/// browsers navigating to a page ask for `text/html`.
enum ErrorPage {
    /// Whether errors on `path` are shown as an HTML page.
    static func isPagePath(_ path: String) -> Bool {
        !(path == "/api" || path.hasPrefix("/api/") || path == Paths.openAPI || path.hasPrefix("/assets/"))
    }

    /// Whether the error of this request is shown as an HTML page: a page path, asked for by a browser.
    static func wantsPage(_ request: Request) -> Bool {
        guard isPagePath(request.uri.path) else { return false }
        return request.headers[values: .accept].contains { $0.contains("text/html") }
    }

    /// The error as an HTML response with the same status and extra headers (such as `Allow`).
    static func response(_ rendered: ErrorResponse) -> Response {
        var headers = rendered.headers
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let html = html(rendered)
        return Response(status: rendered.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// The message a reader sees: the error's own text, except for the generic not-found and server failures.
    static func message(_ rendered: ErrorResponse) -> String {
        guard case .native(let body) = rendered.body else { return rendered.status.reasonPhrase }
        switch body.code {
        case "ROUTE_NOT_FOUND": return "There is no page at this address."
        case "INTERNAL_ERROR": return "Something went wrong on the server. The error has been logged."
        default: return body.error
        }
    }

    /// The page of the error: a complete HTML document with every text escaped, under the same header and
    /// navigation as the pages' layout (``LayoutTemplate``), with no entry marked current.
    static func html(_ rendered: ErrorResponse) -> String {
        let status = rendered.status
        let message = message(rendered)
        let title = HTMLEscaping.escape("\(status.code) \(status.reasonPhrase)")
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · Lablog</title>
            <link rel="stylesheet" href="\(HTMLEscaping.escape(Assets.styleSheet.url))">
            </head>
            <body>
            <header class="top">
              <a class="brand" href="\(WebPaths.home)">Lablog</a>
              <nav aria-label="Main">
                <a href="\(WebPaths.experiments)">Experiments</a>
                <a href="\(WebPaths.dashboard)">Dashboard</a>
              </nav>
            </header>
            <main id="main">
            <h1>\(title)</h1>
            <p class="error-box" role="alert">\(HTMLEscaping.escape(message))</p>
            <p><a href="\(WebPaths.home)">Back to the experiments</a></p>
            </main>
            </body>
            </html>

            """
    }
}
