import Hummingbird
import LablogCore
import NIOCore
import NIOFileSystem
import SystemPackage

/// Artifact files on the local disk, below one root folder, through NIO's file system (its own thread pool), so
/// no request blocks a thread of the event loop or of Swift's cooperative pool.
///
/// Confinement: an ``ArtifactPath`` cannot spell its way out of the root, and every existing component below the
/// root is checked with `lstat` before use: a symbolic link anywhere below the root is refused rather than
/// followed, and files are opened with `O_NOFOLLOW`. Lablog never creates links; one found there was planted. The
/// root itself may be a link (an administrator's choice of disk).
struct ArtifactStorage: Sendable {
    /// What a path names on disk.
    enum Entry: Equatable {
        /// A regular file of this many bytes.
        case file(size: Int64)
        case directory
        /// Nothing, or something that is neither a file nor a folder (a socket, a device).
        case missing
        /// Nothing, because a parent on the way is a file.
        case belowFile
    }

    /// One entry of a folder listing.
    struct Child: Equatable {
        var name: String
        var isDirectory: Bool
        var size: Int64
    }

    let root: FilePath
    private let fileSystem: FileSystem

    /// Writes go through a buffer of this size, so a large upload costs one thread-pool hop per mebibyte.
    private static let writeBufferSize = ByteCount.mebibytes(1)
    private static let readChunkSize = ByteCount.kibibytes(256)

    init(root: String, fileSystem: FileSystem = .shared) {
        self.root = FilePath(root)
        self.fileSystem = fileSystem
    }

    /// The file-system path of `path`.
    func location(of path: ArtifactPath) -> FilePath {
        path.segments.reduce(root) { $0.appending($1) }
    }

    /// What `path` names, checking every existing component below the root.
    /// - Throws: ``LablogError/invalidValue(field:reason:)`` when a component is a symbolic link.
    func entry(at path: ArtifactPath) async throws -> Entry {
        var current = root
        for (index, segment) in path.segments.enumerated() {
            current.append(segment)
            guard let info = try await fileSystem.info(forFileAt: current, infoAboutSymbolicLink: true) else {
                return .missing
            }
            if info.type == .symlink { throw ArtifactStorageError.symbolicLink }
            let isLast = index == path.segments.count - 1
            if !isLast, info.type != .directory { return info.type == .regular ? .belowFile : .missing }
            if isLast {
                switch info.type {
                case .regular: return .file(size: info.size)
                case .directory: return .directory
                default: return .missing
                }
            }
        }
        // The root itself: a folder once something was stored in it.
        let info = try await fileSystem.info(forFileAt: root, infoAboutSymbolicLink: false)
        return info?.type == .directory ? .directory : .missing
    }

    /// The files and folders directly inside the folder `path`, sorted by name (byte order). Symbolic links,
    /// sockets and other special files are left out.
    func children(of path: ArtifactPath) async throws -> [Child] {
        let folder = location(of: path)
        var children: [Child] = []
        try await fileSystem.withDirectoryHandle(atPath: folder, options: .init(followSymbolicLinks: false)) {
            directory in
            for try await batch in directory.listContents().batched() {
                for entry in batch {
                    let name = entry.name.string
                    guard name != ".", name != ".." else { continue }
                    switch entry.type {
                    case .directory:
                        children.append(Child(name: name, isDirectory: true, size: 0))
                    case .regular:
                        let info = try await fileSystem.info(forFileAt: entry.path, infoAboutSymbolicLink: true)
                        // Gone since the listing, or replaced by something else: leave it out.
                        guard let info, info.type == .regular else { continue }
                        children.append(Child(name: name, isDirectory: false, size: info.size))
                    default:
                        continue
                    }
                }
            }
        }
        return children.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    /// Streams `body` into the file `path`, creating its folders, replacing any file there.
    ///
    /// The bytes go to an unnamed temporary file in the destination folder (`O_TMPFILE`; a `.tmp-` dot file where
    /// the file system lacks it) that takes the final name only once the body has arrived whole: an upload that
    /// fails or is killed never leaves a partial file under the final name, and readers see the old file until
    /// then (with `O_TMPFILE`, NIO unlinks the old file an instant before it links the new one).
    /// - Returns: the number of bytes written.
    /// - Throws: ``ArtifactUploadInterrupted`` when the body fails before its end; errors of the disk as they come.
    func write<Body: AsyncSequence>(_ body: Body, to path: ArtifactPath) async throws -> Int64
    where Body.Element == ByteBuffer {
        let destination = location(of: path)
        try await fileSystem.createDirectory(
            at: destination.removingLastComponent(), withIntermediateDirectories: true, permissions: nil)
        return try await fileSystem.withFileHandle(
            forWritingAt: destination,
            options: OpenOptions.Write(
                existingFile: .truncate, newFile: .init(transactionalCreation: true), followSymbolicLinks: false)
        ) { handle in
            try await handle.withBufferedWriter(capacity: Self.writeBufferSize) { writer in
                var written: Int64 = 0
                var chunks = body.makeAsyncIterator()
                while true {
                    let chunk: ByteBuffer?
                    do {
                        chunk = try await chunks.next()
                    } catch {
                        throw ArtifactUploadInterrupted(underlying: error)
                    }
                    guard let chunk else { return written }
                    written += try await writer.write(contentsOf: chunk)
                }
            }
        }
    }

    /// A response body that streams the first `size` bytes of the file `path` from disk.
    func contents(of path: ArtifactPath, size: Int64) -> ResponseBody {
        guard size > 0 else { return ResponseBody() }
        let location = location(of: path)
        let fileSystem = fileSystem
        return ResponseBody(contentLength: Int(size)) { writer in
            try await fileSystem.withFileHandle(
                forReadingAt: location, options: OpenOptions.Read(followSymbolicLinks: false)
            ) { handle in
                for try await chunk in handle.readChunks(in: 0..<size, chunkLength: Self.readChunkSize) {
                    try await writer.write(chunk)
                }
            }
            try await writer.finish(nil)
        }
    }

    /// Removes the file or folder tree `path`; nothing to remove is not an error.
    func remove(_ path: ArtifactPath) async throws {
        try await fileSystem.removeItem(at: location(of: path), strategy: .platformDefault, recursively: true)
    }
}

/// A path the storage refuses once it has looked at the disk.
enum ArtifactStorageError {
    /// A component below the root is a symbolic link.
    static var symbolicLink: LablogError {
        .invalidValue(field: "path", reason: "must not pass through a symbolic link")
    }
}

/// The request body failed before its end, usually because the client went away; nothing was stored.
struct ArtifactUploadInterrupted: Error {
    var underlying: any Error
}
