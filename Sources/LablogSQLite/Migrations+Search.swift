import GRDB

extension Migrations {
    /// Makes the tag index cover run ids, as the param and latest-metric indexes already do, so run search reads
    /// a tag condition as one index range without visiting the table.
    static func searchIndexes(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE INDEX run_tags_by_key_value ON run_tags (key, value, run_id);
                DROP INDEX run_tags_by_key;
                """)
    }
}
