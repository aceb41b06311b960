import Foundation

/// One period of a scheduled job: a JST date (daily jobs) or an hour of one (`hour` 0-23).
/// Text form `YYYY-MM-DD` or `YYYY-MM-DDTHH`; periods order by time.
public struct SchedulePeriod: Hashable, Comparable, Sendable, TextFormattedValue {
    public let date: JSTDate
    public let hour: Int?

    public static let defaultFieldName = "period"

    public init(date: JSTDate) {
        self.date = date
        self.hour = nil
    }

    /// Nil unless `hour` is 0-23.
    public init?(date: JSTDate, hour: Int) {
        guard (0...23).contains(hour) else { return nil }
        self.date = date
        self.hour = hour
    }

    /// The hour (JST) holding `instant`.
    public init(hourOf instant: Date) {
        let seconds = Int64(instant.timeIntervalSince1970.rounded(.down)) + Int64(JSTDate.utcOffsetSeconds)
        let hour = Int(((seconds % 86_400) + 86_400) % 86_400 / 3600)
        self.init(date: JSTDate(instant: instant), hour: hour)!
    }

    public init(parsing text: String, field: String) throws(FieldFormatError) {
        let format = FieldFormat(subject: "period", rule: "a JST date YYYY-MM-DD or an hour YYYY-MM-DDTHH")
        let date = try JSTDate(parsing: String(text.prefix(10)), field: field)
        if text.count == 10 {
            self.init(date: date)
            return
        }
        let rest = Array(text.dropFirst(10))
        guard rest.count == 3, rest[0] == "T", rest[1].isASCIIDigit, rest[2].isASCIIDigit,
            let period = SchedulePeriod(date: date, hour: ASCIIDigits.value(rest[1...2]))
        else { throw format.error(.wrongLength(actual: text.count), field: field) }
        self = period
    }

    public var stringValue: String {
        guard let hour else { return date.stringValue }
        return date.stringValue + "T" + ASCIIDigits.padded(hour, width: 2)
    }

    /// The instant the period starts (JST).
    public var start: Date { date.startInstant.addingTimeInterval(TimeInterval((hour ?? 0) * 3600)) }

    /// The next period of the same kind (the next day, or the next hour).
    public var next: SchedulePeriod {
        guard let hour else { return SchedulePeriod(date: date.adding(days: 1)) }
        return hour == 23
            ? SchedulePeriod(date: date.adding(days: 1), hour: 0)! : SchedulePeriod(date: date, hour: hour + 1)!
    }

    public static func < (lhs: SchedulePeriod, rhs: SchedulePeriod) -> Bool {
        (lhs.date, lhs.hour ?? -1) < (rhs.date, rhs.hour ?? -1)
    }
}
