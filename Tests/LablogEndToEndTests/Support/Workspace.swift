import Foundation

/// A temporary folder for one test: the server's working directory and its database live here.
///
/// The server runs with this folder as its working directory so that a `.env` file of the developer's
/// checkout is never read.
struct Workspace: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("lablog-e2e-\(UUID().uuidString.lowercased())", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A path inside the folder.
    func file(_ name: String) -> URL {
        url.appendingPathComponent(name)
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
