/// One non-working day of a holiday list: a date and its name.
public struct Holiday: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The JST date.
    public let date: JSTDate
    /// The name, e.g. 元日, 振替休日, or 休日 as the Cabinet Office's list spells substitute days.
    public let name: String

    public init(date: JSTDate, name: String) {
        self.date = date
        self.name = name
    }

    public var description: String { name.isEmpty ? date.stringValue : "\(date.stringValue) \(name)" }
}
