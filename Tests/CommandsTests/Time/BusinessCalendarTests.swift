import Commands
import Testing

/// Goal: 翌営業日 comes out as DOMAIN.md's examples say (EX-9a, 9b, EX-10), across weekends,
/// holidays, Golden Week, Silver Week and the year-end closure; a published list replaces the rules.
@Suite("Business calendar (Q27, R49)")
struct BusinessCalendarTests {
    let calendar = BusinessCalendar.japan

    private static func date(_ text: String) -> JSTDate { try! JSTDate(parsing: text) }

    @Test(
        "Next business day after a nightly check (R49, I21)",
        arguments: [
            ("2024-01-22", "2024-01-23"),  // EX-9a: Mon → Tue
            ("2024-01-26", "2024-01-29"),  // EX-9b: Fri → Mon
            ("2025-05-22", "2025-05-23"),  // EX-10: Thu → Fri
            ("2024-02-09", "2024-02-13"),  // Fri; Mon 02-12 is 振替休日
            ("2024-12-27", "2024-12-30"),  // Fri → Mon 12-30, still open
            ("2024-12-30", "2025-01-06"),  // closure 12-31..01-03, then a weekend
            ("2025-12-30", "2026-01-05"),
            ("2026-12-30", "2027-01-04"),
            ("2025-05-02", "2025-05-07"),  // Golden Week 2025: 05-03..05-06
            ("2026-05-01", "2026-05-07"),  // Golden Week 2026: 05-03..05-06 (振替休日 05-06)
            ("2026-09-18", "2026-09-24"),  // Silver Week 2026: 09-21, 国民の休日 09-22, 09-23
            ("2027-03-19", "2027-03-23"),  // 春分の日 on Sunday 03-21 → 振替休日 03-22
            ("2024-11-01", "2024-11-05"),  // 文化の日 on Sunday → 振替休日 11-04
            ("2025-11-21", "2025-11-25"),  // 勤労感謝の日 on Sunday → 振替休日 11-24
            ("2024-11-22", "2024-11-25"),  // 勤労感謝の日 on Saturday: no substitute
            ("2024-01-20", "2024-01-22"),  // from a Saturday
        ])
    func nextBusinessDay(_ row: (String, String)) {
        #expect(calendar.nextBusinessDay(after: Self.date(row.0)) == Self.date(row.1))
    }

    @Test(
        "Holidays the brief asked to double-check are non-business days",
        arguments: [
            "2024-02-12", "2024-09-23", "2024-11-04", "2025-02-24", "2025-05-06", "2025-11-24", "2026-05-06",
            "2026-09-22", "2027-03-22", "2024-01-08", "2025-01-13", "2026-01-12", "2027-01-11",
        ])
    func holidaysAreClosed(_ text: String) {
        let day = Self.date(text)
        #expect(!day.weekday.isWeekend, "the listed day should be a weekday, else the check proves nothing")
        #expect(calendar.isHoliday(day))
        #expect(!calendar.isBusinessDay(day))
    }

    @Test(
        "Year-end closure 31 Dec - 3 Jan, even on weekdays",
        arguments: ["2024-12-31", "2025-01-02", "2025-01-03", "2025-12-31", "2026-01-02", "2027-12-31", "2028-01-03"])
    func yearEndClosure(_ text: String) {
        let day = Self.date(text)
        #expect(!day.weekday.isWeekend)
        #expect(calendar.isYearEndClosure(day))
        #expect(!calendar.isBusinessDay(day))
    }

    @Test("Ordinary weekdays are business days; weekends are not")
    func ordinaryDays() {
        #expect(calendar.isBusinessDay(Self.date("2024-01-19")))
        #expect(calendar.isBusinessDay(Self.date("2024-12-30")))
        #expect(calendar.isBusinessDay(Self.date("2025-01-06")))
        #expect(!calendar.isBusinessDay(Self.date("2024-01-20")))
        #expect(!calendar.isBusinessDay(Self.date("2024-01-21")))
    }

    @Test("Business days per year match the table (weekdays minus weekday holidays and closure)")
    func businessDaysPerYear() {
        // Counted by hand: weekdays 262 / 261 / 261 / 261; minus holidays on weekdays
        // (2024: 21 − 7 on weekends = 14; 2025: 19 − 4 = 15; 2026: 18 − 1 = 17; 2027: 17 − 1 = 16);
        // minus weekday closure days not already holidays (2024: 01-02, 01-03, 12-31; 2025: 01-02,
        // 01-03, 12-31; 2026: 01-02, 12-31; 2027: 12-31). Confirmed with the jpholiday package.
        let expected = [2024: 245, 2025: 243, 2026: 242, 2027: 244]
        for (year, count) in expected {
            let start = JSTDate(year: year - 1, month: 12, day: 31)!
            let end = JSTDate(year: year, month: 12, day: 31)!
            #expect(calendar.businessDays(after: start, through: end) == count, "\(year)")
        }
    }

    @Test("Adding business days")
    func addBusinessDays() {
        let friday = Self.date("2024-01-26")
        #expect(calendar.addBusinessDays(0, to: friday) == friday)
        #expect(calendar.addBusinessDays(1, to: friday) == Self.date("2024-01-29"))
        #expect(calendar.addBusinessDays(5, to: friday) == Self.date("2024-02-02"))
        #expect(calendar.addBusinessDays(-1, to: Self.date("2024-01-29")) == friday)
        #expect(calendar.addBusinessDays(-1, to: Self.date("2025-01-06")) == Self.date("2024-12-30"))
        // Thu 05-01, Fri 05-02, then Golden Week (05-03..05-06).
        #expect(calendar.addBusinessDays(3, to: Self.date("2025-04-30")) == Self.date("2025-05-07"))
        #expect(calendar.previousBusinessDay(before: Self.date("2026-09-24")) == Self.date("2026-09-18"))
        #expect(calendar.businessDay(onOrAfter: Self.date("2024-01-26")) == Self.date("2024-01-26"))
        #expect(calendar.businessDay(onOrAfter: Self.date("2024-01-27")) == Self.date("2024-01-29"))
        for offset in 0..<400 {
            let day = Self.date("2024-01-01").adding(days: offset)
            #expect(calendar.addBusinessDays(1, to: day) == calendar.nextBusinessDay(after: day))
            if calendar.isBusinessDay(day) {
                #expect(calendar.addBusinessDays(-1, to: calendar.addBusinessDays(1, to: day)) == day)
            }
        }
    }

    @Test("Coverage: only published ranges are covered; elsewhere the law's rules answer")
    func coverage() {
        #expect(!calendar.covers(Self.date("2024-01-01")), "nothing is published in .japan")
        #expect(calendar.day(Self.date("2024-01-08")).source == .computed)
        var published = PublishedHolidays()
        published.publish(Self.date("2028-01-01")...Self.date("2028-12-31"), holidays: [])
        let empty2028 = BusinessCalendar(published: published)
        #expect(empty2028.covers(Self.date("2028-06-30")) && !empty2028.covers(Self.date("2029-01-01")))
        #expect(empty2028.isBusinessDay(Self.date("2028-01-10")), "published with no holidays: the rules are not asked")
        #expect(!empty2028.isBusinessDay(Self.date("2029-01-08")), "2029 is not published: the rules decide")
    }

    @Test("A published holiday list replaces the rules for its range")
    func configured() throws {
        let text = """
            \u{FEFF}# Japan 2028 (partial)
            2028-01-01 元日
            2028-01-10 成人の日   # 2nd Monday of January\r
               
            2028-02-11\t建国記念の日
            2028-03-15 臨時休業   # a made-up closure
            """
        let parsed = try HolidayList.parse(text)
        #expect(parsed.map(\.name) == ["元日", "成人の日", "建国記念の日", "臨時休業"])
        var published = PublishedHolidays()
        published.publish(Self.date("2028-01-01")...Self.date("2028-03-31"), holidays: parsed)
        let configured = BusinessCalendar(published: published)
        #expect(!configured.isBusinessDay(Self.date("2028-01-10")))
        #expect(!configured.isBusinessDay(Self.date("2028-03-15")))
        #expect(configured.nextBusinessDay(after: Self.date("2028-03-14")) == Self.date("2028-03-16"))
        // 春分の日 (2028-03-20) is not in the published list: a business day there.
        #expect(configured.isBusinessDay(Self.date("2028-03-20")))
        #expect(!BusinessCalendar.japan.isBusinessDay(Self.date("2028-03-20")))

        let noClosure = BusinessCalendar(published: PublishedHolidays(), observesYearEndClosure: false)
        #expect(noClosure.isBusinessDay(Self.date("2024-12-31")))
    }

    @Test("Holiday list errors name the line")
    func holidayListErrors() {
        let badDate = #expect(throws: HolidayListError.self) { try HolidayList.parse("2024-01-01\n\n2024-02-30 x\n") }
        #expect(badDate?.line == 3)
        #expect(badDate?.message.contains("line 3") == true)
        let duplicate = #expect(throws: HolidayListError.self) {
            try HolidayList.parse("2024-01-01\n# c\n2024-01-01 again")
        }
        #expect(duplicate?.problem == .duplicate(date: Self.date("2024-01-01"), firstLine: 1))
        let words = #expect(throws: HolidayListError.self) { try HolidayList.parse("New Year 2024-01-01") }
        #expect(words?.line == 1)
    }

    @Test("The law's holidays render to the list format and parse back")
    func renderRoundTrip() throws {
        let holidays = (2024...2027).flatMap { HolidayLaw.holidays(in: $0)! }
        let text = HolidayList.render(holidays)
        #expect(text.hasPrefix("2024-01-01 元日\n2024-01-08 成人の日\n"))
        #expect(try HolidayList.parse(text) == holidays)
        #expect(holidays.count == 75)
    }
}
