import Foundation

/// Finds the built `lablog` executable that the end-to-end tests start.
enum LablogBinary {
    /// The variable that names the binary; `scripts/test` sets it from `swift build --show-bin-path`.
    static let environmentVariable = "LABLOG_BINARY"

    /// The binary to start: `$LABLOG_BINARY`, or the debug build of the package these tests belong to.
    ///
    /// A missing binary is a failure, not a reason to skip: a green end-to-end suite must mean that the real
    /// server was started.
    static func url() throws -> URL {
        let fileManager = FileManager.default
        if let path = ProcessInfo.processInfo.environment[environmentVariable], !path.isEmpty {
            guard fileManager.isExecutableFile(atPath: path) else {
                throw EndToEndFailure("\(environmentVariable)=\(path) is not an executable file")
            }
            return URL(fileURLWithPath: path)
        }
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // Support
            .deletingLastPathComponent()  // LablogEndToEndTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()
        let fallback = packageRoot.appendingPathComponent(".build/debug/lablog")
        guard fileManager.isExecutableFile(atPath: fallback.path) else {
            throw EndToEndFailure(
                """
                The lablog binary was not found: \(environmentVariable) is not set and \(fallback.path) does not \
                exist. Run scripts/test, or build with `swift build` and set \
                \(environmentVariable)=$(swift build --show-bin-path)/lablog.
                """)
        }
        return fallback
    }
}

/// A failure of the end-to-end harness itself, with a message that says what to do.
struct EndToEndFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
