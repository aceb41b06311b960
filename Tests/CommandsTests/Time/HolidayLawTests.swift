import Commands
import Foundation
import Testing

/// Goal: the holidays 2019–2030 come out right whichever source decides them. 2019–2027 are the
/// Cabinet Office's published list (its CSV, names as it spells them: 休日 for 振替休日 and
/// 国民の休日, 休日（祝日扱い） for the 2019 enthronement days); 2028–2030 are worked out by hand
/// from the Act (weekdays checked independently). The law's rules must give the same dates for
/// every year, and a calendar with 2019–2027 published answers from the list there and from the
/// rules after, saying which.
@Suite("Holiday law and the published calendar 2019-2030")
struct HolidayLawTests {
    /// The Cabinet Office's syukujitsu.csv rows for 2019–2027, as published.
    static let cabinetOfficeCSV = """
        国民の祝日・休日月日,国民の祝日・休日名称
        2019/1/1,元日
        2019/1/14,成人の日
        2019/2/11,建国記念の日
        2019/3/21,春分の日
        2019/4/29,昭和の日
        2019/4/30,休日
        2019/5/1,休日（祝日扱い）
        2019/5/2,休日
        2019/5/3,憲法記念日
        2019/5/4,みどりの日
        2019/5/5,こどもの日
        2019/5/6,休日
        2019/7/15,海の日
        2019/8/11,山の日
        2019/8/12,休日
        2019/9/16,敬老の日
        2019/9/23,秋分の日
        2019/10/14,体育の日
        2019/10/22,休日（祝日扱い）
        2019/11/3,文化の日
        2019/11/4,休日
        2019/11/23,勤労感謝の日
        2020/1/1,元日
        2020/1/13,成人の日
        2020/2/11,建国記念の日
        2020/2/23,天皇誕生日
        2020/2/24,休日
        2020/3/20,春分の日
        2020/4/29,昭和の日
        2020/5/3,憲法記念日
        2020/5/4,みどりの日
        2020/5/5,こどもの日
        2020/5/6,休日
        2020/7/23,海の日
        2020/7/24,スポーツの日
        2020/8/10,山の日
        2020/9/21,敬老の日
        2020/9/22,秋分の日
        2020/11/3,文化の日
        2020/11/23,勤労感謝の日
        2021/1/1,元日
        2021/1/11,成人の日
        2021/2/11,建国記念の日
        2021/2/23,天皇誕生日
        2021/3/20,春分の日
        2021/4/29,昭和の日
        2021/5/3,憲法記念日
        2021/5/4,みどりの日
        2021/5/5,こどもの日
        2021/7/22,海の日
        2021/7/23,スポーツの日
        2021/8/8,山の日
        2021/8/9,休日
        2021/9/20,敬老の日
        2021/9/23,秋分の日
        2021/11/3,文化の日
        2021/11/23,勤労感謝の日
        2022/1/1,元日
        2022/1/10,成人の日
        2022/2/11,建国記念の日
        2022/2/23,天皇誕生日
        2022/3/21,春分の日
        2022/4/29,昭和の日
        2022/5/3,憲法記念日
        2022/5/4,みどりの日
        2022/5/5,こどもの日
        2022/7/18,海の日
        2022/8/11,山の日
        2022/9/19,敬老の日
        2022/9/23,秋分の日
        2022/10/10,スポーツの日
        2022/11/3,文化の日
        2022/11/23,勤労感謝の日
        2023/1/1,元日
        2023/1/2,休日
        2023/1/9,成人の日
        2023/2/11,建国記念の日
        2023/2/23,天皇誕生日
        2023/3/21,春分の日
        2023/4/29,昭和の日
        2023/5/3,憲法記念日
        2023/5/4,みどりの日
        2023/5/5,こどもの日
        2023/7/17,海の日
        2023/8/11,山の日
        2023/9/18,敬老の日
        2023/9/23,秋分の日
        2023/10/9,スポーツの日
        2023/11/3,文化の日
        2023/11/23,勤労感謝の日
        2024/1/1,元日
        2024/1/8,成人の日
        2024/2/11,建国記念の日
        2024/2/12,休日
        2024/2/23,天皇誕生日
        2024/3/20,春分の日
        2024/4/29,昭和の日
        2024/5/3,憲法記念日
        2024/5/4,みどりの日
        2024/5/5,こどもの日
        2024/5/6,休日
        2024/7/15,海の日
        2024/8/11,山の日
        2024/8/12,休日
        2024/9/16,敬老の日
        2024/9/22,秋分の日
        2024/9/23,休日
        2024/10/14,スポーツの日
        2024/11/3,文化の日
        2024/11/4,休日
        2024/11/23,勤労感謝の日
        2025/1/1,元日
        2025/1/13,成人の日
        2025/2/11,建国記念の日
        2025/2/23,天皇誕生日
        2025/2/24,休日
        2025/3/20,春分の日
        2025/4/29,昭和の日
        2025/5/3,憲法記念日
        2025/5/4,みどりの日
        2025/5/5,こどもの日
        2025/5/6,休日
        2025/7/21,海の日
        2025/8/11,山の日
        2025/9/15,敬老の日
        2025/9/23,秋分の日
        2025/10/13,スポーツの日
        2025/11/3,文化の日
        2025/11/23,勤労感謝の日
        2025/11/24,休日
        2026/1/1,元日
        2026/1/12,成人の日
        2026/2/11,建国記念の日
        2026/2/23,天皇誕生日
        2026/3/20,春分の日
        2026/4/29,昭和の日
        2026/5/3,憲法記念日
        2026/5/4,みどりの日
        2026/5/5,こどもの日
        2026/5/6,休日
        2026/7/20,海の日
        2026/8/11,山の日
        2026/9/21,敬老の日
        2026/9/22,休日
        2026/9/23,秋分の日
        2026/10/12,スポーツの日
        2026/11/3,文化の日
        2026/11/23,勤労感謝の日
        2027/1/1,元日
        2027/1/11,成人の日
        2027/2/11,建国記念の日
        2027/2/23,天皇誕生日
        2027/3/21,春分の日
        2027/3/22,休日
        2027/4/29,昭和の日
        2027/5/3,憲法記念日
        2027/5/4,みどりの日
        2027/5/5,こどもの日
        2027/7/19,海の日
        2027/8/11,山の日
        2027/9/20,敬老の日
        2027/9/23,秋分の日
        2027/10/11,スポーツの日
        2027/11/3,文化の日
        2027/11/23,勤労感謝の日

        """

    /// 2028–2030 by the Act, worked out by hand: no year is published yet.
    static let computed: [(String, String)] = [
        ("2028-01-01", "元日"), ("2028-01-10", "成人の日"), ("2028-02-11", "建国記念の日"), ("2028-02-23", "天皇誕生日"),
        ("2028-03-20", "春分の日"), ("2028-04-29", "昭和の日"), ("2028-05-03", "憲法記念日"), ("2028-05-04", "みどりの日"),
        ("2028-05-05", "こどもの日"), ("2028-07-17", "海の日"), ("2028-08-11", "山の日"), ("2028-09-18", "敬老の日"),
        ("2028-09-22", "秋分の日"), ("2028-10-09", "スポーツの日"), ("2028-11-03", "文化の日"), ("2028-11-23", "勤労感謝の日"),
        ("2029-01-01", "元日"), ("2029-01-08", "成人の日"), ("2029-02-11", "建国記念の日"), ("2029-02-12", "振替休日"),
        ("2029-02-23", "天皇誕生日"), ("2029-03-20", "春分の日"), ("2029-04-29", "昭和の日"), ("2029-04-30", "振替休日"),
        ("2029-05-03", "憲法記念日"), ("2029-05-04", "みどりの日"), ("2029-05-05", "こどもの日"), ("2029-07-16", "海の日"),
        ("2029-08-11", "山の日"), ("2029-09-17", "敬老の日"), ("2029-09-23", "秋分の日"), ("2029-09-24", "振替休日"),
        ("2029-10-08", "スポーツの日"), ("2029-11-03", "文化の日"), ("2029-11-23", "勤労感謝の日"),
        ("2030-01-01", "元日"), ("2030-01-14", "成人の日"), ("2030-02-11", "建国記念の日"), ("2030-02-23", "天皇誕生日"),
        ("2030-03-20", "春分の日"), ("2030-04-29", "昭和の日"), ("2030-05-03", "憲法記念日"), ("2030-05-04", "みどりの日"),
        ("2030-05-05", "こどもの日"), ("2030-05-06", "振替休日"), ("2030-07-15", "海の日"), ("2030-08-11", "山の日"),
        ("2030-08-12", "振替休日"), ("2030-09-16", "敬老の日"), ("2030-09-23", "秋分の日"), ("2030-10-14", "スポーツの日"),
        ("2030-11-03", "文化の日"), ("2030-11-04", "振替休日"), ("2030-11-23", "勤労感謝の日"),
    ]

    static func date(_ text: String) -> JSTDate { try! JSTDate(parsing: text) }

    static var published: [Holiday] { try! HolidayFile.read(Data(cabinetOfficeCSV.utf8)).holidays }

    static var expected: [Holiday] {
        published + computed.map { Holiday(date: date($0.0), name: $0.1) }
    }

    /// The calendar with 2019–2027 published, as `PublishHolidayCalendar` would leave it.
    static var calendar: BusinessCalendar {
        var state = HolidayCalendarState()
        for (year, holidays) in Dictionary(grouping: published, by: \.date.year).sorted(by: { $0.key < $1.key }) {
            state = HolidayCalendarState.evolve(
                state,
                .published(
                    HolidayCalendarPublished(
                        from: date("\(year)-01-01"), through: date("\(year)-12-31"), holidays: holidays,
                        source: "test", staffId: try! StaffId(parsing: "s1"),
                        chamberId: try! ChamberId(parsing: "jcci"),
                        publishedAt: Date())))
        }
        return state.calendar
    }

    @Test("Counts per year as the Cabinet Office lists them")
    func countsPerYear() {
        let counts = Dictionary(grouping: Self.published, by: \.date.year).mapValues(\.count)
        #expect(counts == [2019: 22, 2020: 18, 2021: 17, 2022: 16, 2023: 17, 2024: 21, 2025: 19, 2026: 18, 2027: 17])
    }

    @Test("The law's rules give the published dates and the hand-worked ones", arguments: Array(2019...2030))
    func rulesMatch(year: Int) throws {
        let rules = try #require(HolidayLaw.holidays(in: year))
        let expected = Self.expected.filter { $0.date.year == year }
        #expect(rules.map(\.date) == expected.map(\.date))
        for (rule, listed) in zip(rules, expected) {
            switch listed.name {
            case "休日": #expect(["振替休日", "国民の休日"].contains(rule.name), "\(rule)")
            case "休日（祝日扱い）": #expect(["天皇の即位の日", "即位礼正殿の儀の行われる日"].contains(rule.name), "\(rule)")
            default: #expect(rule.name == listed.name, "\(rule) vs \(listed)")
            }
        }
    }

    @Test("Every date 2019-2030: holiday or not as listed, from the published list through 2027, then computed")
    func everyDateWithItsSource() {
        let calendar = Self.calendar
        let holidays = Dictionary(uniqueKeysWithValues: Self.expected.map { ($0.date, $0.name) })
        for day in Self.date("2019-01-01")...Self.date("2030-12-31") {
            let answer = calendar.day(day)
            #expect(answer.holiday == holidays[day], "\(day)")
            #expect(answer.source == (day.year <= 2027 ? .published : .computed), "\(day)")
            #expect(
                answer.isBusinessDay
                    == (!day.weekday.isWeekend && holidays[day] == nil && !calendar.isYearEndClosure(day)), "\(day)")
        }
    }

    @Test("2028-01-10 成人の日 is computed; 2026-09-22 国民の休日 is published; both close the banks")
    func namedDays() {
        let calendar = Self.calendar
        let seijin = calendar.day(Self.date("2028-01-10"))
        #expect(seijin.holiday == "成人の日" && seijin.source == .computed && !seijin.isBusinessDay)
        let kokumin = calendar.day(Self.date("2026-09-22"))
        #expect(kokumin.holiday == "休日" && kokumin.source == .published && !kokumin.isBusinessDay)
        #expect(BusinessCalendar.japan.day(Self.date("2026-09-22")).holiday == "国民の休日")
        #expect(calendar.nextBusinessDay(after: Self.date("2026-09-18")) == Self.date("2026-09-24"))
        #expect(calendar.nextBusinessDay(after: Self.date("2028-01-07")) == Self.date("2028-01-11"))
        #expect(BusinessCalendar.japan.day(Self.date("2100-01-04")).source == .unknown)
    }

    @Test(
        "A later publication replaces what an earlier one said about its range; coverage ahead counts the gap-free run")
    func republishing() {
        var published = PublishedHolidays()
        let y2026 = Self.published.filter { $0.date.year == 2026 }
        published.publish(Self.date("2026-01-01")...Self.date("2026-12-31"), holidays: y2026)
        #expect(BusinessCalendar(published: published).publishedDaysAhead(from: Self.date("2026-10-03")) == 90)
        #expect(BusinessCalendar(published: published).publishedDaysAhead(from: Self.date("2026-10-04")) == 89)
        // A made-up closure on 2026-09-24 and 2026-09-22 removed: only the range's own dates change.
        let revised =
            y2026.filter { $0.date != Self.date("2026-09-22") } + [
                Holiday(date: Self.date("2026-09-24"), name: "臨時休業")
            ]
        published.publish(Self.date("2026-09-01")...Self.date("2026-09-30"), holidays: revised)
        let calendar = BusinessCalendar(published: published)
        #expect(calendar.isBusinessDay(Self.date("2026-09-22")))
        #expect(!calendar.isBusinessDay(Self.date("2026-09-24")))
        #expect(calendar.isHoliday(Self.date("2026-05-06")), "outside the revised range the first list stands")
        #expect(published.ranges == [Self.date("2026-01-01")...Self.date("2026-12-31")])
        published.publish(Self.date("2027-01-01")...Self.date("2027-03-31"), holidays: [])
        #expect(published.ranges == [Self.date("2026-01-01")...Self.date("2027-03-31")], "adjacent ranges merge")
        #expect(!published.covers(Self.date("2027-04-01")))
        #expect(BusinessCalendar(published: published).publishedDaysAhead(from: Self.date("2027-04-01")) == 0)
    }

    @Test("The Cabinet Office CSV reads in Shift_JIS as published and in UTF-8, with CRLF; errors name the line")
    func csvEncodings() throws {
        let crlf = Self.cabinetOfficeCSV.replacingOccurrences(of: "\n", with: "\r\n")
        let shiftJIS = try #require(crlf.data(using: .shiftJIS))
        #expect(String(data: shiftJIS, encoding: .utf8) == nil, "the bytes are not UTF-8, so detection matters")
        let fromShiftJIS = try HolidayFile.read(shiftJIS)
        #expect(fromShiftJIS.encoding == .shiftJIS && fromShiftJIS.format == .cabinetOfficeCSV)
        #expect(fromShiftJIS.holidays == Self.published)
        let fromUTF8 = try HolidayFile.read(Data(("\u{FEFF}" + crlf).utf8))
        #expect(fromUTF8.encoding == .utf8 && fromUTF8.holidays == Self.published)
        let oldHeader = try HolidayFile.read(Data("国民の祝日月日,国民の祝日名称\n2026/09/22,休日\n".utf8))
        #expect(oldHeader.holidays == [Holiday(date: Self.date("2026-09-22"), name: "休日")])
        let list = try HolidayFile.read(Data("# list\n2028-01-10 成人の日\n".utf8))
        #expect(list.format == .holidayList && list.holidays.count == 1)

        let badDate = #expect(throws: HolidayListError.self) {
            try HolidayFile.read(Data("国民の祝日月日,国民の祝日名称\n2026/9/22,休日\n2026/2/30,x\n".utf8))
        }
        #expect(badDate?.line == 3)
        let twice = #expect(throws: HolidayListError.self) {
            try HolidayFile.read(Data("国民の祝日月日,国民の祝日名称\n2026/9/22,休日\n2026/9/22,休日\n".utf8))
        }
        #expect(twice?.problem == .duplicate(date: Self.date("2026-09-22"), firstLine: 2))
        let unnamed = #expect(throws: HolidayListError.self) {
            try HolidayFile.read(Data("国民の祝日月日,国民の祝日名称\n2026/9/22,\n".utf8))
        }
        #expect(unnamed?.problem == .missingName(Self.date("2026-09-22")))
        #expect(throws: HolidayListError.self) { try HolidayFile.read(Data([0xFF, 0xFF, 0xFF])) }
    }
}
