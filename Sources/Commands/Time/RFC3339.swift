import Foundation

/// RFC 3339 timestamps with microseconds, for event payloads and command envelopes (DOMAIN.md §6
/// `Timestamp`). The parser is strict: it refuses what no clock shows (day 30 of February, hour
/// 24, minute 60, month 13, an offset beyond ±14:00) instead of rolling it over into another
/// instant, and a time without an offset.
public enum RFC3339 {
    /// The widest UTC offset in use anywhere (UTC+14, Line Islands; UTC-12 is narrower).
    public static let maximumOffsetSeconds = 14 * 3600

    /// `2025-03-17T10:05:00.000000+09:00` (JST by default: the ledger's business time zone).
    public static func format(_ date: Date, offsetSeconds: Int = JSTDate.utcOffsetSeconds) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) + Int64(offsetSeconds) * 1_000_000
        var days = micros / 86_400_000_000
        var rest = micros % 86_400_000_000
        if rest < 0 {
            rest += 86_400_000_000
            days -= 1
        }
        let seconds = Int(rest / 1_000_000)
        let time =
            ASCIIDigits.padded(seconds / 3600, width: 2) + ":" + ASCIIDigits.padded(seconds / 60 % 60, width: 2)
            + ":" + ASCIIDigits.padded(seconds % 60, width: 2) + "."
            + ASCIIDigits.padded(Int(rest % 1_000_000), width: 6)
        return JSTDate(daysSinceEpoch: Int(days)).stringValue + "T" + time + offsetText(offsetSeconds)
    }

    static func offsetText(_ seconds: Int) -> String {
        guard seconds != 0 else { return "Z" }
        let minutes = abs(seconds) / 60
        return (seconds < 0 ? "-" : "+") + ASCIIDigits.padded(minutes / 60, width: 2) + ":"
            + ASCIIDigits.padded(minutes % 60, width: 2)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; nil for anything else.
    public static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    /// `parse(_:)` over UTF-8 bytes.
    static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        var index = 0
        func number(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for _ in 0..<count {
                let byte = bytes[index]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
                index += 1
            }
            return value
        }
        func expect(_ character: Character) -> Bool {
            guard index < bytes.count, bytes[index] == character.asciiValue else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
            expect("T"), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
            let second = number(2), let date = JSTDate(year: year, month: month, day: day),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var micros: Int64 = 0
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                if digits < 6 { micros = micros * 10 + Int64(bytes[index] - 48) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 6) { micros *= 10 }
        }
        guard index < bytes.count else { return nil }
        var offsetSeconds = 0
        if bytes[index] == UInt8(ascii: "Z") {
            index += 1
        } else {
            let sign = bytes[index]
            guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
            index += 1
            guard let offsetHours = number(2), expect(":"), let offsetMinutes = number(2), offsetMinutes < 60 else {
                return nil
            }
            offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
            guard abs(offsetSeconds) <= maximumOffsetSeconds else { return nil }
        }
        guard index == bytes.count else { return nil }
        let local = Int64(date.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        // One rounding (exact microseconds → the nearest Double), so an instant formatted and
        // parsed again is the same `Date`.
        return Date(timeIntervalSince1970: Double((local - Int64(offsetSeconds)) * 1_000_000 + micros) / 1_000_000)
    }
}
