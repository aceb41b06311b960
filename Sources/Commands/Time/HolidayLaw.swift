/// The holidays the Act on National Holidays (国民の祝日に関する法律) makes, computed from its
/// rules: what the business calendar uses for a date no published calendar covers.
///
/// The rules as they stand since the 2007 revision: fixed dates; the Happy Monday days (成人の日,
/// 海の日, 敬老の日, スポーツの日/体育の日 on the nth Monday); the equinox days by the standard
/// approximation of the official almanac (valid 1980–2099); 振替休日 (a national holiday on a
/// Sunday makes the nearest following day that is not one a holiday); 国民の休日 (a day between
/// two national holidays). The law's changes by year are in: 山の日 from 2016, 天皇誕生日 on
/// 23 Dec until 2018, none in 2019, 23 Feb from 2020; スポーツの日 named so from 2020 (体育の日
/// before); the special days of 2019 (即位の日 1 May, 即位礼正殿の儀 22 Oct) and the Olympic moves
/// of 2020 and 2021 (海の日, スポーツの日, 山の日). Years outside `supportedYears` are not known.
public enum HolidayLaw {
    /// The years the rules are implemented for.
    public static let supportedYears: ClosedRange<Int> = 2007...2099

    /// The holidays of `year` in date order, or nil outside `supportedYears`.
    public static func holidays(in year: Int) -> [Holiday]? {
        guard supportedYears.contains(year) else { return nil }
        return byYear[year - supportedYears.lowerBound]
    }

    /// The name of the holiday on `date`, nil if it is none (or its year is not supported).
    public static func holiday(on date: JSTDate) -> String? {
        guard supportedYears.contains(date.year) else { return nil }
        return byDate[date]
    }

    private static let byYear: [[Holiday]] = supportedYears.map(compute)
    private static let byDate: [JSTDate: String] = Dictionary(
        uniqueKeysWithValues: byYear.joined().map { ($0.date, $0.name) })

    /// The names used for the days the law adds (not national holidays themselves).
    public static let substituteHolidayName = "振替休日"
    public static let citizensHolidayName = "国民の休日"

    static func compute(year: Int) -> [Holiday] {
        var national: [JSTDate: String] = [:]
        func fixed(_ month: Int, _ day: Int, _ name: String) {
            national[JSTDate(year: year, month: month, day: day)!] = name
        }
        func monday(_ month: Int, _ nth: Int, _ name: String) {
            let first = JSTDate(year: year, month: month, day: 1)!
            let toMonday = (8 - first.weekday.rawValue) % 7
            national[first.adding(days: toMonday + 7 * (nth - 1))] = name
        }
        let sports = year >= 2020 ? "スポーツの日" : "体育の日"
        fixed(1, 1, "元日")
        monday(1, 2, "成人の日")
        fixed(2, 11, "建国記念の日")
        if year >= 2020 { fixed(2, 23, "天皇誕生日") }
        fixed(3, equinoxDay(year: year, base: 20_843_100), "春分の日")
        fixed(4, 29, "昭和の日")
        fixed(5, 3, "憲法記念日")
        fixed(5, 4, "みどりの日")
        fixed(5, 5, "こどもの日")
        switch year {
        case 2020:
            fixed(7, 23, "海の日")
            fixed(7, 24, sports)
            fixed(8, 10, "山の日")
        case 2021:
            fixed(7, 22, "海の日")
            fixed(7, 23, sports)
            fixed(8, 8, "山の日")
        default:
            monday(7, 3, "海の日")
            if year >= 2016 { fixed(8, 11, "山の日") }
            monday(10, 2, sports)
        }
        monday(9, 3, "敬老の日")
        fixed(9, equinoxDay(year: year, base: 23_248_800), "秋分の日")
        fixed(11, 3, "文化の日")
        fixed(11, 23, "勤労感謝の日")
        if year <= 2018 { fixed(12, 23, "天皇誕生日") }
        if year == 2019 {
            fixed(5, 1, "天皇の即位の日")
            fixed(10, 22, "即位礼正殿の儀の行われる日")
        }

        var named = national
        // 国民の休日 (Art. 3 (3)): a day between two national holidays that is not one itself.
        for date in national.keys {
            let between = date.adding(days: 1)
            if national[between] == nil, national[between.adding(days: 1)] != nil {
                named[between] = citizensHolidayName
            }
        }
        // 振替休日 (Art. 3 (2)): a national holiday on a Sunday makes the nearest later day that
        // is not a holiday a holiday.
        for date in national.keys where date.weekday == .sunday {
            var substitute = date.adding(days: 1)
            while named[substitute] != nil { substitute = substitute.adding(days: 1) }
            named[substitute] = substituteHolidayName
        }
        return named.map { Holiday(date: $0.key, name: $0.value) }.sorted { $0.date < $1.date }
    }

    /// The equinox day of March (base 20.8431) or September (base 23.2488):
    /// floor(base + 0.242194 × (y − 1980) − floor((y − 1980) / 4)), in integer millionths.
    static func equinoxDay(year: Int, base: Int) -> Int {
        let years = year - 1980
        return (base + 242_194 * years) / 1_000_000 - years / 4
    }
}
