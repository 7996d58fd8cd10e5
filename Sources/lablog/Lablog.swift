import ArgumentParser
import LablogServer

/// `lablog`: the self-hosted ML experiment tracker. Without a subcommand it prints its help.
@main
struct Lablog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lablog",
        abstract: "A self-hosted ML experiment tracker.",
        discussion: """
            Settings come from flags, then environment variables, then a .env file in the working directory, \
            then defaults. See the README for every variable.
            """,
        version: LablogVersion.current,
        subcommands: [Serve.self, Migrate.self, Seed.self, Copy.self]
    )
}
