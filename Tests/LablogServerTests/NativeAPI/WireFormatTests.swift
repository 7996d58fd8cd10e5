import Foundation
import Testing

@testable import LablogServer

@Suite("Native API: wire formats")
struct WireFormatTests {
    @Test(
        "Timestamps format as ISO 8601 UTC with milliseconds",
        arguments: [
            (Int64(0), "1970-01-01T00:00:00.000Z"),
            (1_767_225_600_123, "2026-01-01T00:00:00.123Z"),
            (951_782_400_000, "2000-02-29T00:00:00.000Z"),
            (-1, "1969-12-31T23:59:59.999Z"),
            (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
        ])
    func format(milliseconds: Int64, text: String) {
        #expect(WireTime.format(milliseconds) == text)
        #expect(WireTime.parse(text) == milliseconds)
    }

    @Test("Formatting agrees with Foundation over a spread of instants")
    func agreesWithFoundation() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        var milliseconds: Int64 = -2_208_988_800_000  // 1900-01-01
        while milliseconds < 4_102_444_800_000 {  // 2100-01-01
            let expected = formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
            #expect(WireTime.format(milliseconds) == expected)
            milliseconds += 7_776_000_123  // about 90 days, and some milliseconds
        }
    }

    @Test(
        "ISO input forms parse; everything else is refused",
        arguments: [
            ("2026-01-01", Int64?(1_767_225_600_000)),
            ("2026-01-01T00:00", 1_767_225_600_000),
            ("2026-01-01 00:00:01", 1_767_225_601_000),
            ("2026-01-01T01:00:00+01:00", 1_767_225_600_000),
            ("2025-12-31T19:00:00.5-0500", 1_767_225_600_500),
            ("2026-01-01T00:00:00.123456Z", 1_767_225_600_123),
            ("2026-02-29T00:00:00Z", nil),
            ("2026-13-01T00:00:00Z", nil),
            ("2026-01-01T24:00:00Z", nil),
            ("2026-01-01T00:00:00Zjunk", nil),
            ("1767225600000", nil),
            ("", nil),
        ])
    func parse(text: String, milliseconds: Int64?) {
        #expect(WireTime.parse(text) == milliseconds)
    }

    @Test("CSV fields are quoted only when needed and formulas are neutralised unless numeric")
    func csvCells() {
        #expect(ExportEncoder.csvField("plain") == "plain")
        #expect(ExportEncoder.csvField("a,b") == "\"a,b\"")
        #expect(ExportEncoder.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(ExportEncoder.csvField("two\r\nlines") == "\"two\r\nlines\"")
        #expect(ExportEncoder.neutralizingFormula("=1+1") == "'=1+1")
        #expect(ExportEncoder.neutralizingFormula("@SUM(A1)") == "'@SUM(A1)")
        #expect(ExportEncoder.neutralizingFormula("-2.5e-3") == "-2.5e-3")
        #expect(ExportEncoder.neutralizingFormula("+7") == "+7")
        #expect(ExportEncoder.neutralizingFormula("-cmd|calc") == "'-cmd|calc")
        #expect(ExportEncoder.neutralizingFormula("a=b") == "a=b")
    }
}
