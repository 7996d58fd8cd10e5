import Foundation
import HTTPTypes
import HummingbirdTesting
import LablogServer
import NIOCore
import Testing

@Suite("MLflow artifact proxy: uploads, downloads, listings")
struct ArtifactRouteTests {
    @Test("Files go up and come back byte for byte: binary, text, empty, nested")
    func roundTrip() async throws {
        try await withArtifactApp { client, sandbox in
            let files: [(String, [UInt8])] = [
                ("every-byte.bin", Array(0...255) + Array(0...255).reversed()),
                ("notes/readme.txt", Array("hello, world\n".utf8)),
                ("data/deeper/empty.csv", []),
                ("data/deeper/weights.bin", patternedBytes(count: 100_000)),
                ("dir with space/a file ü+&=.txt", Array("odd name".utf8)),
            ]
            for (name, bytes) in files {
                try await client.uploadOK("\(runFolder)/\(name)", bytes)
            }
            for (name, bytes) in files {
                let response = try await client.download("\(runFolder)/\(name)")
                #expect(response.status == .ok, "\(name)")
                #expect(response.bytes == bytes, "\(name)")
                #expect(response.header("Content-Length") == "\(bytes.count)", "\(name)")
                let stored = try Data(contentsOf: sandbox.file("\(runFolder)/\(name)"))
                #expect(Array(stored) == bytes, "\(name) on disk")
            }
        }
    }

    @Test("A download names the file as an attachment and forbids sniffing")
    func downloadHeaders() async throws {
        try await withArtifactApp { client, _ in
            try await client.uploadOK("\(runFolder)/plots/loss curve é.png", [0x89, 0x50, 0x4E, 0x47])
            let response = try await client.download("\(runFolder)/plots/loss curve é.png")
            #expect(response.status == .ok)
            #expect(response.header("Content-Type") == "image/png")
            #expect(response.header("X-Content-Type-Options") == "nosniff")
            #expect(
                response.header("Content-Disposition")
                    == "attachment; filename=\"loss curve _.png\"; filename*=UTF-8''loss%20curve%20%C3%A9.png")
        }
    }

    @Test(
        "The content type is guessed from the name",
        arguments: [
            ("a.txt", "text/plain"), ("metrics.json", "application/json"), ("table.csv", "text/csv"),
            ("plot.png", "image/png"), ("PHOTO.JPG", "image/jpeg"), ("conda.yaml", "text/yaml"),
            ("MLmodel", "text/plain"), ("model.pkl", "application/octet-stream"),
            ("no-extension", "application/octet-stream"), (".hidden", "application/octet-stream"),
            ("report.html", "text/html"), ("archive.tar.gz", "application/gzip"),
        ])
    func contentTypes(name: String, expected: String) async throws {
        try await withArtifactApp { client, _ in
            try await client.uploadOK("\(runFolder)/\(name)", Array("x".utf8))
            #expect(try await client.download("\(runFolder)/\(name)").header("Content-Type") == expected)
        }
    }

    @Test("An upload takes raw bytes of any content type, or none, and an empty body")
    func anyContentType() async throws {
        try await withArtifactApp { client, _ in
            for (name, type) in [("x.json", "application/json"), ("y.txt", "text/plain"), ("z", "image/png")] {
                let response = try await client.upload(
                    "\(runFolder)/\(name)", Array("not json".utf8), contentType: type)
                #expect(response.status == .ok)
            }
            let bare = try await client.raw(.put, MLflowArtifactPaths.artifact("\(runFolder)/none.bin"), body: [1, 2])
            #expect(bare.status == .ok)
            let empty = try await client.raw(.put, MLflowArtifactPaths.artifact("\(runFolder)/empty.json"))
            #expect(empty.status == .ok)
            #expect(try await client.download("\(runFolder)/empty.json").bytes == [])
            #expect(try await client.download("\(runFolder)/none.bin").bytes == [1, 2])
        }
    }

    @Test("A folder lists one level: names only, folders without sizes, sorted by name")
    func listing() async throws {
        try await withArtifactApp { client, _ in
            try await client.uploadOK("\(runFolder)/b.txt", Array("b".utf8))
            try await client.uploadOK("\(runFolder)/sub/a.txt", Array("ab".utf8))
            try await client.uploadOK("\(runFolder)/sub/deeper/c.txt", Array("abc".utf8))
            try await client.uploadOK("\(runFolder)/A.txt", Array("AAAA".utf8))
            try await client.uploadOK("\(runFolder)/empty.txt", [])

            let root = try await client.listing(runFolder)
            #expect(root.status == .ok)
            #expect(root.header("Content-Type")?.hasPrefix("application/json") == true)
            #expect(
                try root.canonicalBody()
                    == canonicalJSON(
                        """
                        {"files": [{"path": "A.txt", "is_dir": false, "file_size": 4},
                                   {"path": "b.txt", "is_dir": false, "file_size": 1},
                                   {"path": "empty.txt", "is_dir": false},
                                   {"path": "sub", "is_dir": true}]}
                        """))
            let sub = try await client.listing("\(runFolder)/sub")
            #expect(
                try sub.canonicalBody()
                    == canonicalJSON(
                        """
                        {"files": [{"path": "a.txt", "is_dir": false, "file_size": 2},
                                   {"path": "deeper", "is_dir": true}]}
                        """))
        }
    }

    @Test(
        "A file, a missing folder, an empty folder or an empty root lists as {}",
        arguments: ["\(runFolder)/b.txt", "\(runFolder)/missing", "\(runFolder)/b.txt/below", "9/nothing", ""])
    func emptyListings(path: String) async throws {
        try await withArtifactApp { client, sandbox in
            let before = try await client.listing("")
            #expect(String(buffer: before.body) == "{}")
            try await client.uploadOK("\(runFolder)/b.txt", Array("b".utf8))
            if path.isEmpty {
                // The root now holds the experiment folder; empty it again to check an existing empty folder.
                try FileManager.default.removeItem(at: sandbox.file("1"))
            }
            let response = try await client.listing(path)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == "{}")
        }
    }

    @Test("The listing's path parameter is form-decoded: '+' is a space")
    func listingQueryEncoding() async throws {
        try await withArtifactApp { client, _ in
            try await client.uploadOK("\(runFolder)/dir with space/x.txt", Array("x".utf8))
            let response = try await client.raw(
                .get, "\(MLflowArtifactPaths.artifacts)?path=\(runFolder)/dir+with+space")
            #expect(
                try response.canonicalBody()
                    == canonicalJSON(#"{"files":[{"path":"x.txt","is_dir":false,"file_size":1}]}"#))
            let absent = try await client.raw(.get, MLflowArtifactPaths.artifacts)
            #expect(try absent.canonicalBody() == canonicalJSON(#"{"files":[{"path":"1","is_dir":true}]}"#))
        }
    }

    @Test("A missing file is RESOURCE_DOES_NOT_EXIST; a folder is not downloadable")
    func missingAndFolders() async throws {
        try await withArtifactApp { client, _ in
            let missing = try await client.download("\(runFolder)/missing.txt")
            let message = try expectMLflowError(missing, .notFound, "RESOURCE_DOES_NOT_EXIST")
            #expect(message == "No such artifact: '\(runFolder)/missing.txt'")

            try await client.uploadOK("\(runFolder)/sub/a.txt", Array("a".utf8))
            try expectMLflowError(
                try await client.download("\(runFolder)/sub/a.txt/b"), .notFound, "RESOURCE_DOES_NOT_EXIST")
            let folder = try await client.download("\(runFolder)/sub")
            #expect(try expectMLflowError(folder, .badRequest, "INVALID_PARAMETER_VALUE").contains("directory"))
        }
    }

    @Test("An upload replaces the file at its path; one onto a folder or below a file is refused")
    func overwrite() async throws {
        try await withArtifactApp { client, sandbox in
            try await client.uploadOK("\(runFolder)/version.txt", Array("one, longer".utf8))
            try await client.uploadOK("\(runFolder)/version.txt", Array("two".utf8))
            #expect(try await client.download("\(runFolder)/version.txt").bytes == Array("two".utf8))
            let siblings = try FileManager.default.contentsOfDirectory(atPath: sandbox.file(runFolder).path)
            #expect(siblings == ["version.txt"], "no temporary files are left behind")

            try await client.uploadOK("\(runFolder)/sub/a.txt", Array("a".utf8))
            try expectMLflowError(
                try await client.upload("\(runFolder)/sub", [1]), .badRequest, "INVALID_PARAMETER_VALUE")
            let below = try await client.upload("\(runFolder)/sub/a.txt/b.txt", [1])
            try expectMLflowError(below, .badRequest, "INVALID_PARAMETER_VALUE")
            #expect(try await client.download("\(runFolder)/sub/a.txt").bytes == Array("a".utf8))
        }
    }

    @Test("DELETE removes a file or a folder tree and answers {}, also when nothing is there")
    func delete() async throws {
        try await withArtifactApp { client, sandbox in
            try await client.uploadOK("\(runFolder)/keep.txt", [1])
            try await client.uploadOK("\(runFolder)/gone.txt", [1])
            try await client.uploadOK("\(runFolder)/tree/a/b.txt", [1])
            for path in ["gone.txt", "tree", "never-there.txt"] {
                let response = try await client.raw(.delete, MLflowArtifactPaths.artifact("\(runFolder)/\(path)"))
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "{}")
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.file(runFolder).path) == ["keep.txt"])
        }
    }

    @Test("A 20 MB upload streams to disk and back")
    func largeUpload() async throws {
        try await withArtifactApp { client, sandbox in
            let block = patternedBytes(count: 1 << 20)
            var bytes: [UInt8] = []
            bytes.reserveCapacity(20 << 20 + 7)
            for index in 0..<20 { bytes += block.map { $0 &+ UInt8(index) } }
            bytes += [1, 2, 3, 4, 5, 6, 7]
            try await client.uploadOK("\(runFolder)/big/large.bin", bytes)
            let attributes = try FileManager.default.attributesOfItem(
                atPath: sandbox.file("\(runFolder)/big/large.bin").path)
            #expect(attributes[.size] as? Int == bytes.count)
            let listing = try await client.listing("\(runFolder)/big")
            #expect(
                try listing.canonicalBody()
                    == canonicalJSON(#"{"files":[{"path":"large.bin","is_dir":false,"file_size":20971527}]}"#))
            let download = try await client.download("\(runFolder)/big/large.bin")
            #expect(download.body.readableBytes == bytes.count)
            #expect(download.bytes == bytes)
        }
    }
}
