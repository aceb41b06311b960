import Commands
import Foundation
import TestSupport
import Testing

/// Goal: business dates (YYYY-MM-DD: applicationDate, depositedOn, businessDate, …) and the
/// compact yyyyMMdd form inside identifiers accept exactly what they print.
@Suite("JSTDate parsers: accept exactly what they format")
struct JSTDatePropertyTests {
    static let rounds = 3_000
    /// 0001-01-01 ... 9999-12-31 as days since 1970-01-01.
    static let days = -719_162...2_932_896

    @Test("random dates round-trip through both text forms")
    func roundTrip() throws {
        var random = SplitMix64(seed: 0xDA7E)
        for _ in 0..<Self.rounds {
            let date = JSTDate(daysSinceEpoch: Int.random(in: Self.days, using: &random))
            #expect(try JSTDate(parsing: date.stringValue, field: "date") == date)
            #expect(try JSTDate(compact: date.compactString, field: "date") == date)
        }
    }

    @Test("each impossible field value is refused, in both forms, naming the field")
    func mutations() {
        var random = SplitMix64(seed: 0xDA7F)
        for _ in 0..<Self.rounds {
            let date = JSTDate(daysSinceEpoch: Int.random(in: Self.days, using: &random))
            var nonLeap = Int.random(in: 1...9999, using: &random)
            while JSTDate.isLeapYear(nonLeap) { nonLeap += 1 }
            let year = ASCII.pad(date.year, 4)
            let month = ASCII.pad(date.month, 2)
            let day = ASCII.pad(date.day, 2)
            let thirty = ASCII.pad([4, 6, 9, 11].randomElement(using: &random)!, 2)
            let mutants: [(String, String, String)] = [
                ("month 0", year, "00", day), ("month 13", year, "13", day), ("day 0", year, month, "00"),
                ("day 32", year, month, "32"), ("29 February, non-leap", ASCII.pad(nonLeap, 4), "02", "29"),
                ("30 February", year, "02", "30"), ("31st of a 30-day month", year, thirty, "31"),
                ("year 0", "0000", month, day),
            ].map { ($0.0, "\($0.1)-\($0.2)-\($0.3)", "\($0.1)\($0.2)\($0.3)") }
            for (name, text, compact) in mutants {
                #expect(throws: FieldFormatError.self, "\(name): \(text)") {
                    try JSTDate(parsing: text, field: "depositedOn")
                }
                #expect(throws: FieldFormatError.self, "\(name): \(compact)") {
                    try JSTDate(compact: compact, field: "d")
                }
            }
            let junk = ["x", " ", "T00:00", "0", "\n"].randomElement(using: &random)!
            #expect(throws: FieldFormatError.self) { try JSTDate(parsing: date.stringValue + junk, field: "date") }
            #expect(throws: FieldFormatError.self) { try JSTDate(compact: date.compactString + junk, field: "date") }
            do {
                _ = try JSTDate(parsing: "\(year)-13-\(day)", field: "depositedOn")
            } catch {
                #expect(error.message.hasPrefix("depositedOn"))
            }
        }
    }
}
