import Foundation
import LablogCore
import NIOCore
import NIOFileSystem

/// The artifact section of the run page: one folder of the run's artifacts, and a preview of a chosen file.
///
/// A run's artifacts live under `<artifact root>/<experiment_id>/<run_id>/artifacts`, the folder its
/// `mlflow-artifacts:/…` URI names. The `path` query parameter is relative to that folder; it passes the same
/// confinement checks as the artifact proxy, and listing or reading goes through ``ArtifactStorage``.
struct RunArtifacts {
    let storage: ArtifactStorage
    let runID: RunID

    /// The most of a file a preview reads.
    static let previewBytes = 64 * 1024
    /// The most CSV rows a preview shows.
    static let previewRows = 100

    /// The section for the run's artifact URI and the requested `path`.
    func section(artifactURI: String, path: String) async throws -> ArtifactSectionView {
        let scheme = "mlflow-artifacts:/"
        guard artifactURI.hasPrefix(scheme) else {
            return .message("Artifacts of this run are stored outside this server.")
        }
        let base = String(artifactURI.dropFirst(scheme.count))
        // A folder link may end in `/`; anything else is checked as it is (a leading `/` is refused).
        let relative = path.hasSuffix("/") ? String(path.dropLast()) : path
        let full: ArtifactPath
        do {
            full = try ArtifactPath(validating: relative.isEmpty ? base : base + "/" + relative)
            _ = try ArtifactPath(validating: relative)
        } catch {
            return .message("That artifact path is not valid.")
        }
        let baseCount = try ArtifactPath(validating: base).segments.count
        let inRun = Array(full.segments.dropFirst(baseCount))
        switch try await storage.entry(at: full) {
        case .directory:
            return try await folder(full, inRun: inRun, preview: nil)
        case .file(let size):
            let preview = try await self.preview(full, name: inRun.last ?? "", size: size)
            let parent = try ArtifactPath(validating: full.segments.dropLast().joined(separator: "/"))
            return try await folder(parent, inRun: Array(inRun.dropLast()), preview: preview)
        case .missing, .belowFile:
            return relative.isEmpty ? .message("This run has no artifacts.") : .message("No artifact at that path.")
        }
    }

    private func folder(_ folder: ArtifactPath, inRun: [String], preview: ArtifactPreviewView?) async throws
        -> ArtifactSectionView
    {
        let children = try await storage.children(of: folder)
        let entries = children.map { child in
            let path = (inRun + [child.name]).joined(separator: "/")
            let stored = (folder.segments + [child.name]).joined(separator: "/")
            return ArtifactEntryView(
                name: child.name, isDirectory: child.isDirectory,
                size: child.isDirectory ? "" : Self.byteCount(child.size),
                browseURL: WebPaths.with(WebPaths.run(runID), query: [("path", path)]) + "#artifacts",
                downloadURL: child.isDirectory ? "" : MLflowArtifactPaths.artifact(stored))
        }
        var crumbs = [ArtifactEntryView.crumb(name: "artifacts", path: "", runID: runID)]
        for index in inRun.indices {
            crumbs.append(.crumb(name: inRun[index], path: inRun[...index].joined(separator: "/"), runID: runID))
        }
        return ArtifactSectionView(
            message: "", hasMessage: false, crumbs: crumbs, entries: entries, hasEntries: !entries.isEmpty,
            preview: preview.map { [$0] } ?? [])
    }

    private func preview(_ path: ArtifactPath, name: String, size: Int64) async throws -> ArtifactPreviewView {
        let type = ArtifactContentType.forFile(named: name)
        let download = MLflowArtifactPaths.artifact(path.segments.joined(separator: "/"))
        var view = ArtifactPreviewView(name: name, size: Self.byteCount(size), downloadURL: download)
        let isText =
            type.hasPrefix("text/") || ["application/json", "application/jsonl", "application/xml"].contains(type)
            || type == "application/x-ipynb+json"
        if type.hasPrefix("image/"), type != "image/tiff" {
            view.isImage = true
            return view
        }
        guard isText else {
            view.note = "No preview for this kind of file; download it instead."
            return view
        }
        let bytes = try await read(path, limit: Self.previewBytes)
        view.truncated = size > Int64(Self.previewBytes)
        // A cut may split a character; decoding repairs it rather than failing.
        var text = String(decoding: bytes, as: UTF8.self)
        if type == "text/csv" || type == "text/tab-separated-values" {
            var rows = CSVPreview.rows(text, separator: type == "text/csv" ? "," : "\t", limit: Self.previewRows + 1)
            if view.truncated, rows.count > 1 { rows.removeLast() }
            view.isTable = true
            view.header = rows.first.map { $0.map { CellView(text: $0) } } ?? []
            view.rows = rows.dropFirst().prefix(Self.previewRows).map { RowView(cells: $0.map { CellView(text: $0) }) }
            return view
        }
        if type == "application/json", !view.truncated, let data = text.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
            let pretty = try? JSONSerialization.data(
                withJSONObject: object,
                options: [.prettyPrinted, .sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        {
            text = String(decoding: pretty, as: UTF8.self)
        }
        view.isText = true
        view.text = text
        return view
    }

    private func read(_ path: ArtifactPath, limit: Int) async throws -> [UInt8] {
        let location = storage.location(of: path)
        let buffer = try await FileSystem.shared.withFileHandle(
            forReadingAt: location, options: OpenOptions.Read(followSymbolicLinks: false)
        ) { handle in
            try await handle.readChunk(fromAbsoluteOffset: 0, length: .bytes(Int64(limit)))
        }
        return Array(buffer.readableBytesView)
    }

    /// `1.5 KB`, `12 B`, `3.2 MB`.
    static func byteCount(_ size: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(size)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(size) B" : "\(NumberFormatting.significant(value, digits: 3)) \(units[unit])"
    }
}

/// A small CSV reader for previews: quoted fields with doubled quotes, `\n` or `\r\n` line ends.
enum CSVPreview {
    static func rows(_ text: String, separator: Character, limit: Int) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var iterator = text.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let next = iterator.next()
                    if next == "\"" {
                        field.append("\"")
                    } else {
                        quoted = false
                        pending = next
                    }
                } else {
                    field.append(character)
                }
            } else if character == "\"" && field.isEmpty {
                quoted = true
            } else if character == separator {
                row.append(field)
                field = ""
            } else if character == "\n" || character == "\r\n" || character == "\r" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
                if rows.count >= limit { return rows }
            } else {
                field.append(character)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }
}
