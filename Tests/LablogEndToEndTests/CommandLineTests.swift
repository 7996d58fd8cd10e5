import Foundation
import Testing

/// The `lablog` executable's commands, run as a user runs them.
@Suite("lablog command line", .timeLimit(.minutes(3)))
struct CommandLineTests {
    @Test("--version prints a version and exits 0")
    func version() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try await runLablog(["--version"], in: workspace)
        #expect(result.termination == .init(status: 0, bySignal: false), "\(result.standardError)")
        let version = result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(version.first?.isNumber == true, "version: '\(version)'")
        #expect(version.split(separator: ".").count >= 2, "version: '\(version)'")
    }

    @Test("--help lists the commands and exits 0")
    func help() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try await runLablog(["--help"], in: workspace)
        #expect(result.termination == .init(status: 0, bySignal: false))
        for command in ["serve", "migrate", "seed"] {
            #expect(result.standardOutput.contains(command), "\(result.standardOutput)")
        }
    }

    @Test(
        "Every command answers --help",
        arguments: [
            ("serve", "--port"), ("migrate", "--database"), ("seed", "--database"),
        ])
    func commandHelp(command: String, option: String) async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try await runLablog([command, "--help"], in: workspace)
        #expect(result.termination == .init(status: 0, bySignal: false), "\(result.standardError)")
        #expect(result.standardOutput.contains("USAGE"), "\(result.standardOutput)")
        #expect(result.standardOutput.contains(option), "\(result.standardOutput)")
    }

    @Test("migrate creates a database, runs again without changing anything, and the server starts on it")
    func migrate() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let database = workspace.file("migrated.db")
        let first = try await runLablog(["migrate", "--database", database.path], in: workspace)
        #expect(first.termination == .init(status: 0, bySignal: false), "\(first.standardError)")
        #expect(FileManager.default.fileExists(atPath: database.path))

        let second = try await runLablog(["migrate", "--database", database.path], in: workspace)
        #expect(second.termination == .init(status: 0, bySignal: false), "\(second.standardError)")

        let server = try await ServerProcess.start(database: database, in: workspace)
        defer { server.child.forceStop() }
        let health = try await server.api.get("/api/health")
        #expect(health.status == 200)
        #expect(try health.object()["status"] as? String == "ok")
        #expect(try await server.stop() == .init(status: 0, bySignal: false))
    }

    @Test("serve without --database creates ./lablog.db in the working directory")
    func defaultDatabase() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let port = try FreePort.find()
        let server = try await ServerProcess.launch(
            ["serve", "--port", String(port)], expectingPort: port, in: workspace)
        defer { server.child.forceStop() }
        #expect(FileManager.default.fileExists(atPath: workspace.file("lablog.db").path))
        #expect(try await server.stop() == .init(status: 0, bySignal: false))
    }

    @Test("seed adds the demo data once: running it again adds nothing, and the server serves it")
    func seed() async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let database = workspace.file("seeded.db")
        let first = try await runLablog(["seed", "--database", database.path], in: workspace)
        #expect(first.termination == .init(status: 0, bySignal: false), "\(first.standardError)")
        let second = try await runLablog(["seed", "--database", database.path], in: workspace)
        #expect(second.termination == .init(status: 0, bySignal: false), "\(second.standardError)")

        let server = try await ServerProcess.start(database: database, in: workspace)
        defer { server.child.forceStop() }
        let experiments = try await server.api.all("/api/experiments?lifecycle=all")
        #expect(!experiments.isEmpty)
        let names = experiments.compactMap { $0["name"] as? String }
        #expect(Set(names).count == names.count, "seeding twice made duplicates: \(names)")
        #expect(try await server.stop() == .init(status: 0, bySignal: false))
    }

    @Test(
        "An invalid environment value stops start-up with a message naming the variable",
        arguments: [
            ("PORT", "abc"), ("PORT", "70000"), ("MAX_RUNS_PER_EXPERIMENT", "lots"),
        ])
    func invalidEnvironmentValue(variable: String, value: String) async throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let result = try await runLablog(
            ["serve", "--database", workspace.file("invalid.db").path], environment: [variable: value],
            in: workspace, timeout: .seconds(30))
        #expect(!result.termination.bySignal && result.termination.status != 0)
        #expect(result.standardError.contains(variable), "stderr: \(result.standardError)")
    }
}
