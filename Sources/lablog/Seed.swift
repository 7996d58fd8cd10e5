import ArgumentParser
import LablogCore
import LablogServer

/// `lablog seed`: writes the demo data set straight into the database.
struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add the demo experiments and runs to the database; running it again adds nothing.")

    @OptionGroup var database: DatabaseOption

    func run() async throws {
        let startup = try await Startup(flags: ConfigurationFlags(database: database.database))
        let store = try startup.openStore()
        let summary = try await startup.reportingFailures {
            try await store.migrate()
            return try await DemoData.seed(into: store)
        }
        print("Created \(summary.experimentsCreated) experiments and \(summary.runsCreated) runs.")
    }
}
