import Hummingbird
import Mustache

/// A page's view model: the typed values its template renders, with the template's name.
protocol PageModel: Sendable {
    /// The name of the page's template in ``Templates/all``.
    static var template: String { get }
}

/// Renders pages from the Mustache templates compiled into the binary.
///
/// Every template is parsed once, when the application is built, so a broken or missing template stops
/// start-up instead of failing a request. `{{value}}` escapes HTML; only `{{{value}}}` writes raw text, and
/// templates use it solely for markup Lablog generated itself (SVG charts).
struct PageRenderer: Sendable {
    private let library: MustacheLibrary

    /// Parses every template.
    /// - Throws: the parser's error, naming the template, when a template does not parse.
    init(templates: [String: String] = Templates.all) throws {
        var library = MustacheLibrary()
        for (name, source) in templates.sorted(by: { $0.key < $1.key }) {
            do {
                try library.register(source, named: name)
            } catch {
                throw TemplateError(name: name, reason: "\(error)")
            }
        }
        self.library = library
    }

    /// Whether a template of that name was loaded.
    func hasTemplate(named name: String) -> Bool {
        library.getTemplate(named: name) != nil
    }

    /// The page as an HTML response.
    func render<Model: PageModel>(_ model: Model, status: HTTPResponse.Status = .ok) throws -> Response {
        guard let html = library.render(model, withTemplate: Model.template) else {
            throw TemplateError(name: Model.template, reason: "no such template")
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// A template that does not parse or does not exist.
struct TemplateError: Error, CustomStringConvertible {
    let name: String
    let reason: String

    var description: String { "Template '\(name)': \(reason)" }
}
