import ArgumentParser
import LablogCore
import LablogServer

/// `lablog migrate`: brings the database schema to this build's version.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create the database or bring its schema up to date (the server also does this at start).")

    @OptionGroup var database: DatabaseOption

    func run() async throws {
        let startup = try await Startup(flags: ConfigurationFlags(database: database.database))
        let store = try startup.openStore()
        try await startup.reportingFailures { try await store.migrate() }
        print("Database \(startup.configuration.database) is up to date.")
    }
}
