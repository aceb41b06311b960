import Commands
import Testing

/// Goal: the built-in holiday table (data) agrees with an independent generator that applies
/// the rules of the Act on National Holidays (国民の祝日に関する法律) as they stand since 2021:
/// fixed dates, "Happy Monday" holidays, the equinox days by the standard approximation
/// (valid 1980-2099), 振替休日 (a holiday on a Sunday moves to the next non-holiday) and
/// 国民の休日 (a day between two holidays). A typo in either one makes this test fail.
@Suite("Holiday table 2024-2027")
struct HolidayTableTests {
    @Test("The table equals the rules, date for date and name for name", arguments: Array(2024...2027))
    func tableMatchesRules(year: Int) {
        let table = JapaneseHolidays.all.filter { $0.date.year == year }
        let generated = Self.holidays(in: year)
        #expect(table == generated)
    }

    @Test("Counts per year as published by the Cabinet Office")
    func countsPerYear() {
        let counts = Dictionary(grouping: JapaneseHolidays.all, by: { $0.date.year }).mapValues(\.count)
        #expect(counts == [2024: 21, 2025: 19, 2026: 18, 2027: 17])
        #expect(JapaneseHolidays.all.count == 75)
        #expect(JapaneseHolidays.all.map(\.date) == JapaneseHolidays.all.map(\.date).sorted())
    }

    // MARK: The generator

    static func holidays(in year: Int) -> [Holiday] {
        var named: [JSTDate: String] = [:]
        func fixed(_ month: Int, _ day: Int, _ name: String) {
            named[JSTDate(year: year, month: month, day: day)!] = name
        }
        func monday(_ month: Int, _ nth: Int, _ name: String) {
            let first = JSTDate(year: year, month: month, day: 1)!
            let toMonday = (8 - first.weekday.rawValue) % 7
            named[first.adding(days: toMonday + 7 * (nth - 1))] = name
        }
        fixed(1, 1, "元日")
        monday(1, 2, "成人の日")
        fixed(2, 11, "建国記念の日")
        fixed(2, 23, "天皇誕生日")
        fixed(3, equinoxDay(year: year, base: 20_843_100), "春分の日")
        fixed(4, 29, "昭和の日")
        fixed(5, 3, "憲法記念日")
        fixed(5, 4, "みどりの日")
        fixed(5, 5, "こどもの日")
        monday(7, 3, "海の日")
        fixed(8, 11, "山の日")
        monday(9, 3, "敬老の日")
        fixed(9, equinoxDay(year: year, base: 23_248_800), "秋分の日")
        monday(10, 2, "スポーツの日")
        fixed(11, 3, "文化の日")
        fixed(11, 23, "勤労感謝の日")

        let national = named
        // 国民の休日: a day that is not a holiday, between two holidays.
        for date in national.keys {
            let between = date.adding(days: 1)
            if national[between] == nil, national[between.adding(days: 1)] != nil {
                named[between] = "国民の休日"
            }
        }
        // 振替休日: a holiday on a Sunday makes the next non-holiday a holiday.
        for date in national.keys where date.weekday == .sunday {
            var substitute = date.adding(days: 1)
            while named[substitute] != nil { substitute = substitute.adding(days: 1) }
            named[substitute] = "振替休日"
        }
        return named.map { Holiday(date: $0.key, name: $0.value) }.sorted { $0.date < $1.date }
    }

    /// floor(base/10⁶ + 0.242194 × (y − 1980) − floor((y − 1980) / 4)), in integers.
    static func equinoxDay(year: Int, base: Int) -> Int {
        let years = year - 1980
        return (base + 242_194 * years) / 1_000_000 - years / 4
    }
}
