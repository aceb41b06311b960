import Foundation

/// A calendar date in Japan Standard Time (Asia/Tokyo, UTC+9, no daylight saving time).
///
/// Business dates (申請日, 決済日, 購入日, validUntil, scheduledIssueDate) and the dates inside
/// identifiers are JST dates (DOMAIN.md §0, §4). Arithmetic is on whole days with integer
/// day numbers; no `Calendar` or time-zone database is involved. Text and JSON form:
/// "YYYY-MM-DD" with a four-digit year 0001-9999.
public struct JSTDate: Hashable, Comparable, Sendable, Strideable, TextFormattedValue {
    /// The year, e.g. 2024.
    public let year: Int
    /// The month, 1-12.
    public let month: Int
    /// The day of the month, 1-31.
    public let day: Int

    /// JST is UTC+9 all year.
    public static let utcOffsetSeconds = 9 * 3600
    private static let secondsPerDay = 86_400

    public static let defaultFieldName = "date"
    static let format = FieldFormat(subject: "date", rule: "a JST calendar date as YYYY-MM-DD, e.g. 2024-01-19")
    static let compactFormat = FieldFormat(
        subject: "date", rule: "a JST calendar date as 8 ASCII digits yyyyMMdd, e.g. 20240119")

    /// The date, or nil if `year`-`month`-`day` is not a calendar date or the year is
    /// outside 1...9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...Self.daysInMonth(year: year, month: month)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `daysSinceEpoch` days after 1970-01-01.
    ///
    /// Arithmetic may produce years outside 1...9999; such dates print with more digits and do
    /// not parse back. Callers bound their inputs (business dates are decades, not millennia).
    public init(daysSinceEpoch: Int) {
        (year, month, day) = Self.civil(fromDaysSinceEpoch: daysSinceEpoch)
    }

    /// The JST date of the instant `epochSeconds` seconds after 1970-01-01T00:00:00Z.
    public init(epochSeconds: Int64) {
        let local = epochSeconds + Int64(Self.utcOffsetSeconds)
        let days = local >= 0 ? local / Int64(Self.secondsPerDay) : -((-local - 1) / Int64(Self.secondsPerDay)) - 1
        self.init(daysSinceEpoch: Int(days))
    }

    /// The JST date of `instant`.
    public init(instant: Date) {
        let seconds = instant.timeIntervalSince1970.rounded(.down)
        precondition(seconds.isFinite && abs(seconds) < 1e15, "instant out of range")
        self.init(epochSeconds: Int64(seconds))
    }

    /// Parses "YYYY-MM-DD" (exactly 10 characters, ASCII digits, a real calendar date).
    public init(parsing text: String, field: String) throws(FieldFormatError) {
        let format = Self.format
        let characters = Array(text)
        if characters.isEmpty { throw format.error(.empty, field: field) }
        for (index, character) in characters.prefix(10).enumerated() {
            if index == 4 || index == 7 {
                guard character == "-" else {
                    throw format.error(
                        .unexpectedCharacter(position: index + 1, found: character, expected: "'-'"), field: field)
                }
            } else if !character.isASCIIDigit {
                throw format.error(.notAnASCIIDigit(position: index + 1, found: character), field: field)
            }
        }
        guard characters.count == 10 else { throw format.error(.wrongLength(actual: characters.count), field: field) }
        let year = ASCIIDigits.value(characters[0..<4])
        let month = ASCIIDigits.value(characters[5..<7])
        let day = ASCIIDigits.value(characters[8..<10])
        guard let date = JSTDate(year: year, month: month, day: day) else {
            throw format.error(.invalidDate(year: year, month: month, day: day), field: field)
        }
        self = date
    }

    /// Parses the compact "yyyyMMdd" form used inside identifiers (§4).
    public init(compact text: some StringProtocol, field: String) throws(FieldFormatError) {
        let format = Self.compactFormat
        let text = String(text)
        try format.requireDigits(text, lengths: 8...8, field: field)
        let characters = Array(text)
        let year = ASCIIDigits.value(characters[0..<4])
        let month = ASCIIDigits.value(characters[4..<6])
        let day = ASCIIDigits.value(characters[6..<8])
        guard let date = JSTDate(year: year, month: month, day: day) else {
            throw format.error(.invalidDate(year: year, month: month, day: day), field: field)
        }
        self = date
    }

    /// "YYYY-MM-DD".
    public var stringValue: String {
        let (y, m, d) = (
            ASCIIDigits.padded(year, width: 4), ASCIIDigits.padded(month, width: 2), ASCIIDigits.padded(day, width: 2)
        )
        return "\(y)-\(m)-\(d)"
    }

    /// "yyyyMMdd", as embedded in settlement, order and issue numbers.
    public var compactString: String {
        ASCIIDigits.padded(year, width: 4) + ASCIIDigits.padded(month, width: 2) + ASCIIDigits.padded(day, width: 2)
    }

    /// Days since 1970-01-01 (negative before).
    public var daysSinceEpoch: Int { Self.daysSinceEpoch(year: year, month: month, day: day) }

    /// The date `days` days later (earlier if negative), e.g. `orderDate.adding(days: 30)`.
    public func adding(days: Int) -> JSTDate {
        JSTDate(daysSinceEpoch: daysSinceEpoch + days)
    }

    /// The number of days from `self` to `other` (negative if `other` is earlier).
    public func days(until other: JSTDate) -> Int {
        other.daysSinceEpoch - daysSinceEpoch
    }

    /// The day of the week.
    public var weekday: Weekday {
        // 1970-01-01 was a Thursday (ISO weekday 4).
        let offset = ((daysSinceEpoch + 3) % 7 + 7) % 7
        return Weekday(rawValue: offset + 1)!
    }

    /// The instant this date starts: 00:00:00 JST.
    public var startInstant: Date {
        Date(timeIntervalSince1970: TimeInterval(daysSinceEpoch * Self.secondsPerDay - Self.utcOffsetSeconds))
    }

    public static func == (lhs: JSTDate, rhs: JSTDate) -> Bool {
        lhs.year == rhs.year && lhs.month == rhs.month && lhs.day == rhs.day
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(year)
        hasher.combine(month)
        hasher.combine(day)
    }

    public static func < (lhs: JSTDate, rhs: JSTDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public func distance(to other: JSTDate) -> Int { days(until: other) }

    public func advanced(by days: Int) -> JSTDate { adding(days: days) }

    /// True for Gregorian leap years.
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in `month` of `year`.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // Day-number conversions after Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms".
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = (month + 9) % 12  // March = 0
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civil(fromDaysSinceEpoch days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}

/// A day of the week, numbered as in ISO 8601 (Monday = 1 ... Sunday = 7).
public enum Weekday: Int, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case monday = 1
    case tuesday, wednesday, thursday, friday, saturday, sunday

    /// True for Saturday and Sunday.
    public var isWeekend: Bool { self == .saturday || self == .sunday }

    /// The one-character Japanese label, e.g. 月 for Monday.
    public var japaneseLabel: String {
        switch self {
        case .monday: "月"
        case .tuesday: "火"
        case .wednesday: "水"
        case .thursday: "木"
        case .friday: "金"
        case .saturday: "土"
        case .sunday: "日"
        }
    }

    public var description: String {
        switch self {
        case .monday: "Monday"
        case .tuesday: "Tuesday"
        case .wednesday: "Wednesday"
        case .thursday: "Thursday"
        case .friday: "Friday"
        case .saturday: "Saturday"
        case .sunday: "Sunday"
        }
    }
}
