/// The `Content-Type` of a downloaded artifact, guessed from its name as MLflow's server guesses it.
enum ArtifactContentType {
    /// The type for files whose extension says nothing.
    static let fallback = "application/octet-stream"

    /// MLflow's own files have no extension but are YAML text.
    private static let textFileNames: Set<String> = ["MLmodel", "MLproject"]

    private static let byExtension: [String: String] = [
        "txt": "text/plain", "log": "text/plain", "out": "text/plain", "err": "text/plain", "md": "text/markdown",
        "rst": "text/x-rst", "cfg": "text/plain", "conf": "text/plain", "ini": "text/plain", "toml": "text/plain",
        "properties": "text/plain", "yaml": "text/yaml", "yml": "text/yaml", "py": "text/x-python",
        "csv": "text/csv", "tsv": "text/tab-separated-values", "html": "text/html", "htm": "text/html",
        "css": "text/css", "js": "text/javascript", "xml": "application/xml",
        "json": "application/json", "jsonl": "application/jsonl", "ipynb": "application/x-ipynb+json",
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "bmp": "image/bmp",
        "webp": "image/webp", "svg": "image/svg+xml", "tif": "image/tiff", "tiff": "image/tiff",
        "ico": "image/vnd.microsoft.icon", "pdf": "application/pdf", "zip": "application/zip",
        "gz": "application/gzip", "tgz": "application/gzip", "tar": "application/x-tar",
        "bz2": "application/x-bzip2", "xz": "application/x-xz", "zst": "application/zstd",
        "mp3": "audio/mpeg", "wav": "audio/wav", "ogg": "audio/ogg", "mp4": "video/mp4", "webm": "video/webm",
        "parquet": "application/vnd.apache.parquet", "wasm": "application/wasm",
    ]

    /// The type of a file named `name`: by its lowercased extension, `text/plain` for MLflow's extensionless text
    /// files, ``fallback`` otherwise.
    static func forFile(named name: String) -> String {
        if textFileNames.contains(name) { return "text/plain" }
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return fallback }
        let fileExtension = name[name.index(after: dot)...].lowercased()
        return byExtension[fileExtension] ?? fallback
    }
}
