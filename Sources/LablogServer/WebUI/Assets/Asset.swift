import Foundation

/// A static file compiled into the binary and served under a URL that carries its content hash, so it can be
/// cached for `STATIC_FILE_CACHE` seconds and still change the moment a new build changes it.
struct Asset: Sendable {
    let name: String
    let contentType: String
    let body: String
    /// A short hash of the body (FNV-1a, 64 bits), stable across runs.
    let fingerprint: String

    init(name: String, contentType: String, body: String) {
        self.name = name
        self.contentType = contentType
        self.body = body
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in body.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        fingerprint = String(hash, radix: 16)
    }

    /// The URL pages link to.
    var url: String { "/assets/\(name)?v=\(fingerprint)" }
}

/// Every asset the pages use.
enum Assets {
    static let styleSheet = Asset(
        name: "lablog.css", contentType: "text/css; charset=utf-8",
        body: StyleSheet.source + "\n" + ExperimentTemplate.styles)
    static let script = Asset(name: "lablog.js", contentType: "text/javascript; charset=utf-8", body: AppScript.source)

    static let all: [Asset] = [styleSheet, script, TableScript.asset, ChartScript.asset]

    /// The layout values every page passes to the layout template.
    static func layout(onExperiments: Bool = false, onDashboard: Bool = false) -> LayoutModel {
        LayoutModel(
            styleSheetURL: styleSheet.url, scriptURL: script.url, onExperiments: onExperiments,
            onDashboard: onDashboard)
    }
}
