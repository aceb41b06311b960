/// One non-working day of a holiday table: a date and its name.
public struct Holiday: Hashable, Sendable, CustomStringConvertible {
    /// The JST date.
    public let date: JSTDate
    /// The name, e.g. 元日 or 振替休日; may be empty for dates read from a configured list.
    public let name: String

    public init(date: JSTDate, name: String) {
        self.date = date
        self.name = name
    }

    public var description: String { name.isEmpty ? date.stringValue : "\(date.stringValue) \(name)" }
}

/// Japan's national holidays (国民の祝日) and the days the Holidays Act makes holidays
/// (振替休日 substitute holidays, 国民の休日 citizens' holidays), 2024-2027, as data.
///
/// Sources: the Cabinet Office's published lists; the 2027 equinox days (3/21, 9/23) are those
/// of the official almanac (暦要項) and agree with the standard approximation. Each date was
/// checked by hand against the rules of the Act, against an independent generator (see
/// `HolidayTableTests`) and against the jpholiday package. The year-end closure
/// (31 Dec - 3 Jan) is not listed here: `BusinessCalendar` applies it as a rule.
/// For other years, configure a holiday list (`HolidayList`).
public enum JapaneseHolidays {
    /// The years the built-in table covers.
    public static let coveredYears: ClosedRange<Int> = 2024...2027

    /// Every holiday of 2024-2027, in date order (75 days, weekends included).
    public static let all: [Holiday] = table.map { entry in
        Holiday(date: JSTDate(year: entry.0, month: entry.1, day: entry.2)!, name: entry.3)
    }

    private static let table: [(Int, Int, Int, String)] = [
        // 2024 (21 days)
        (2024, 1, 1, "元日"),
        (2024, 1, 8, "成人の日"),
        (2024, 2, 11, "建国記念の日"),  // Sunday
        (2024, 2, 12, "振替休日"),
        (2024, 2, 23, "天皇誕生日"),
        (2024, 3, 20, "春分の日"),
        (2024, 4, 29, "昭和の日"),
        (2024, 5, 3, "憲法記念日"),
        (2024, 5, 4, "みどりの日"),
        (2024, 5, 5, "こどもの日"),  // Sunday
        (2024, 5, 6, "振替休日"),
        (2024, 7, 15, "海の日"),
        (2024, 8, 11, "山の日"),  // Sunday
        (2024, 8, 12, "振替休日"),
        (2024, 9, 16, "敬老の日"),
        (2024, 9, 22, "秋分の日"),  // Sunday
        (2024, 9, 23, "振替休日"),
        (2024, 10, 14, "スポーツの日"),
        (2024, 11, 3, "文化の日"),  // Sunday
        (2024, 11, 4, "振替休日"),
        (2024, 11, 23, "勤労感謝の日"),  // Saturday: no substitute
        // 2025 (19 days)
        (2025, 1, 1, "元日"),
        (2025, 1, 13, "成人の日"),
        (2025, 2, 11, "建国記念の日"),
        (2025, 2, 23, "天皇誕生日"),  // Sunday
        (2025, 2, 24, "振替休日"),
        (2025, 3, 20, "春分の日"),
        (2025, 4, 29, "昭和の日"),
        (2025, 5, 3, "憲法記念日"),
        (2025, 5, 4, "みどりの日"),  // Sunday
        (2025, 5, 5, "こどもの日"),
        (2025, 5, 6, "振替休日"),
        (2025, 7, 21, "海の日"),
        (2025, 8, 11, "山の日"),
        (2025, 9, 15, "敬老の日"),
        (2025, 9, 23, "秋分の日"),
        (2025, 10, 13, "スポーツの日"),
        (2025, 11, 3, "文化の日"),
        (2025, 11, 23, "勤労感謝の日"),  // Sunday
        (2025, 11, 24, "振替休日"),
        // 2026 (18 days)
        (2026, 1, 1, "元日"),
        (2026, 1, 12, "成人の日"),
        (2026, 2, 11, "建国記念の日"),
        (2026, 2, 23, "天皇誕生日"),
        (2026, 3, 20, "春分の日"),
        (2026, 4, 29, "昭和の日"),
        (2026, 5, 3, "憲法記念日"),  // Sunday
        (2026, 5, 4, "みどりの日"),
        (2026, 5, 5, "こどもの日"),
        (2026, 5, 6, "振替休日"),
        (2026, 7, 20, "海の日"),
        (2026, 8, 11, "山の日"),
        (2026, 9, 21, "敬老の日"),
        (2026, 9, 22, "国民の休日"),  // between 敬老の日 and 秋分の日
        (2026, 9, 23, "秋分の日"),
        (2026, 10, 12, "スポーツの日"),
        (2026, 11, 3, "文化の日"),
        (2026, 11, 23, "勤労感謝の日"),
        // 2027 (17 days)
        (2027, 1, 1, "元日"),
        (2027, 1, 11, "成人の日"),
        (2027, 2, 11, "建国記念の日"),
        (2027, 2, 23, "天皇誕生日"),
        (2027, 3, 21, "春分の日"),  // Sunday
        (2027, 3, 22, "振替休日"),
        (2027, 4, 29, "昭和の日"),
        (2027, 5, 3, "憲法記念日"),
        (2027, 5, 4, "みどりの日"),
        (2027, 5, 5, "こどもの日"),
        (2027, 7, 19, "海の日"),
        (2027, 8, 11, "山の日"),
        (2027, 9, 20, "敬老の日"),
        (2027, 9, 23, "秋分の日"),
        (2027, 10, 11, "スポーツの日"),
        (2027, 11, 3, "文化の日"),
        (2027, 11, 23, "勤労感謝の日"),
    ]
}
