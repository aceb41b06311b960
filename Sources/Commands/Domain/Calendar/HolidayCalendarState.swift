import Foundation

/// The shared business calendar as folded from `calendar-japan`: what was published, and the
/// calendar every command that counts business days decides with.
public struct HolidayCalendarState: Sendable, Hashable {
    public var published = PublishedHolidays()
    /// How many publications were folded.
    public var publications = 0

    public init() {}

    /// The business calendar: the published holidays, and the law's rules elsewhere.
    public var calendar: BusinessCalendar { BusinessCalendar(published: published) }

    public static func evolve(_ state: HolidayCalendarState, _ event: HolidayCalendarEvent) -> HolidayCalendarState {
        var state = state
        switch event {
        case .published(let publication):
            state.published.publish(publication.from...publication.through, holidays: publication.holidays)
            state.publications += 1
        }
        return state
    }
}
