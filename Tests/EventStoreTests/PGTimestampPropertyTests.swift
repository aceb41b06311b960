import EventStore
import Foundation
import TestSupport
import Testing

/// Goal: the parser of the server's timestamp text accepts exactly what the server prints
/// (every offset form, local mean time included) and refuses impossible field values instead of
/// rolling them over into another instant.
@Suite("PostgreSQL timestamp text: accepts exactly what is printed")
struct PGTimestampPropertyTests {
    static let rounds = 2_000

    static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// The server's ISO form of `micros` at `offset` seconds: `YYYY-MM-DD HH:MM:SS[.ffffff]±HH[:MM[:SS]]`.
    static func serverText(micros: Int64, offset: Int64) -> String {
        let local = micros + offset * 1_000_000
        let date = Date(
            timeIntervalSince1970: Double(local - local % 1_000_000 - (local % 1_000_000 < 0 ? 1_000_000 : 0))
                / 1_000_000)
        let utc = date.pgText  // "YYYY-MM-DDTHH:MM:SS.ffffffZ" of the local wall clock
        let wall = utc.prefix(19).replacingOccurrences(of: "T", with: " ")
        let fraction = ((local % 1_000_000) + 1_000_000) % 1_000_000
        var text =
            String(wall)
            + (fraction == 0
                ? "" : "." + pad(fraction, 6).replacingOccurrences(of: "0+$", with: "", options: .regularExpression))
        let magnitude = abs(offset)
        text += (offset < 0 ? "-" : "+") + pad(magnitude / 3600, 2)
        if magnitude % 3600 != 0 { text += ":" + pad(magnitude / 60 % 60, 2) }
        if magnitude % 60 != 0 { text += ":" + pad(magnitude % 60, 2) }
        return text
    }

    static func micros(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) }

    @Test("random instants round-trip in the ledger's own form and in the server's forms")
    func roundTrip() throws {
        var random = SplitMix64(seed: 0x96)
        for _ in 0..<Self.rounds {
            // Whole microseconds where the formatter reads them exactly (±2^31 s, years 1901-2038).
            let micros = Int64.random(in: -(1 << 31) * 1_000_000 + 1...(1 << 31) * 1_000_000 - 1, using: &random)
            let date = Date(timeIntervalSince1970: Double(micros) / 1_000_000)
            #expect(Date(pgText: date.pgText).map(Self.micros) == micros, "\(date.pgText)")
            let offset: Int64 = [
                0, 9 * 3600, 19_800, -12_600, 9 * 3600 + 18 * 60 + 59, -(15 * 3600 + 59 * 60 + 59),
                Int64.random(in: -57_599...57_599, using: &random),
            ].randomElement(using: &random)!
            let text = Self.serverText(micros: micros, offset: offset)
            #expect(Date(pgText: text).map(Self.micros) == micros, "\(text)")
        }
    }

    @Test("each impossible field value is refused")
    func mutations() {
        var random = SplitMix64(seed: 0x97)
        for _ in 0..<Self.rounds {
            let micros = Int64.random(in: 0...4_102_444_800_000_000, using: &random)
            let text = Self.serverText(micros: micros, offset: 0)  // "YYYY-MM-DD HH:MM:SS[.f]+00"
            #expect(Date(pgText: text) != nil, "\(text)")
            var year = Int64.random(in: 1...9999, using: &random)
            while (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 { year += 1 }
            func replacing(_ range: Range<Int>, _ value: String) -> String {
                var characters = Array(text)
                characters.replaceSubrange(range, with: Array(value))
                return String(characters)
            }
            let body = String(text.dropLast(3))
            let mutants = [
                replacing(5..<7, "00"), replacing(5..<7, "13"), replacing(8..<10, "00"), replacing(8..<10, "32"),
                replacing(0..<10, "\(Self.pad(year, 4))-02-29"), replacing(5..<10, "02-30"), replacing(5..<10, "04-31"),
                replacing(0..<4, "0000"), replacing(11..<13, "24"), replacing(14..<16, "60"), replacing(17..<19, "60"),
                body + "+16", body + "-16", body + "+09:60", body + "+05:30:60", body + "+09:", body + "+9",
                body + "+00x", body + "+00 ", text + "Z", body + ".+00", String(text.prefix(10)),
            ]
            for mutant in mutants {
                #expect(Date(pgText: mutant) == nil, "\(mutant)")
            }
        }
    }

    @Test("what the server prints for random instants, in several time zones, parses to the instant")
    func serverOutput() async throws {
        let connection = try await PGConnection.connect(try await TestDatabase.emptyDatabase())
        var random = SplitMix64(seed: 0x98)
        for zone in ["UTC", "Asia/Tokyo", "Asia/Kolkata", "America/St_Johns", "Pacific/Kiritimati", "Pacific/Niue"] {
            try await connection.execute("SET TimeZone = '\(zone)'")
            for _ in 0..<50 {
                // Microseconds in 1901-2038; whole seconds in 1850-1901, so local mean time offsets
                // (e.g. +09:18:59 in Tokyo before 1888) are printed too.
                let micros =
                    Bool.random(using: &random)
                    ? Int64.random(in: -(1 << 31) * 1_000_000 + 1...(1 << 31) * 1_000_000 - 1, using: &random)
                    : Int64.random(in: -3_786_825_600...(-(1 << 31)), using: &random) * 1_000_000
                let result = try await connection.query(
                    "SELECT (timestamptz 'epoch' + $1::bigint * interval '1 microsecond')::text", [micros])
                let text = try #require(result.text(row: 0, column: 0))
                #expect(Date(pgText: text).map(Self.micros) == micros, "\(zone): \(text)")
            }
            let probe = try await connection.query(
                "SELECT t::text, (extract(epoch FROM t) * 1000000)::bigint FROM (VALUES ('1880-01-01 00:00:00.5+00'::timestamptz), ('2025-02-28 15:00:00+00'), ('2024-02-29 23:59:59.999999+00'), (now())) AS v(t)"
            )
            for index in 0..<probe.rows.count {
                let text = try #require(probe.text(row: index, column: 0))
                let expected = Int64(try #require(probe.text(row: index, column: 1)))
                #expect(Date(pgText: text).map(Self.micros) == expected, "\(zone): \(text)")
            }
        }
        await connection.close()
    }
}
