import LablogCore
import LablogPostgres
import Testing

@Suite("PostgreSQL URLs")
struct PostgresLocationTests {
    @Test("every part of a full URL is read, percent-decoded")
    func fullURL() throws {
        let location = try PostgresLocation(
            url: "postgresql://ml%40team:p%2Fss%3Aword@db.example.com:6543/tracking?sslmode=require&schema=lablog")
        #expect(location.username == "ml@team")
        #expect(location.password == "p/ss:word")
        #expect(location.host == "db.example.com")
        #expect(location.port == 6543)
        #expect(location.database == "tracking")
        #expect(location.tls == .require)
        #expect(location.schema == "lablog")
        #expect(location.description == "db.example.com:6543/tracking")
    }

    @Test("defaults: port 5432, database named after the user, TLS preferred, no password")
    func defaults() throws {
        let location = try PostgresLocation(url: "postgres://lablog@localhost")
        #expect(location.port == 5432)
        #expect(location.database == "lablog")
        #expect(location.tls == .prefer)
        #expect(location.password == nil)
        #expect(location.schema == nil)
    }

    @Test(
        "malformed URLs are refused with a reason and without the password",
        arguments: [
            ("mysql://u:secret@h/db", "scheme"),
            ("postgres://h/db", "no user"),
            ("postgres://u:secret@h/db/extra", "path"),
            ("postgres://u:secret@h/db?sslmode=sometimes", "sslmode"),
            ("postgres://u:secret@h/db?schema=Bad-Name", "schema"),
            ("postgres://u:secret@h/db?timeout=3", "unknown parameter"),
        ])
    func refused(url: String, reason: String) throws {
        let error = try #require(throws: LablogError.self) { try PostgresLocation(url: url) }
        guard case .invalidValue(_, let message) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(message.contains(reason))
        #expect(!message.contains("secret"))
    }
}
