import LablogCore
import Testing

/// A filter and the tree it must parse to.
struct AcceptedFilter: Sendable, CustomTestStringConvertible {
    var text: String
    var expected: FilterExpression

    init(_ text: String, _ expected: FilterExpression) {
        self.text = text
        self.expected = expected
    }

    var testDescription: String { text }
}

@Suite("Filter parser: accepted filters")
struct FilterParserTests {
    /// Every accepted run filter of MLflow's reference (section 4), with the meaning it has there.
    static let mlflowExamples: [AcceptedFilter] = [
        .init("metrics.loss < 1 and params.lr = '0.1'", metric("loss", .less, 1) && param("lr", .equal, "0.1")),
        .init("metric.loss <= 0.34", metric("loss", .lessOrEqual, 0.34)),
        .init("metrics.`my metric` > -3", metric("my metric", .greater, -3)),
        .init("params.lr IS NOT NULL", condition(.param("lr"), .isNotNull, .none)),
        .init("tags.`mlflow.runName` LIKE 'named%'", tag("mlflow.runName", .like, "named%")),
        .init("tags.\"mlflow.runName\" ILIKE 'NAMED%'", tag("mlflow.runName", .ilike, "NAMED%")),
        .init("tags.mlflow.runName = 'named-run'", tag("mlflow.runName", .equal, "named-run")),
        .init("attributes.status = 'FINISHED'", attribute(.status, .equal, "FINISHED")),
        .init("status = 'FAILED'", attribute(.status, .equal, "FAILED")),
        .init("attributes.run_name = 'named-run'", attribute(.runName, .equal, "named-run")),
        .init("attributes.start_time > 0", attribute(.startTime, .greater, 0)),
        .init("attributes.created > 0", attribute(.startTime, .greater, 0)),
        .init(
            "attributes.run_id IN ('2adcc7','80f27c')",
            condition(.attribute(.runID), .in, .list(["2adcc7", "80f27c"]))),
        .init("attributes.run_id NOT IN ('2adcc7')", condition(.attribute(.runID), .notIn, .list(["2adcc7"]))),
        .init("datasets.name = 'myds'", condition(.dataset("name"), .equal, .string("myds"))),
        .init(
            "datasets.digest IN ('ad126910','abc123')",
            condition(.dataset("digest"), .in, .list(["ad126910", "abc123"]))),
        .init("datasets.context = 'training'", condition(.dataset("context"), .equal, .string("training"))),
        .init("tags.k1 ILIKE 'V%'", tag("k1", .ilike, "V%")),
        .init("tags.k1 IS NULL", condition(.tag("k1"), .isNull, .none)),
    ]

    @Test("MLflow's documented examples parse to their meaning", arguments: mlflowExamples)
    func mlflowExample(_ example: AcceptedFilter) throws {
        #expect(try FilterParser.parse(example.text) == example.expected)
    }

    /// Filters MLflow refuses but Lablog's extensions accept, with the meaning Lablog gives them.
    static let extensions: [AcceptedFilter] = [
        .init(
            "metrics.loss < 1 OR params.lr = '0.1'", metric("loss", .less, 1) || param("lr", .equal, "0.1")),
        .init("(metrics.loss < 0)", metric("loss", .less, 0)),
        .init("attributes.status IN ('FINISHED')", condition(.attribute(.status), .in, .list(["FINISHED"]))),
        .init(
            "status NOT IN ('failed', 'killed')", condition(.attribute(.status), .notIn, .list(["FAILED", "KILLED"]))),
        .init("NOT params.x LIKE 'y%'", !param("x", .like, "y%")),
        .init("metrics.acc IS NULL", condition(.metric("acc"), .isNull, .none)),
        .init("metrics.acc is not null", condition(.metric("acc"), .isNotNull, .none)),
        .init("params.opt IN ('adam', \"sgd\")", condition(.param("opt"), .in, .list(["adam", "sgd"]))),
        .init("tags.team NOT IN ('vision')", condition(.tag("team"), .notIn, .list(["vision"]))),
        .init("user_id IN ('alice', 'bob')", condition(.attribute(.userID), .in, .list(["alice", "bob"]))),
        .init("run_name NOT IN ('x')", condition(.attribute(.runName), .notIn, .list(["x"]))),
        .init("artifact_uri LIKE 's3://%'", attribute(.artifactURI, .like, "s3://%")),
        .init("metrics.train/loss < 0.5", metric("train/loss", .less, 0.5)),
        .init("metrics.val-loss < 0.5", metric("val-loss", .less, 0.5)),
        .init("tags.team:lead = 'x'", tag("team:lead", .equal, "x")),
    ]

    @Test("Lablog's extensions accept more than MLflow", arguments: extensions)
    func lablogExtension(_ example: AcceptedFilter) throws {
        #expect(try FilterParser.parse(example.text) == example.expected)
    }

    /// Every entity alias and every attribute alias, quoted and bare.
    static let names: [AcceptedFilter] = [
        .init("metrics.a = 1", metric("a", .equal, 1)),
        .init("metric.a = 1", metric("a", .equal, 1)),
        .init("params.a = 'x'", param("a", .equal, "x")),
        .init("param.a = 'x'", param("a", .equal, "x")),
        .init("parameters.a = 'x'", param("a", .equal, "x")),
        .init("parameter.a = 'x'", param("a", .equal, "x")),
        .init("tags.a = 'x'", tag("a", .equal, "x")),
        .init("tag.a = 'x'", tag("a", .equal, "x")),
        .init("attributes.status = 'X'", attribute(.status, .equal, "X")),
        .init("attribute.status = 'X'", attribute(.status, .equal, "X")),
        .init("attr.status = 'X'", attribute(.status, .equal, "X")),
        .init("run.status = 'X'", attribute(.status, .equal, "X")),
        .init("dataset.name = 'd'", condition(.dataset("name"), .equal, .string("d"))),
        .init("datasets.name = 'd'", condition(.dataset("name"), .equal, .string("d"))),
        .init("run_id = 'abc'", attribute(.runID, .equal, "abc")),
        .init("run_name = 'n'", attribute(.runName, .equal, "n")),
        .init("user_id = 'u'", attribute(.userID, .equal, "u")),
        .init("artifact_uri = 'file:///x'", attribute(.artifactURI, .equal, "file:///x")),
        .init("start_time >= 5", attribute(.startTime, .greaterOrEqual, 5)),
        .init("end_time < 1700000000000", attribute(.endTime, .less, 1_700_000_000_000)),
        .init("created > 1", attribute(.startTime, .greater, 1)),
        .init("Created > 1", attribute(.startTime, .greater, 1)),
        .init("`run name` = 'n'", attribute(.runName, .equal, "n")),
        .init("\"Run name\" = 'n'", attribute(.runName, .equal, "n")),
        .init("`Run Name` = 'n'", attribute(.runName, .equal, "n")),
        .init("attributes.`run name` = 'n'", attribute(.runName, .equal, "n")),
        .init("`status` = 'x'", attribute(.status, .equal, "X")),
        .init("`metrics`.`loss` < 1", metric("loss", .less, 1)),
        .init("`metrics`.loss < 1", metric("loss", .less, 1)),
        .init("\"metrics\".\"my loss\" < 1", metric("my loss", .less, 1)),
        .init("`tags`.mlflow.runName = 'r'", tag("mlflow.runName", .equal, "r")),
        .init("`attributes`.start_time > 1", attribute(.startTime, .greater, 1)),
        .init("metrics.\"a b\" > 1", metric("a b", .greater, 1)),
        .init("params.`it's` = 'x'", param("it's", .equal, "x")),
        .init("params.\"a`b\" = 'x'", param("a`b", .equal, "x")),
        .init("metrics.`a.b.c` > 1", metric("a.b.c", .greater, 1)),
        .init("metrics.a.b.c > 1", metric("a.b.c", .greater, 1)),
        .init("metrics.0acc > 1", metric("0acc", .greater, 1)),
        .init("metrics.précision > 1", metric("précision", .greater, 1)),
        .init("tags.`日本` = '語'", tag("日本", .equal, "語")),
        .init("metrics.AND > 1", metric("AND", .greater, 1)),
        .init("metrics.`and` > 1", metric("and", .greater, 1)),
    ]

    @Test("Entity and attribute names, aliases and quoting", arguments: names)
    func name(_ example: AcceptedFilter) throws {
        #expect(try FilterParser.parse(example.text) == example.expected)
    }

    /// Quoted strings and the numbers the lexer reads.
    static let values: [AcceptedFilter] = [
        .init("params.a = \"it's\"", param("a", .equal, "it's")),
        .init("params.a = 'say \"hi\"'", param("a", .equal, "say \"hi\"")),
        .init("params.a = ''", param("a", .equal, "")),
        .init("params.a = '  padded  '", param("a", .equal, "  padded  ")),
        .init("params.a = 'héllo 🌍'", param("a", .equal, "héllo 🌍")),
        .init("params.a = 'two\nlines'", param("a", .equal, "two\nlines")),
        .init("params.a = 'x AND y OR (z)'", param("a", .equal, "x AND y OR (z)")),
        .init("params.a = 'back`tick;'", param("a", .equal, "back`tick;")),
        .init("params.a = 'a\\'", param("a", .equal, "a\\")),
        .init("params.a IN ('x', \"y's\", '')", condition(.param("a"), .in, .list(["x", "y's", ""]))),
        .init("params.a IN('x')", condition(.param("a"), .in, .list(["x"]))),
        .init("params.a in ( 'x' , 'y' )", condition(.param("a"), .in, .list(["x", "y"]))),
        .init("metrics.a = 1", metric("a", .equal, 1)),
        .init("metrics.a = 0", metric("a", .equal, 0)),
        .init("metrics.a = -1", metric("a", .equal, -1)),
        .init("metrics.a = +1", metric("a", .equal, 1)),
        .init("metrics.a = 1.5", metric("a", .equal, 1.5)),
        .init("metrics.a = -2.5", metric("a", .equal, -2.5)),
        .init("metrics.a = -2.4e0", metric("a", .equal, -2.4)),
        .init("metrics.a = 1e-3", metric("a", .equal, 0.001)),
        .init("metrics.a = 1E3", metric("a", .equal, 1000)),
        .init("metrics.a = 1e+2", metric("a", .equal, 100)),
        .init("metrics.a = .5", metric("a", .equal, 0.5)),
        .init("metrics.a = -.5", metric("a", .equal, -0.5)),
        .init("metrics.a = 1.", metric("a", .equal, 1)),
        .init("metrics.a = 007", metric("a", .equal, 7)),
        .init("metrics.a = 1e400", metric("a", .equal, .infinity)),
        .init("start_time = 1700000000123", attribute(.startTime, .equal, 1_700_000_000_123)),
        .init("metrics.a>=-1", metric("a", .greaterOrEqual, -1)),
        .init("metrics.a!=1", metric("a", .notEqual, 1)),
        .init("params.a='x'and params.b='y'", param("a", .equal, "x") && param("b", .equal, "y")),
        .init("\t metrics.a\n<\r\n1 ", metric("a", .less, 1)),
    ]

    @Test("String and number values", arguments: values)
    func value(_ example: AcceptedFilter) throws {
        #expect(try FilterParser.parse(example.text) == example.expected)
    }

    @Test("status values are upper-cased; other attributes keep their case")
    func statusCase() throws {
        #expect(try FilterParser.parse("status = 'finished'") == attribute(.status, .equal, "FINISHED"))
        #expect(try FilterParser.parse("status LIKE 'fin%'") == attribute(.status, .like, "FIN%"))
        #expect(
            try FilterParser.parse("status IN ('failed', 'Killed')")
                == condition(.attribute(.status), .in, .list(["FAILED", "KILLED"])))
        #expect(try FilterParser.parse("run_name = 'MiXed'") == attribute(.runName, .equal, "MiXed"))
        #expect(try FilterParser.parse("tags.status = 'finished'") == tag("status", .equal, "finished"))
    }

    @Test("An empty or all-whitespace filter is nil", arguments: ["", " ", "\t\n", "\r\n   "])
    func empty(_ text: String) throws {
        #expect(try FilterParser.parse(text) == nil)
    }
}
