import Foundation

/// A Swift value that can be bound as a statement parameter (`$n`), sent in PostgreSQL's text
/// format. Values are always bound, never spliced into SQL text.
public protocol PGEncodable: Sendable {
    /// The value in PostgreSQL's text input format.
    var pgText: String { get }
}

/// A Swift value that can be read from a result column in PostgreSQL's text output format.
public protocol PGDecodable: Sendable {
    /// Parses the server's text output; returns nil when the text is not a valid value.
    init?(pgText: String)
}

extension String: PGEncodable, PGDecodable {
    public var pgText: String { self }
    public init?(pgText: String) { self = pgText }
}

extension Int64: PGEncodable, PGDecodable {
    public var pgText: String { String(self) }
    public init?(pgText: String) { self.init(pgText, radix: 10) }
}

extension Int: PGEncodable, PGDecodable {
    public var pgText: String { String(self) }
    public init?(pgText: String) { self.init(pgText, radix: 10) }
}

extension Int32: PGEncodable, PGDecodable {
    public var pgText: String { String(self) }
    public init?(pgText: String) { self.init(pgText, radix: 10) }
}

/// `xid8` and other unsigned 64-bit values.
extension UInt64: PGEncodable, PGDecodable {
    public var pgText: String { String(self) }
    public init?(pgText: String) { self.init(pgText, radix: 10) }
}

extension Bool: PGEncodable, PGDecodable {
    public var pgText: String { self ? "t" : "f" }
    public init?(pgText: String) {
        switch pgText {
        case "t", "true": self = true
        case "f", "false": self = false
        default: return nil
        }
    }
}

extension UUID: PGEncodable, PGDecodable {
    public var pgText: String { uuidString.lowercased() }
    public init?(pgText: String) { self.init(uuidString: pgText) }
}

/// `timestamptz`, exchanged as UTC ISO 8601 with microseconds (connections run with
/// `TimeZone=UTC` and `DateStyle=ISO`).
extension Date: PGEncodable, PGDecodable {
    public var pgText: String { PGTimestamp.format(self) }
    public init?(pgText: String) {
        guard let date = PGTimestamp.parse(pgText) else { return nil }
        self = date
    }
}

/// A JSON document bound as text; the SQL casts it (`$1::jsonb`).
public struct PGJSON: PGEncodable, PGDecodable, Hashable {
    public var text: String
    public init(_ text: String) { self.text = text }
    public var pgText: String { text }
    public init?(pgText: String) { self.text = pgText }
}

/// A one-dimensional array of text values, in PostgreSQL's array literal syntax.
public struct PGTextArray: PGEncodable, Hashable {
    public var elements: [String?]
    public init(_ elements: [String?]) { self.elements = elements }
    public var pgText: String {
        var out = "{"
        for (index, element) in elements.enumerated() {
            if index > 0 { out += "," }
            guard let element else {
                out += "NULL"
                continue
            }
            out += "\""
            for character in element.unicodeScalars {
                if character == "\"" || character == "\\" { out += "\\" }
                out.unicodeScalars.append(character)
            }
            out += "\""
        }
        return out + "}"
    }
}

/// Microsecond-precise conversion between `Date` and PostgreSQL's ISO timestamp text.
enum PGTimestamp {
    static func format(_ date: Date, offsetSeconds: Int = 0) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) + Int64(offsetSeconds) * 1_000_000
        var days = micros / 86_400_000_000
        var rest = micros % 86_400_000_000
        if rest < 0 {
            rest += 86_400_000_000
            days -= 1
        }
        let (y, m, d) = civil(fromDays: days)
        let seconds = rest / 1_000_000
        let fraction = rest % 1_000_000
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):"
            + "\(pad(seconds % 60, 2)).\(pad(fraction, 6))" + offsetText(offsetSeconds)
    }

    static func offsetText(_ seconds: Int) -> String {
        guard seconds != 0 else { return "Z" }
        let sign = seconds < 0 ? "-" : "+"
        let minutes = abs(seconds) / 60
        return sign + String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }

    /// Parses `YYYY-MM-DD HH:MM:SS[.ffffff][±HH[:MM[:SS]]]` (the server's ISO output, offsets
    /// with seconds for local mean time included) or with a `T`/`Z`. Strict: a field out of range
    /// (month 13, day 30 of February, hour 24, minute or second 60, an offset beyond ±15:59:59,
    /// which the server never prints) is refused, not rolled over into another instant.
    static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    /// The widest offset the server prints (its limit is 15:59:59).
    static let maximumOffsetHours: Int64 = 15

    /// `parse(_:)` over UTF-8 bytes (a result cell read in place, see `PGResult.withBytes`).
    static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        var index = 0
        func number(_ count: Int) -> Int64? {
            guard index + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for _ in 0..<count {
                let byte = bytes[index]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
                index += 1
            }
            return value
        }
        func expect(_ character: UInt8, or other: UInt8? = nil) -> Bool {
            guard index < bytes.count, bytes[index] == character || bytes[index] == other else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(UInt8(ascii: "-")), let month = number(2), expect(UInt8(ascii: "-")),
            let day = number(2), expect(UInt8(ascii: " "), or: UInt8(ascii: "T")), let hour = number(2),
            expect(UInt8(ascii: ":")), let minute = number(2), expect(UInt8(ascii: ":")), let second = number(2),
            year >= 1, (1...12).contains(month), day >= 1, day <= daysInMonth(year, month),
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
        var offsetSeconds: Int64 = 0
        if index < bytes.count {
            let sign = bytes[index]
            index += 1
            if sign == UInt8(ascii: "Z") {
            } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                guard let offsetHours = number(2), offsetHours <= maximumOffsetHours else { return nil }
                var offsetMinutes: Int64 = 0
                var offsetSecondsPart: Int64 = 0
                if index < bytes.count {
                    _ = expect(UInt8(ascii: ":"))
                    guard let minutes = number(2), minutes < 60 else { return nil }
                    offsetMinutes = minutes
                    if index < bytes.count {
                        guard expect(UInt8(ascii: ":")) else { return nil }
                        guard let seconds = number(2), seconds < 60 else { return nil }
                        offsetSecondsPart = seconds
                    }
                }
                offsetSeconds =
                    (offsetHours * 3600 + offsetMinutes * 60 + offsetSecondsPart)
                    * (sign == UInt8(ascii: "-") ? -1 : 1)
            } else {
                return nil
            }
        }
        guard index == bytes.count else { return nil }
        let days = daysFromCivil(year, month, day)
        let total = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        // One rounding (exact microseconds → the nearest Double), so an instant formatted and
        // parsed again is the same `Date`.
        return Date(timeIntervalSince1970: Double(total * 1_000_000 + micros) / 1_000_000)
    }

    /// Days in a Gregorian month.
    static func daysInMonth(_ year: Int64, _ month: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days.
    static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
    }
}

/// Parsers over a result cell's raw bytes (`PGResult.withBytes`), for the event read path where a
/// `String` per cell is the main cost. Each accepts exactly what its type's `init?(pgText:)`
/// accepts: the plain form the server prints is parsed in place, anything else goes through
/// `init?(pgText:)` itself.
public enum PGBytes {
    /// A `text` cell.
    @inline(__always)
    public static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// An optional sign and up to 18 digits in place (cannot overflow); else `Int64(pgText:)`.
    public static func int64(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var index = 0
        var negative = false
        if bytes.count > 1, bytes[0] == UInt8(ascii: "-") {
            negative = true
            index = 1
        }
        guard bytes.count > index, bytes.count - index <= 18 else { return Int64(pgText: string(bytes)) }
        var value: Int64 = 0
        while index < bytes.count {
            let digit = bytes[index] &- 48
            guard digit < 10 else { return Int64(pgText: string(bytes)) }
            value = value &* 10 &+ Int64(digit)
            index += 1
        }
        return negative ? -value : value
    }

    /// Up to 19 digits in place (cannot overflow); else `UInt64(pgText:)`.
    public static func uint64(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard !bytes.isEmpty, bytes.count <= 19 else { return UInt64(pgText: string(bytes)) }
        var value: UInt64 = 0
        for byte in bytes {
            let digit = byte &- 48
            guard digit < 10 else { return UInt64(pgText: string(bytes)) }
            value = value &* 10 &+ UInt64(digit)
        }
        return value
    }

    /// `8-4-4-4-12` hex digits (either case) in place; else `UUID(pgText:)`.
    public static func uuid(_ bytes: UnsafeBufferPointer<UInt8>) -> UUID? {
        guard bytes.count == 36 else { return UUID(pgText: string(bytes)) }
        @inline(__always) func nibble(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte &- UInt8(ascii: "A") &+ 10
            default: nil
            }
        }
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &raw) { out -> Bool in
            var index = 0
            var written = 0
            while index < 36 {
                if index == 8 || index == 13 || index == 18 || index == 23 {
                    guard bytes[index] == UInt8(ascii: "-") else { return false }
                    index += 1
                    continue
                }
                guard let high = nibble(bytes[index]), let low = nibble(bytes[index + 1]) else { return false }
                out[written] = high << 4 | low
                written += 1
                index += 2
            }
            return true
        }
        return parsed ? UUID(uuid: raw) : UUID(pgText: string(bytes))
    }

    /// A `timestamptz` in the server's ISO output (same parser as `Date(pgText:)`).
    public static func date(_ bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        PGTimestamp.parse(bytes: bytes)
    }
}
