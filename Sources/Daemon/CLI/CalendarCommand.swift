import ArgumentParser
import Commands
import EventStore
import Foundation

/// `ledger calendar`: the business calendar every process shares (holidays published as events).
struct CalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "The shared business calendar: publish holiday lists, show how dates are decided.",
        subcommands: [Import.self, Show.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish the holidays of a file (PublishHolidayCalendar, one command per year); idempotent.",
            discussion: """
                FILE is the Cabinet Office's CSV (header 国民の祝日月日,国民の祝日名称 or 国民の祝日・休日月日,\
                国民の祝日・休日名称; dates like 2026/9/22), Shift_JIS as published or UTF-8, or a list of \
                YYYY-MM-DD name lines ('#' comments). Each year that holds a date is published whole: a date of \
                that year not in the file is no holiday. With --from and --through, that range is published \
                instead. Exit 0 when every year was published (or already was), 1 otherwise.
                """)

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Chamber staff id recorded as the publisher") var staff: String = "calendar-import"
        @Option(help: "The publisher's chamber id") var chamber: String = "jcci"
        @Option(help: "Where the list comes from, as recorded (default: the format found)") var source: String?
        @Option(help: "Publish this range (YYYY-MM-DD) instead of whole years; needs --through") var from: String?
        @Option(help: "The last date of the range (YYYY-MM-DD)") var through: String?
        @Argument(help: "The holiday file") var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw fail("cannot read \(file)") }
            let contents: HolidayFile.Contents
            do { contents = try HolidayFile.read(data) } catch { throw fail("\(file): \(error.message)") }
            let source = source ?? "\(contents.format.rawValue) (\(contents.encoding.rawValue))"
            var commands: [(String, PublishHolidayCalendar)] = []
            switch (from, through) {
            case (nil, nil):
                let years = Dictionary(grouping: contents.holidays, by: \.date.year)
                guard !years.isEmpty else { throw fail("\(file) lists no holiday") }
                for year in years.keys.sorted() {
                    commands.append(
                        ("\(year)", PublishHolidayCalendar(year: year, dates: years[year]!, source: source)))
                }
            case (let from?, let through?):
                guard let start = try? JSTDate(parsing: from, field: "--from"),
                    let end = try? JSTDate(parsing: through, field: "--through")
                else { throw fail("--from and --through must be dates YYYY-MM-DD") }
                let dates = contents.holidays.filter { (start...max(start, end)).contains($0.date) }
                commands.append(
                    (
                        "\(from)..\(through)",
                        PublishHolidayCalendar(from: start, through: end, dates: dates, source: source)
                    ))
            default:
                throw fail("give both --from and --through, or neither")
            }
            let actor: Result<CommandActor, Rejection>
            do throws(FieldFormatError) {
                let chamberId = try ChamberId(parsing: chamber, field: "actor.chamberId")
                actor = .success(CommandActor(kind: .chamberStaff, id: staff, chamberId: chamberId))
            } catch {
                actor = .failure(.invalid("actor.chamberId", error.message))
            }
            print(
                "\(file): \(contents.format.rawValue), \(contents.encoding.rawValue), \(contents.holidays.count) dates")
            let lines = commands.enumerated().map { index, entry in
                let (label, command) = entry
                let key = "\(label)-\(source)-" + HolidayList.render(command.dates)
                return ImportLine(line: index + 1, commandId: derivedId("calendar", key)) {
                    () throws(Rejection) -> PublishHolidayCalendar in command
                }
            }
            try await runImport(database, actor: actor, lines, label: { commands[$0 - 1].0 })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the holidays of a range and where each answer comes from (published or computed).")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "First date (YYYY-MM-DD)") var from: String
        @Option(help: "Last date (YYYY-MM-DD)") var through: String

        func run() async throws {
            guard let start = try? JSTDate(parsing: from, field: "--from"),
                let end = try? JSTDate(parsing: through, field: "--through"), start <= end
            else { throw fail("--from and --through must be dates YYYY-MM-DD, from ≤ through") }
            let calendar = try await withDatabase(database) { open in
                try await requireSchema(open)
                let pool = ConnectionPool(.init(conninfo: open.conninfo, maximumConnections: 1))
                let calendar = try await PostgresEventStore(pool: pool).businessCalendar()
                await pool.close()
                return calendar
            }
            for date in start...end {
                let day = calendar.day(date)
                guard day.holiday != nil || day.isYearEndClosure else { continue }
                let what = day.holiday ?? "年末年始休業"
                print("\(date) \(date.weekday.japaneseLabel) \(what) (\(day.source.rawValue))")
            }
            for range in calendar.published.ranges { print("published: \(range.lowerBound)...\(range.upperBound)") }
        }
    }
}
