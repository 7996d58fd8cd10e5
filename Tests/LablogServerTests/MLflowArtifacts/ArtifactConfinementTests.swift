import Foundation
import HTTPTypes
import HummingbirdTesting
import LablogServer
import NIOCore
import Testing

@Suite("MLflow artifact proxy: paths cannot leave the artifact root")
struct ArtifactConfinementTests {
    /// Traversals as a hostile client would write them in the URL, below the endpoint, each aiming at
    /// `<base>/outside/escaped.txt` (the root is `<base>/artifacts`, four levels above a file in the run folder).
    static let traversals = [
        "\(runFolder)/../../../../outside/escaped.txt",
        "\(runFolder)/sub/../../../../../outside/escaped.txt",
        "\(runFolder)/%2e%2e/%2E%2E/%2e%2e/%2e%2e/outside/escaped.txt",
        "\(runFolder)/..%2f..%2f..%2f..%2foutside%2fescaped.txt",
        "\(runFolder)/%252e%252e/%252e%252e/%252e%252e/%252e%252e/outside/escaped.txt",
        "\(runFolder)/%25252e%25252e/%25252e%25252e/%25252e%25252e/%25252e%25252e/outside/escaped.txt",
        "\(runFolder)/..%5c..%5c..%5c..%5coutside%5cescaped.txt",
        "\(runFolder)/a%5cb.txt",
        "/tmp/escaped.txt",
        "%2Ftmp%2Fescaped.txt",
        "%252Ftmp%252Fescaped.txt",
        "\(runFolder)/a%23b.txt",
        "\(runFolder)/a%00b.txt",
        "\(runFolder)//escaped.txt",
        "\(runFolder)/%FF.txt",
    ]

    @Test("Every traversal is refused for uploads, downloads and deletes, and nothing lands outside")
    func traversals() async throws {
        try await withArtifactApp { client, sandbox in
            try await client.uploadOK("\(runFolder)/sub/a.txt", Array("a".utf8))
            try Data("secret".utf8).write(to: sandbox.outside.appendingPathComponent("secret.txt"))
            for path in Self.traversals {
                let uri = "\(MLflowArtifactPaths.artifacts)/\(path)"
                for method in [HTTPRequest.Method.put, .get, .delete] {
                    let response = try await client.raw(method, uri, body: method == .put ? Array("evil".utf8) : nil)
                    let message = try expectMLflowError(response, .badRequest, "INVALID_PARAMETER_VALUE")
                    #expect(message.hasPrefix("Invalid path"), "\(method) \(path): \(message)")
                }
            }
            #expect(try sandbox.filesOutside() == ["secret.txt"])
            #expect(FileManager.default.fileExists(atPath: sandbox.file("\(runFolder)/sub/a.txt").path))
        }
    }

    @Test(
        "Listings refuse the same traversals in their path parameter",
        arguments: [
            "\(runFolder)/../../..", "/etc", "%2Fetc", "\(runFolder)/%2e%2e/%2e%2e/%2e%2e",
            "\(runFolder)/%252e%252e/%252e%252e/%252e%252e", "..\\..", "a#b", "C:/Windows",
        ])
    func listingTraversals(path: String) async throws {
        try await withArtifactApp { client, _ in
            let response = try await client.listing(path)
            #expect(try expectMLflowError(response, .badRequest, "INVALID_PARAMETER_VALUE").hasPrefix("Invalid path"))
        }
    }

    @Test("Raw, unencoded '..' segments in the listing URL are refused too")
    func rawListingTraversal() async throws {
        try await withArtifactApp { client, _ in
            let response = try await client.raw(.get, "\(MLflowArtifactPaths.artifacts)?path=\(runFolder)/../../..")
            try expectMLflowError(response, .badRequest, "INVALID_PARAMETER_VALUE")
        }
    }

    @Test("A symbolic link planted in the artifact root is never followed")
    func symbolicLinks() async throws {
        try await withArtifactApp { client, sandbox in
            try await client.uploadOK("\(runFolder)/marker.txt", Array("marker".utf8))
            let secret = sandbox.outside.appendingPathComponent("secret.txt")
            try Data("secret".utf8).write(to: secret)
            let fileManager = FileManager.default
            try fileManager.createSymbolicLink(at: sandbox.file("\(runFolder)/link.txt"), withDestinationURL: secret)
            try fileManager.createSymbolicLink(
                at: sandbox.file("\(runFolder)/link-dir"), withDestinationURL: sandbox.outside)

            for target in ["link.txt", "link-dir/secret.txt"] {
                let response = try await client.download("\(runFolder)/\(target)")
                #expect(!String(buffer: response.body).contains("secret\""), "\(target)")
                #expect(response.bytes != Array("secret".utf8), "\(target)")
                try expectMLflowError(response, .badRequest, "INVALID_PARAMETER_VALUE")
            }
            try expectMLflowError(
                try await client.upload("\(runFolder)/link-dir/planted.txt", Array("planted".utf8)), .badRequest,
                "INVALID_PARAMETER_VALUE")
            try expectMLflowError(
                try await client.upload("\(runFolder)/link.txt", Array("overwritten".utf8)), .badRequest,
                "INVALID_PARAMETER_VALUE")
            try expectMLflowError(
                try await client.listing("\(runFolder)/link-dir"), .badRequest, "INVALID_PARAMETER_VALUE")
            let delete = try await client.raw(.delete, MLflowArtifactPaths.artifact("\(runFolder)/link-dir/secret.txt"))
            try expectMLflowError(delete, .badRequest, "INVALID_PARAMETER_VALUE")

            // The links are left out of the run's listing, and what they point at is untouched.
            let listing = try await client.listing(runFolder)
            #expect(
                try listing.canonicalBody()
                    == canonicalJSON(#"{"files":[{"path":"marker.txt","is_dir":false,"file_size":6}]}"#))
            #expect(try sandbox.filesOutside() == ["secret.txt"])
            #expect(try String(contentsOf: secret, encoding: .utf8) == "secret")
        }
    }

    @Test("The artifact root itself may be a symbolic link, as when it sits on another disk")
    func linkedRoot() async throws {
        let sandbox = try ArtifactSandbox()
        defer { try? FileManager.default.removeItem(at: sandbox.base) }
        let linkedRoot = sandbox.base.appendingPathComponent("linked-root")
        try FileManager.default.createSymbolicLink(at: linkedRoot, withDestinationURL: sandbox.outside)
        let configuration = ServerConfiguration(port: 0, artifactsDirectory: linkedRoot.path)
        try await withTestApp(configuration: configuration) { client, _ in
            try await client.uploadOK("\(runFolder)/a.txt", Array("a".utf8))
            #expect(try await client.download("\(runFolder)/a.txt").bytes == Array("a".utf8))
        }
        #expect(try sandbox.filesOutside().contains("\(runFolder)/a.txt"))
    }

    @Test(
        "Uploads and deletes must stay inside a run's or a logged model's artifact folder",
        arguments: [
            "stray.txt", "1/stray.txt", "1/0123456789abcdef0123456789abcdef/stray.txt",
            "1/not-a-run/artifacts/a.txt", "x/0123456789abcdef0123456789abcdef/artifacts/a.txt",
            "1/models/m-1/other/a.txt",
        ])
    func outsideArtifactFolders(path: String) async throws {
        try await withArtifactApp { client, sandbox in
            try expectMLflowError(try await client.upload(path, [1]), .badRequest, "INVALID_PARAMETER_VALUE")
            let delete = try await client.raw(.delete, MLflowArtifactPaths.artifact(path))
            try expectMLflowError(delete, .badRequest, "INVALID_PARAMETER_VALUE")
            #expect(!FileManager.default.fileExists(atPath: sandbox.root.path))
        }
    }

    @Test("A logged model's folder takes uploads like a run's")
    func loggedModelFolder() async throws {
        try await withArtifactApp { client, _ in
            let path = "1/models/m-0123456789abcdef0123456789abcdef/artifacts/MLmodel"
            try await client.uploadOK(path, Array("flavors: {}\n".utf8))
            #expect(try await client.download(path).bytes == Array("flavors: {}\n".utf8))
        }
    }

    @Test("An upload must name a file: a trailing '/' or no path at all is refused")
    func uploadsNameFiles() async throws {
        try await withArtifactApp { client, _ in
            for uri in [
                "\(MLflowArtifactPaths.artifacts)/\(runFolder)/sub/", MLflowArtifactPaths.artifacts,
                "\(MLflowArtifactPaths.artifacts)/",
            ] {
                let response = try await client.raw(.put, uri, body: [1])
                #expect(
                    try expectMLflowError(response, .badRequest, "INVALID_PARAMETER_VALUE").hasPrefix("Invalid path"))
            }
        }
    }
}
