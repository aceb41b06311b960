import Foundation

/// HolidayCalendarPublished: chamber staff published the holidays of a range of dates; every
/// date of `from...through` not listed in `holidays` is no holiday. A later publication
/// replaces what an earlier one said about its dates.
public struct HolidayCalendarPublished: DomainEvent {
    public static let eventType = "HolidayCalendarPublished"
    public var from: JSTDate
    public var through: JSTDate
    /// In date order.
    public var holidays: [Holiday]
    /// Where the list comes from, e.g. the Cabinet Office file imported.
    public var source: String
    public var staffId: StaffId
    public var chamberId: ChamberId
    public var publishedAt: Date

    public init(
        from: JSTDate, through: JSTDate, holidays: [Holiday], source: String, staffId: StaffId,
        chamberId: ChamberId, publishedAt: Date
    ) {
        self.from = from
        self.through = through
        self.holidays = holidays
        self.source = source
        self.staffId = staffId
        self.chamberId = chamberId
        self.publishedAt = publishedAt
    }
}

/// The events of `calendar-japan`.
public enum HolidayCalendarEvent: StreamEventSet, Hashable {
    case published(HolidayCalendarPublished)

    public static let eventTable = EventTable<Self>([
        EventCase(HolidayCalendarPublished.self, Self.published)
    ])
}
