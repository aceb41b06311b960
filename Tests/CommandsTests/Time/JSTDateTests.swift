import Commands
import Foundation
import Testing

/// Goal: JST dates parse strictly, convert instants at UTC+9, and do day arithmetic and
/// weekdays right (checked against Foundation's Gregorian calendar as an independent oracle).
@Suite("JSTDate")
struct JSTDateTests {
    @Test(
        "Valid dates parse and print back",
        arguments: ["2024-01-19", "2024-02-29", "2000-02-29", "1970-01-01", "0001-01-01", "9999-12-31", "2026-04-01"])
    func parsesAndPrints(_ text: String) throws {
        #expect(try JSTDate(parsing: text).stringValue == text)
    }

    @Test(
        "Malformed dates are refused with the reason",
        arguments: [
            ("", FieldFormatError.Problem.empty),
            ("2024-1-19", .notAnASCIIDigit(position: 7, found: "-")),
            ("2024/01/19", .unexpectedCharacter(position: 5, found: "/", expected: "'-'")),
            ("20240119", .unexpectedCharacter(position: 5, found: "0", expected: "'-'")),
            ("2024-01-19T00:00", .wrongLength(actual: 16)),
            ("2024-01-1", .wrongLength(actual: 9)),
            ("2023-02-29", .invalidDate(year: 2023, month: 2, day: 29)),
            ("1900-02-29", .invalidDate(year: 1900, month: 2, day: 29)),
            ("2024-13-01", .invalidDate(year: 2024, month: 13, day: 1)),
            ("2024-04-31", .invalidDate(year: 2024, month: 4, day: 31)),
            ("0000-01-01", .invalidDate(year: 0, month: 1, day: 1)),
            ("２０２４-01-19", .notAnASCIIDigit(position: 1, found: "２")),
        ])
    func refused(_ row: (String, FieldFormatError.Problem)) {
        let error = #expect(throws: FieldFormatError.self) { try JSTDate(parsing: row.0, field: "applicationDate") }
        #expect(error?.problem == row.1)
        #expect(error?.message.hasPrefix("applicationDate is not a valid date") == true)
        #expect(error?.message.contains("YYYY-MM-DD") == true)
    }

    @Test("The compact form inside identifiers")
    func compact() throws {
        #expect(try JSTDate(compact: "20240119", field: "orderNo") == JSTDate(year: 2024, month: 1, day: 19))
        #expect(JSTDate(year: 2024, month: 7, day: 3)!.compactString == "20240703")
        #expect(throws: FieldFormatError.self) { try JSTDate(compact: "20240230", field: "orderNo") }
        #expect(throws: FieldFormatError.self) { try JSTDate(compact: "2024011", field: "orderNo") }
    }

    @Test("Calendar-day arithmetic: validUntil = orderDate + 30 days (EX-9, R51)")
    func addingDays() throws {
        let orderDate = try JSTDate(parsing: "2024-01-19")
        #expect(orderDate.adding(days: 30) == JSTDate(year: 2024, month: 2, day: 18))
        #expect(JSTDate(year: 2024, month: 2, day: 28)!.adding(days: 1) == JSTDate(year: 2024, month: 2, day: 29))
        #expect(JSTDate(year: 2023, month: 2, day: 28)!.adding(days: 1) == JSTDate(year: 2023, month: 3, day: 1))
        #expect(JSTDate(year: 2024, month: 12, day: 31)!.adding(days: 1) == JSTDate(year: 2025, month: 1, day: 1))
        #expect(JSTDate(year: 2025, month: 1, day: 1)!.adding(days: -1) == JSTDate(year: 2024, month: 12, day: 31))
        #expect(orderDate.days(until: orderDate.adding(days: 30)) == 30)
        #expect(JSTDate(year: 1970, month: 1, day: 1)!.daysSinceEpoch == 0)
        #expect(JSTDate(year: 1969, month: 12, day: 31)!.daysSinceEpoch == -1)
        let range = orderDate...orderDate.adding(days: 30)
        #expect(range.count == 31)
    }

    @Test(
        "Weekdays of the seed's dates",
        arguments: [
            ("2024-01-19", Weekday.friday),  // EX-9 order date
            ("2024-02-18", .sunday),  // EX-9 validUntil
            ("2024-01-22", .monday),
            ("2024-01-26", .friday),
            ("2024-01-29", .monday),
            ("2025-05-22", .thursday),  // EX-10
            ("2025-05-23", .friday),
            ("1970-01-01", .thursday),
            ("2000-02-29", .tuesday),
            ("2026-04-01", .wednesday),
        ])
    func weekdays(_ row: (String, Weekday)) throws {
        #expect(try JSTDate(parsing: row.0).weekday == row.1)
    }

    @Test("Instants are read at UTC+9")
    func instants() {
        // 2024-01-18T15:00:00Z is 2024-01-19T00:00:00+09:00.
        let midnight: Int64 = 1_705_590_000
        #expect(JSTDate(epochSeconds: midnight) == JSTDate(year: 2024, month: 1, day: 19))
        #expect(JSTDate(epochSeconds: midnight - 1) == JSTDate(year: 2024, month: 1, day: 18))
        #expect(
            JSTDate(instant: Date(timeIntervalSince1970: Double(midnight) - 0.5))
                == JSTDate(year: 2024, month: 1, day: 18))
        #expect(
            JSTDate(instant: Date(timeIntervalSince1970: Double(midnight))) == JSTDate(year: 2024, month: 1, day: 19))
        #expect(JSTDate(year: 2024, month: 1, day: 19)!.startInstant == Date(timeIntervalSince1970: Double(midnight)))
        // Before the epoch: 1969-12-31T15:00:00Z is 1970-01-01 in JST; one second earlier is not.
        #expect(JSTDate(epochSeconds: -32_400) == JSTDate(year: 1970, month: 1, day: 1))
        #expect(JSTDate(epochSeconds: -32_401) == JSTDate(year: 1969, month: 12, day: 31))
    }

    @Test("Agrees with Foundation's Gregorian calendar at UTC+9 for every day 1900-2100")
    func agreesWithFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 9 * 3600)!
        let start = JSTDate(year: 1900, month: 1, day: 1)!
        let end = JSTDate(year: 2100, month: 12, day: 31)!
        var previous: JSTDate?
        // Every 13 hours, so each day is hit at different times of day.
        var seconds = Int64(start.startInstant.timeIntervalSince1970)
        let last = Int64(end.startInstant.timeIntervalSince1970) + 86_399
        while seconds <= last {
            let date = JSTDate(epochSeconds: seconds)
            let parts = calendar.dateComponents(
                [.year, .month, .day, .weekday], from: Date(timeIntervalSince1970: Double(seconds)))
            guard date.year == parts.year, date.month == parts.month, date.day == parts.day else {
                Issue.record("\(seconds): \(date) vs \(parts)")
                return
            }
            // Foundation: Sunday = 1 ... Saturday = 7.
            #expect(date.weekday.rawValue % 7 + 1 == parts.weekday)
            if let previous, previous != date { #expect(previous.adding(days: 1) == date) }
            previous = date
            seconds += 13 * 3600
        }
    }

    @Test("Days since epoch round-trip for distant dates")
    func roundTrip() {
        for days in stride(from: -800_000, through: 3_000_000, by: 997) {
            let date = JSTDate(daysSinceEpoch: days)
            #expect(date.daysSinceEpoch == days)
            #expect(
                JSTDate(year: date.year, month: date.month, day: date.day) == date || date.year < 1 || date.year > 9999)
        }
    }

    @Test("JSON form is the YYYY-MM-DD string")
    func json() throws {
        struct Row: Codable, Equatable { var validUntil: JSTDate }
        let data = try JSONEncoder().encode(Row(validUntil: JSTDate(year: 2024, month: 2, day: 18)!))
        #expect(String(decoding: data, as: UTF8.self) == #"{"validUntil":"2024-02-18"}"#)
        #expect(try JSONDecoder().decode(Row.self, from: data).validUntil == JSTDate(year: 2024, month: 2, day: 18))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Row.self, from: Data(#"{"validUntil":"2024-02-30"}"#.utf8))
        }
    }
}
