import Commands
import Foundation
import TestSupport
import Testing

/// Goal: the envelope's and payloads' time parser accepts exactly what the ledger formats and
/// refuses every field that no clock shows, instead of rolling it over into another instant
/// (the defect: 2025-02-30T10:00:00+09:00 was read as 2025-03-02).
@Suite("RFC 3339 parser: accepts exactly what it formats")
struct RFC3339PropertyTests {
    static let rounds = 2_000

    /// A random instant and offset: whole microseconds where a `Date` holds them exactly (±2^31 s,
    /// years 1901-2038; farther out the formatters' `t * 1e6` may be off by 1 µs), whole seconds
    /// anywhere in years 1-9999.
    static func instant(_ random: inout SplitMix64) -> (Date, Int) {
        let offset = Int.random(in: -14 * 60...14 * 60, using: &random) * 60
        if Bool.random(using: &random) {
            let micros = Int64.random(in: -(1 << 31) * 1_000_000 + 1...(1 << 31) * 1_000_000 - 1, using: &random)
            return (Date(timeIntervalSince1970: Double(micros) / 1_000_000), offset)
        }
        let seconds = Int64.random(in: -62_135_596_800...253_402_300_799, using: &random)
        return (Date(timeIntervalSince1970: Double(seconds)), offset)
    }

    static func micros(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) }

    @Test("random instants round-trip format → parse at every offset, in both printed forms")
    func roundTrip() throws {
        var random = SplitMix64(seed: 0x3339)
        for _ in 0..<Self.rounds {
            let (date, offset) = Self.instant(&random)
            let text = RFC3339.format(date, offsetSeconds: offset)
            let local = date.addingTimeInterval(Double(offset))
            guard local.timeIntervalSince1970 >= -62_135_596_800, local.timeIntervalSince1970 < 253_402_300_800 else {
                continue  // the local date would fall outside years 1-9999
            }
            let parsed = try #require(RFC3339.parse(text), "\(text)")
            #expect(Self.micros(parsed) == Self.micros(date), "\(text)")
            #expect(RFC3339.format(parsed, offsetSeconds: offset) == text)
            let short = JSTTimestamp.rfc3339(date)
            if short.hasPrefix("1") || short.hasPrefix("2") || short.hasPrefix("9") {
                #expect(RFC3339.parse(short).map(Self.micros) == Self.micros(date), "\(short)")
            }
        }
    }

    /// The fields of a valid time, printed with one of them replaced.
    struct Fields {
        var year = "2025", month = "03", day = "17", hour = "10", minute = "00", second = "00"
        var fraction = "", offset = "+09:00", trailing = ""
        var text: String { "\(year)-\(month)-\(day)T\(hour):\(minute):\(second)\(fraction)\(offset)\(trailing)" }
    }

    static func nonLeapYear(_ random: inout SplitMix64) -> Int {
        while true {
            let year = Int.random(in: 1...9999, using: &random)
            if !JSTDate.isLeapYear(year) { return year }
        }
    }

    static func valid(_ random: inout SplitMix64) -> Fields {
        let date = JSTDate(daysSinceEpoch: Int.random(in: -719_162...2_932_896, using: &random))
        var fields = Fields()
        fields.year = ASCII.pad(date.year, 4)
        fields.month = ASCII.pad(date.month, 2)
        fields.day = ASCII.pad(date.day, 2)
        fields.hour = ASCII.pad(Int.random(in: 0...23, using: &random), 2)
        fields.minute = ASCII.pad(Int.random(in: 0...59, using: &random), 2)
        fields.second = ASCII.pad(Int.random(in: 0...59, using: &random), 2)
        if Bool.random(using: &random) {
            fields.fraction = "." + ASCII.pad(Int.random(in: 0...999_999, using: &random), 6)
        }
        let minutes = Int.random(in: -14 * 60...14 * 60, using: &random)
        fields.offset =
            minutes == 0 && Bool.random(using: &random)
            ? "Z"
            : (minutes < 0 ? "-" : "+") + ASCII.pad(abs(minutes) / 60, 2) + ":" + ASCII.pad(abs(minutes) % 60, 2)
        return fields
    }

    @Test("random valid field values parse; each impossible field value is refused")
    func mutations() {
        var random = SplitMix64(seed: 0x3340)
        for _ in 0..<Self.rounds {
            let fields = Self.valid(&random)
            #expect(RFC3339.parse(fields.text) != nil, "\(fields.text)")
            let year = Self.nonLeapYear(&random)
            let thirtyDayMonth = [4, 6, 9, 11].randomElement(using: &random)!
            let mutants: [(String, (inout Fields) -> Void)] = [
                ("month 0", { $0.month = "00" }), ("month 13", { $0.month = "13" }),
                ("day 0", { $0.day = "00" }), ("day 32", { $0.day = "32" }),
                (
                    "29 February, non-leap",
                    {
                        $0.year = ASCII.pad(year, 4)
                        $0.month = "02"
                        $0.day = "29"
                    }
                ),
                (
                    "30 February",
                    {
                        $0.month = "02"
                        $0.day = "30"
                    }
                ),
                (
                    "day 31 of a 30-day month",
                    {
                        $0.month = ASCII.pad(thirtyDayMonth, 2)
                        $0.day = "31"
                    }
                ),
                ("year 0", { $0.year = "0000" }),
                ("hour 24", { $0.hour = "24" }), ("minute 60", { $0.minute = "60" }),
                ("second 60", { $0.second = "60" }),
                ("offset +14:01", { $0.offset = "+14:01" }), ("offset -14:01", { $0.offset = "-14:01" }),
                ("offset +15:00", { $0.offset = "+15:00" }), ("offset minutes 60", { $0.offset = "+09:60" }),
                ("no offset", { $0.offset = "" }), ("offset without colon", { $0.offset = "+0900" }),
                ("empty fraction", { $0.fraction = "." }),
                ("trailing junk", { $0.trailing = ["x", " ", "Z", "0", "\n", ":00"].randomElement(using: &random)! }),
            ]
            for (name, mutate) in mutants {
                var mutant = fields
                mutate(&mutant)
                #expect(RFC3339.parse(mutant.text) == nil, "\(name): \(mutant.text)")
            }
        }
    }

    @Test("the reported defect: 2025-02-30T10:00:00+09:00 is not 2025-03-02")
    func reportedDefect() {
        #expect(RFC3339.parse("2025-02-30T10:00:00+09:00") == nil)
        #expect(RFC3339.parse("2025-02-28T10:00:00+09:00") != nil)
        #expect(RFC3339.parse("2024-02-29T10:00:00+09:00") != nil)
        #expect(RFC3339.parse("2025-03-17T24:00:00+09:00") == nil)
        #expect(RFC3339.parse("2025-03-17T10:00:00+14:00") != nil)
        #expect(RFC3339.parse("2025-03-17T10:00:00-14:00") != nil)
    }
}

/// Zero-padded decimal text for building test inputs.
enum ASCII {
    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
