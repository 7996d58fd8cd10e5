import HTTPTypes
import Hummingbird
import LablogCore
import Logging

/// MLflow's artifact proxy under `/api/2.0/mlflow-artifacts/`: uploads, downloads and listings of run files.
///
/// Runs hand out `mlflow-artifacts:/<experiment_id>/<run_id>/artifacts` URIs, so the mlflow client sends every
/// artifact here, with paths below ``ServerConfiguration/artifactsDirectory``. Paths are checked by
/// ``ArtifactPath`` and on disk by ``ArtifactStorage``; every refusal is MLflow's 400 `INVALID_PARAMETER_VALUE`
/// with a message that starts "Invalid path".
struct MLflowArtifactsAPI {
    let configuration: ServerConfiguration

    private var storage: ArtifactStorage { ArtifactStorage(root: configuration.artifactsDirectory) }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get(RouterPath(MLflowArtifactPaths.artifacts), use: list)
        router.put(RouterPath(MLflowArtifactPaths.artifacts), use: uploadWithoutPath)
        router.get(RouterPath(MLflowArtifactPaths.artifact), use: download)
        router.put(RouterPath(MLflowArtifactPaths.artifact), use: upload)
        router.delete(RouterPath(MLflowArtifactPaths.artifact), use: delete)
    }

    /// `GET .../artifacts?path=<folder>` -> `{"files": [{"path": "<name>", "is_dir": false, "file_size": 2}]}`, one
    /// level, names only. A file, a missing folder or an empty one answers `{}`: the client reads an empty listing
    /// as "this is a file".
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await refusingInvalidPaths {
            let path = try ArtifactPath(validating: QueryItems(request.uri).value("path") ?? "")
            guard try await storage.entry(at: path) == .directory else {
                return try WireJSON.response(ArtifactListing(files: nil))
            }
            let files = try await storage.children(of: path).map(ArtifactFileInfo.init)
            return try WireJSON.response(ArtifactListing(files: files.isEmpty ? nil : files))
        }
    }

    /// `GET .../artifacts/<path>`: the file's bytes, streamed from disk, with a type guessed from its name.
    @Sendable func download(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await refusingInvalidPaths {
            let path = try ArtifactPath(percentEncoded: try Self.rawPath(of: request))
            switch try await storage.entry(at: path) {
            case .file(let size):
                let name = path.name ?? ""
                var headers = HTTPFields()
                headers[.contentType] = ArtifactContentType.forFile(named: name)
                // As MLflow does: never rendered inline on the server's origin, never sniffed into HTML.
                headers[.contentDisposition] = Self.attachmentDisposition(name)
                headers[Self.contentTypeOptions] = "nosniff"
                return Response(status: .ok, headers: headers, body: storage.contents(of: path, size: size))
            case .directory:
                throw MLflowError(
                    .invalidParameterValue, "Artifact path refers to a directory, not a file: '\(path)'")
            case .missing, .belowFile:
                throw MLflowError(.resourceDoesNotExist, "No such artifact: '\(path)'")
            }
        }
    }

    /// `PUT .../artifacts/<path>` with the file's raw bytes (any content type, possibly empty or chunked) -> `{}`.
    /// The body streams to disk; a file already there is replaced once the new one has arrived whole.
    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await refusingInvalidPaths {
            let raw = try Self.rawPath(of: request)
            guard !raw.hasSuffix("/") else { throw Self.invalidPath("an upload must name a file, not a folder") }
            let path = try ArtifactPath(percentEncoded: raw)
            guard let folderDepth = path.artifactFolderSegmentCount, path.segments.count > folderDepth else {
                throw Self.outsideArtifactFolder
            }
            switch try await storage.entry(at: path) {
            case .directory: throw Self.invalidPath("'\(path)' is a folder")
            case .belowFile: throw Self.invalidPath("a parent of '\(path)' is a file")
            case .file, .missing: break
            }
            let written: Int64
            do {
                written = try await storage.write(request.body, to: path)
            } catch let interrupted as ArtifactUploadInterrupted {
                // A client that hangs up is not a server fault: no 500, no error log, and the old file is intact.
                throw LablogError.badRequest(
                    "The upload of '\(path)' ended before the whole file arrived (\(interrupted.underlying)); "
                        + "nothing was stored")
            }
            context.logger.debug("Stored artifact", metadata: ["path": "\(path)", "bytes": "\(written)"])
            return try MLflowJSON.emptyResponse()
        }
    }

    /// `PUT .../artifacts` (or `.../artifacts/`) names no file.
    @Sendable func uploadWithoutPath(_ request: Request, context: AppRequestContext) async throws -> Response {
        throw Self.invalidPath("an upload must name a file, not a folder")
    }

    /// `DELETE .../artifacts/<path>` -> `{}`: removes a file or a folder tree inside a run's artifact folder (or the
    /// folder itself). Nothing there is not an error, so a replayed request succeeds.
    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await refusingInvalidPaths {
            let path = try ArtifactPath(percentEncoded: try Self.rawPath(of: request))
            guard path.artifactFolderSegmentCount != nil else { throw Self.outsideArtifactFolder }
            switch try await storage.entry(at: path) {
            case .file, .directory: try await storage.remove(path)
            case .missing, .belowFile: break
            }
            return try MLflowJSON.emptyResponse()
        }
    }

    // MARK: Helpers

    private static let contentTypeOptions = HTTPField.Name("X-Content-Type-Options")!

    private static var outsideArtifactFolder: MLflowError {
        invalidPath(
            "artifacts must be inside a run's artifact folder, <experiment_id>/<run_id>/artifacts/<path>, or a "
                + "logged model's, <experiment_id>/models/<model_id>/artifacts/<path>")
    }

    private static func invalidPath(_ reason: String) -> MLflowError {
        MLflowError(.invalidParameterValue, "Invalid path: \(reason)")
    }

    /// The percent-encoded artifact path of the request's URL.
    private static func rawPath(of request: Request) throws -> Substring {
        // The router skips empty segments, so `/api//2.0/...` reaches this route too; such a URL names nothing.
        guard let raw = MLflowArtifactPaths.artifactPath(inRequestPath: request.uri.path) else {
            throw invalidPath("the URL must start with \(MLflowArtifactPaths.artifacts)/")
        }
        return raw
    }

    /// Runs `body`, giving path refusals from Core and from the storage MLflow's wording.
    private func refusingInvalidPaths(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch LablogError.invalidValue(field: "path", let reason) {
            throw Self.invalidPath(reason)
        }
    }

    /// `attachment` with the name twice: quoted ASCII for old clients, and RFC 5987's UTF-8 form.
    private static func attachmentDisposition(_ name: String) -> String {
        let ascii = String(
            name.unicodeScalars.map { scalar in
                scalar.isASCII && scalar.value >= 0x20 && scalar != "\"" && scalar != "\\" && scalar.value != 0x7F
                    ? Character(scalar) : "_"
            })
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(Paths.percentEncode(name))"
    }
}

/// The answer of a listing; no `files` key at all when there is nothing to list, as MLflow omits empty lists.
private struct ArtifactListing: Encodable {
    var files: [ArtifactFileInfo]?
}

/// One listed entry, as MLflow's `FileInfo`: the name only, and no size for folders or empty files.
private struct ArtifactFileInfo: Encodable {
    var path: String
    var isDir: Bool
    var fileSize: Int64?

    init(_ child: ArtifactStorage.Child) {
        path = child.name
        isDir = child.isDirectory
        fileSize = child.isDirectory || child.size == 0 ? nil : child.size
    }

    enum CodingKeys: String, CodingKey {
        case path
        case isDir = "is_dir"
        case fileSize = "file_size"
    }
}
