/// The URLs of MLflow's artifact proxy, defined once for the router and the tests.
package enum MLflowArtifactPaths {
    /// The listing endpoint (`?path=<folder>`), and the parent of every artifact's URL.
    package static let artifacts = "/api/2.0/mlflow-artifacts/artifacts"
    /// The router pattern of one artifact: the rest of the URL is its path.
    package static let artifact = artifacts + "/**"

    /// The URL of the artifact at `path` (segments separated by `/`), each segment percent-encoded.
    package static func artifact(_ path: String) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        return artifacts + "/" + segments.map { Paths.percentEncode(String($0)) }.joined(separator: "/")
    }

    /// The listing URL of the folder at `path`.
    package static func listing(_ path: String) -> String {
        artifacts + "?path=" + Paths.percentEncode(path)
    }

    /// The text of `requestPath` below the artifact endpoint, still percent-encoded and with any leading or
    /// trailing `/` kept (they matter: `//etc` is absolute, `a/` is a folder), or nil when the path does not
    /// start with the endpoint as spelled here.
    static func artifactPath(inRequestPath requestPath: String) -> Substring? {
        let prefix = artifacts + "/"
        guard requestPath.hasPrefix(prefix) else { return nil }
        return requestPath.dropFirst(prefix.count)
    }
}
