/// Japanese bank business days (営業日): Monday to Friday, except listed holidays and the
/// year-end closure 31 Dec - 3 Jan (DOMAIN.md §0, Q27).
///
/// The ledger uses it for 翌営業日: the nightly deposit check for business date D schedules
/// coupon issuance on `nextBusinessDay(after: D)` (R48, R49, Q39, I21), and the issuance
/// scheduler runs only on business days. Order validity (`validUntil` = order date + 30 days,
/// R51) counts calendar days and does not use this calendar.
///
/// The holidays are data: `BusinessCalendar.japan` has 2024-2027 built in, and another table
/// can be configured with `init(holidays:…)` or `init(holidayList:…)`. A date outside
/// `coveredYears` is still answered (weekends and the year-end closure apply), but its
/// holidays are unknown; callers should check `covers(_:)` and warn.
public struct BusinessCalendar: Hashable, Sendable {
    /// The listed non-working days (national holidays, substitute and citizens' holidays).
    public let holidays: Set<JSTDate>
    /// Whether 31 Dec - 3 Jan are closed, as they are for Japanese banks.
    public let observesYearEndClosure: Bool
    /// The years whose holidays are known, or nil if none are.
    public let coveredYears: ClosedRange<Int>?

    /// Japan, 2024-2027, with the year-end closure.
    public static let japan = BusinessCalendar(
        holidays: Set(JapaneseHolidays.all.map(\.date)), coveredYears: JapaneseHolidays.coveredYears)

    /// A calendar with the given holidays.
    ///
    /// - Parameter coveredYears: the years `holidays` is complete for; by default the years
    ///   from the earliest to the latest holiday given (nil if none is given).
    public init(
        holidays: Set<JSTDate>, observesYearEndClosure: Bool = true, coveredYears: ClosedRange<Int>? = nil
    ) {
        self.holidays = holidays
        self.observesYearEndClosure = observesYearEndClosure
        if let coveredYears {
            self.coveredYears = coveredYears
        } else if let first = holidays.min(), let last = holidays.max() {
            self.coveredYears = first.year...last.year
        } else {
            self.coveredYears = nil
        }
    }

    /// A calendar from a holiday list in the `HolidayList` text format.
    public init(
        holidayList text: String, observesYearEndClosure: Bool = true, coveredYears: ClosedRange<Int>? = nil
    ) throws(HolidayListError) {
        let holidays = try HolidayList.parse(text)
        self.init(
            holidays: Set(holidays.map(\.date)), observesYearEndClosure: observesYearEndClosure,
            coveredYears: coveredYears)
    }

    /// True if `date` is a working day of Japanese banks.
    public func isBusinessDay(_ date: JSTDate) -> Bool {
        !date.weekday.isWeekend && !isHoliday(date) && !isYearEndClosure(date)
    }

    /// True if `date` is a listed holiday.
    public func isHoliday(_ date: JSTDate) -> Bool {
        holidays.contains(date)
    }

    /// True if `date` falls in the year-end closure (31 Dec - 3 Jan) and the calendar observes it.
    public func isYearEndClosure(_ date: JSTDate) -> Bool {
        observesYearEndClosure && ((date.month == 12 && date.day == 31) || (date.month == 1 && date.day <= 3))
    }

    /// True if the holidays of `date`'s year are known.
    public func covers(_ date: JSTDate) -> Bool {
        coveredYears?.contains(date.year) ?? false
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
