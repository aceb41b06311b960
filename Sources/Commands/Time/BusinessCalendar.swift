/// Japanese bank business days (営業日): Monday to Friday, except holidays and the year-end
/// closure 31 Dec - 3 Jan (DOMAIN.md §0, Q27).
///
/// The ledger uses it for 翌営業日: the nightly deposit check for business date D schedules
/// coupon issuance on `nextBusinessDay(after: D)` (R48, R49, Q39, I21), and the issuance
/// scheduler runs only on business days. Order validity (`validUntil` = order date + 30 days,
/// R51) counts calendar days and does not use this calendar.
///
/// The holidays are data the whole system shares: the calendar published as events
/// (`PublishHolidayCalendar`, folded into `published`) decides every date it covers; any other
/// date is decided by the rules of the holiday law (`HolidayLaw`). `day(_:)` says which source
/// decided a date. The handler builds the calendar from the `calendar-japan` stream; `.japan`
/// is the calendar with nothing published (the law's rules alone).
public struct BusinessCalendar: Hashable, Sendable {
    /// What was published, by date range.
    public let published: PublishedHolidays
    /// Whether 31 Dec - 3 Jan are closed, as they are for Japanese banks.
    public let observesYearEndClosure: Bool

    /// Japan with nothing published: the holiday law's rules, with the year-end closure.
    public static let japan = BusinessCalendar(published: PublishedHolidays())

    public init(published: PublishedHolidays, observesYearEndClosure: Bool = true) {
        self.published = published
        self.observesYearEndClosure = observesYearEndClosure
    }

    /// How `date` is decided: its holiday (if any), where that answer came from, and whether it
    /// is a business day.
    public func day(_ date: JSTDate) -> CalendarDay {
        let holiday: String?
        let source: HolidaySource
        if published.covers(date) {
            (holiday, source) = (published.names[date], .published)
        } else if HolidayLaw.supportedYears.contains(date.year) {
            (holiday, source) = (HolidayLaw.holiday(on: date), .computed)
        } else {
            (holiday, source) = (nil, .unknown)
        }
        let closure = isYearEndClosure(date)
        return CalendarDay(
            date: date, isBusinessDay: !date.weekday.isWeekend && holiday == nil && !closure, holiday: holiday,
            source: source, isYearEndClosure: closure)
    }

    /// True if `date` is a working day of Japanese banks.
    public func isBusinessDay(_ date: JSTDate) -> Bool {
        !date.weekday.isWeekend && !isYearEndClosure(date) && !isHoliday(date)
    }

    /// True if `date` is a holiday (published, or by the law's rules where nothing is published).
    public func isHoliday(_ date: JSTDate) -> Bool {
        if published.covers(date) { return published.names[date] != nil }
        return HolidayLaw.holiday(on: date) != nil
    }

    /// True if `date` falls in the year-end closure (31 Dec - 3 Jan) and the calendar observes it.
    public func isYearEndClosure(_ date: JSTDate) -> Bool {
        observesYearEndClosure && ((date.month == 12 && date.day == 31) || (date.month == 1 && date.day <= 3))
    }

    /// True if a published calendar decides `date`.
    public func covers(_ date: JSTDate) -> Bool {
        published.covers(date)
    }

    /// How many days from `today` on (today included) the published calendar covers without a
    /// gap: 0 when today itself is not covered. The daemon warns below 90.
    public func publishedDaysAhead(from today: JSTDate) -> Int {
        guard let range = published.range(containing: today) else { return 0 }
        return today.days(until: range.upperBound) + 1
    }

    /// The first business day strictly after `date` (翌営業日), e.g. Fri 2024-01-26 → Mon
    /// 2024-01-29.
    public func nextBusinessDay(after date: JSTDate) -> JSTDate {
        var day = date.adding(days: 1)
        while !isBusinessDay(day) { day = day.adding(days: 1) }
        return day
    }

    /// The last business day strictly before `date`.
    public func previousBusinessDay(before date: JSTDate) -> JSTDate {
        var day = date.adding(days: -1)
        while !isBusinessDay(day) { day = day.adding(days: -1) }
        return day
    }

    /// `date` if it is a business day, otherwise the next one.
    public func businessDay(onOrAfter date: JSTDate) -> JSTDate {
        isBusinessDay(date) ? date : nextBusinessDay(after: date)
    }

    /// The date `count` business days after `date` (before it if `count` is negative);
    /// `date` itself need not be a business day. `count` 0 returns `date` unchanged, and
    /// `addBusinessDays(1, to: d)` is `nextBusinessDay(after: d)`.
    public func addBusinessDays(_ count: Int, to date: JSTDate) -> JSTDate {
        var day = date
        if count > 0 {
            for _ in 0..<count { day = nextBusinessDay(after: day) }
        } else if count < 0 {
            for _ in 0..<(-count) { day = previousBusinessDay(before: day) }
        }
        return day
    }

    /// The number of business days d with `start` < d ≤ `end` (0 if `end` ≤ `start`).
    public func businessDays(after start: JSTDate, through end: JSTDate) -> Int {
        guard start < end else { return 0 }
        return (start.adding(days: 1)...end).count(where: isBusinessDay)
    }
}

/// Where the answer for a date came from.
public enum HolidaySource: String, Hashable, Sendable, Codable {
    /// A published calendar (`PublishHolidayCalendar`) covers the date.
    case published
    /// Nothing published covers it; the holiday law's rules decided.
    case computed
    /// Neither: the year is outside `HolidayLaw.supportedYears`, only weekends and the closure apply.
    case unknown
}

/// One date as the business calendar decides it.
public struct CalendarDay: Hashable, Sendable {
    public let date: JSTDate
    public let isBusinessDay: Bool
    /// The holiday's name, nil on a day that is no holiday.
    public let holiday: String?
    /// Which source decided whether it is a holiday.
    public let source: HolidaySource
    /// True for 31 Dec - 3 Jan when the calendar observes the closure.
    public let isYearEndClosure: Bool
}
