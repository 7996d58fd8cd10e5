import ArgumentParser

/// `--database`, shared by every command that opens the database.
struct DatabaseOption: ParsableArguments {
    @Option(
        name: .customLong("database"),
        help: ArgumentHelp(
            "A file path or URL: sqlite://PATH, sqlite:///ABSOLUTE/PATH, sqlite::memory: or "
                + "postgres://USER:PASSWORD@HOST:PORT/DATABASE (DATABASE_URL; default sqlite://./lablog.db).",
            valueName: "path-or-url"))
    var database: String?
}
