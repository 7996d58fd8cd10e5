import Foundation
import Testing

/// Where the server's settings come from: flags, then environment variables, then `./.env`, then defaults.
@Suite("lablog serve configuration sources", .timeLimit(.minutes(3)))
struct ConfigurationEndToEndTests {
    @Test("A .env file in the working directory configures the server")
    func environmentFile() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let port = try FreePort.find()
        try writeEnvironmentFile(in: workspace, port: port, database: "from-dotenv.db")

        let server = try await ServerProcess.launch(["serve"], expectingPort: port, in: workspace)
        defer { server.child.forceStop() }
        #expect(FileManager.default.fileExists(atPath: workspace.file("from-dotenv.db").path))
        #expect(try await server.stop() == .init(status: 0, bySignal: false))
    }

    @Test("Environment variables win over .env, and flags win over both")
    func precedence() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try writeEnvironmentFile(in: workspace, port: try FreePort.find(), database: "from-dotenv.db")

        let environmentPort = try FreePort.find()
        let environment = ["PORT": String(environmentPort), "DATABASE_URL": "sqlite://from-environment.db"]
        let fromEnvironment = try await ServerProcess.launch(
            ["serve"], expectingPort: environmentPort, environment: environment, in: workspace)
        defer { fromEnvironment.child.forceStop() }
        #expect(FileManager.default.fileExists(atPath: workspace.file("from-environment.db").path))
        #expect(try await fromEnvironment.stop() == .init(status: 0, bySignal: false))

        let flagPort = try FreePort.find()
        let fromFlags = try await ServerProcess.launch(
            ["serve", "--port", String(flagPort), "--database", "from-flag.db"], expectingPort: flagPort,
            environment: environment, in: workspace)
        defer { fromFlags.child.forceStop() }
        #expect(FileManager.default.fileExists(atPath: workspace.file("from-flag.db").path))
        #expect(try await fromFlags.stop() == .init(status: 0, bySignal: false))

        #expect(!FileManager.default.fileExists(atPath: workspace.file("from-dotenv.db").path))
    }

    @Test("An invalid value in .env stops start-up with a message naming the variable")
    func invalidEnvironmentFileValue() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try "SEED_ON_STARTUP=perhaps\n".write(to: workspace.file(".env"), atomically: true, encoding: .utf8)
        let result = try await runLablog(
            ["serve", "--port", String(try FreePort.find()), "--database", "x.db"], in: workspace,
            timeout: .seconds(30))
        #expect(!result.termination.bySignal && result.termination.status != 0)
        #expect(result.standardError.contains("SEED_ON_STARTUP"), "stderr: \(result.standardError)")
    }

    private func writeEnvironmentFile(in workspace: Workspace, port: Int, database: String) throws {
        let contents = "# written by the test\nPORT=\(port)\nDATABASE_URL=sqlite://\(database)\nLOG_LEVEL=warning\n"
        try contents.write(to: workspace.file(".env"), atomically: true, encoding: .utf8)
    }
}
