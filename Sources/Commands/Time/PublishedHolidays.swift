/// The holidays published for ranges of dates (`HolidayCalendarPublished` events, folded): for
/// each date inside a published range, whether it is a holiday and its name. A later
/// publication replaces what an earlier one said about the dates of its range.
public struct PublishedHolidays: Hashable, Sendable {
    /// The published ranges, sorted, disjoint and not adjacent (adjacent ranges are merged).
    public private(set) var ranges: [ClosedRange<JSTDate>] = []
    /// The holidays inside `ranges`, by date.
    public private(set) var names: [JSTDate: String] = [:]

    public init() {}

    /// Publishes `holidays` for `range`: every date of the range not listed becomes a
    /// non-holiday; listed dates outside the range are ignored (the command refuses them).
    public mutating func publish(_ range: ClosedRange<JSTDate>, holidays: [Holiday]) {
        names = names.filter { !range.contains($0.key) }
        for holiday in holidays where range.contains(holiday.date) { names[holiday.date] = holiday.name }
        var merged: [ClosedRange<JSTDate>] = []
        for next in (ranges + [range]).sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, next.lowerBound <= last.upperBound.adding(days: 1) {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, next.upperBound)
            } else {
                merged.append(next)
            }
        }
        ranges = merged
    }

    /// True if a publication covers `date`.
    public func covers(_ date: JSTDate) -> Bool {
        range(containing: date) != nil
    }

    /// The published range holding `date`, if any.
    public func range(containing date: JSTDate) -> ClosedRange<JSTDate>? {
        ranges.first { $0.contains(date) }
    }

    /// The published holidays of `range`, in date order.
    public func holidays(in range: ClosedRange<JSTDate>) -> [Holiday] {
        names.filter { range.contains($0.key) }.map { Holiday(date: $0.key, name: $0.value) }
            .sorted { $0.date < $1.date }
    }
}
