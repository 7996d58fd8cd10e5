import Foundation
import SystemPackage

extension ServerConfiguration {
    /// The name of the default artifact folder, placed beside the database file.
    public static let defaultArtifactsFolderName = "lablog-artifacts"

    /// Where artifacts go when `ARTIFACTS_DIR` is not set: `lablog-artifacts` in the database file's folder, so
    /// that one folder holds all of a server's data; for an in-memory database, which keeps nothing, a folder of
    /// this process in the system's temporary folder; for PostgreSQL, `lablog-artifacts` in the working folder
    /// (replicas sharing a database should set `ARTIFACTS_DIR` to one shared folder).
    public static func defaultArtifactsDirectory(for database: DatabaseLocation) -> String {
        switch database {
        case .sqliteFile(let path):
            return FilePath(path).removingLastComponent().appending(defaultArtifactsFolderName).string
        case .sqliteMemory:
            let folder = "\(defaultArtifactsFolderName)-\(ProcessInfo.processInfo.processIdentifier)"
            return FileManager.default.temporaryDirectory.appendingPathComponent(folder).path
        case .postgres:
            return "./\(defaultArtifactsFolderName)"
        }
    }

    /// Creates ``artifactsDirectory`` when it is missing and checks that the server can write there, so that a bad
    /// folder stops start-up instead of failing the first upload.
    ///
    /// Start-up calls it once, before the server runs; it blocks while it touches the disk.
    /// - Parameter flags: the command-line flags, to name `--artifacts-dir` rather than `ARTIFACTS_DIR` in errors
    ///   when the folder came from the flag.
    /// - Throws: ``ConfigurationError`` naming the setting when the folder cannot be created, is not a folder or is
    ///   not writable.
    public func prepareArtifactsDirectory(flags: ConfigurationFlags = ConfigurationFlags()) throws {
        let setting = Setting.artifactsDirectory
        let name = flags.artifactsDirectory == nil ? setting.variable : setting.flag ?? setting.variable
        let path = artifactsDirectory
        func failure(_ problem: String) -> ConfigurationError {
            ConfigurationError(setting: name, value: path, expected: problem)
        }
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw failure("it exists and is not a folder") }
        } else {
            do {
                try fileManager.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw failure("the folder cannot be created (\(Self.reason(error)))")
            }
        }
        // A real write answers for read-only mounts and access-control lists, which permission bits do not show.
        let probe = URL(fileURLWithPath: path).appendingPathComponent(".lablog-write-check-\(UUID().uuidString)")
        do {
            try Data().write(to: probe, options: .withoutOverwriting)
            try fileManager.removeItem(at: probe)
        } catch {
            throw failure("the folder is not writable (\(Self.reason(error)))")
        }
    }

    private static func reason(_ error: any Error) -> String {
        // Foundation's own message is generic ("The operation could not be completed"); the POSIX one says why.
        guard let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? any Error else {
            return error.localizedDescription
        }
        let posix = underlying as NSError
        guard posix.domain == NSPOSIXErrorDomain else { return posix.localizedDescription }
        return String(cString: strerror(Int32(posix.code)))
    }
}
