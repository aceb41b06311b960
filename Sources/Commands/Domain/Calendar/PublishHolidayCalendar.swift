import Foundation

/// PublishHolidayCalendar (COMMANDS.md, chamber staff): the holidays of one year (`year`) or of a
/// range of dates (`from`, `through`), with names, and where the list comes from (`source`).
/// Once published, the business calendar of every process and every replay decides those dates
/// from it, not from the law's rules.
public struct PublishHolidayCalendar: Sendable, Hashable, Codable {
    public var year: Int?
    public var from: JSTDate?
    public var through: JSTDate?
    public var dates: [Holiday]
    public var source: String

    /// The longest range one command may publish: 100 years.
    public static let maximumDays = 36_525

    public init(year: Int, dates: [Holiday], source: String) {
        self.year = year
        self.dates = dates
        self.source = source
    }

    public init(from: JSTDate, through: JSTDate, dates: [Holiday], source: String) {
        self.from = from
        self.through = through
        self.dates = dates
        self.source = source
    }

    /// The dates the command publishes, or why it names none (`invalidCommand`).
    public func range() throws(Rejection) -> ClosedRange<JSTDate> {
        switch (year, from, through) {
        case (let year?, nil, nil):
            guard let first = JSTDate(year: year, month: 1, day: 1), let last = JSTDate(year: year, month: 12, day: 31)
            else { throw .invalid("year", "\(year) is not a year 1-9999") }
            return first...last
        case (nil, let from?, let through?):
            guard from <= through else { throw .invalid("through", "\(through) is before from (\(from))") }
            guard from.days(until: through) < Self.maximumDays else {
                throw .invalid("through", "a publication covers at most \(Self.maximumDays) days")
            }
            return from...through
        default:
            throw .invalid("year", "give either year, or both from and through")
        }
    }

    /// Checks the range, the source and each date (inside the range, listed once, named), in that
    /// order. A publication that says exactly what is already published for the range decides
    /// nothing (an empty decision); otherwise one `HolidayCalendarPublished`.
    public func decide(
        _ state: HolidayCalendarState, staff: StaffId, chamber: ChamberId, now: Date
    ) throws(Rejection) -> [HolidayCalendarEvent] {
        let range = try range()
        try TextRules.require(source, field: "source", maximum: 200)
        var seen = Set<JSTDate>()
        for (index, holiday) in dates.enumerated() {
            guard range.contains(holiday.date) else {
                throw .invalid(
                    "dates[\(index)].date",
                    "\(holiday.date) is outside the published range \(range.lowerBound)...\(range.upperBound)")
            }
            guard seen.insert(holiday.date).inserted else {
                throw .invalid("dates[\(index)].date", "\(holiday.date) is listed twice")
            }
            try TextRules.require(holiday.name, field: "dates[\(index)].name", maximum: 100)
        }
        let holidays = dates.sorted { $0.date < $1.date }
        if state.published.ranges.contains(where: { $0.contains(range.lowerBound) && $0.contains(range.upperBound) }),
            state.published.holidays(in: range) == holidays
        {
            return []
        }
        return [
            .published(
                HolidayCalendarPublished(
                    from: range.lowerBound, through: range.upperBound, holidays: holidays, source: source,
                    staffId: staff, chamberId: chamber, publishedAt: now))
        ]
    }
}
