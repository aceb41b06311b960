import ArgumentParser
import Commands
import EventStore
import Foundation

/// `ledger exec [FILE] [--clock input]`: commands as JSON lines in, one result line out per
/// command, in order (COMMANDS.md).
struct Exec: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run commands given as JSON lines (a file or stdin); print one JSON result per line.",
        discussion: "Exit 0 when every command was ok or exists, 1 when any was rejected or failed."
    )

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "File of JSON lines (default: standard input)")
    var file: String?

    @Option(help: "server (default): the server's clock; input: each command's `at` (imports, tests)")
    var clock: String = "server"

    @OptionGroup var domain: DomainOptions

    func run() async throws {
        let mode: CommandHandler.ClockMode
        switch clock {
        case "server": mode = .server
        case "input": mode = .input
        default: throw fail("--clock must be server or input, not \(clock)")
        }
        let input: FileHandle
        if let file {
            guard let handle = FileHandle(forReadingAtPath: file) else { throw fail("cannot read \(file)") }
            input = handle
        } else {
            input = FileHandle.standardInput
        }
        let allSucceeded = try await withDatabase(database) { open in
            try await requireSchema(open)
            let pool = ConnectionPool(.init(conninfo: open.conninfo, maximumConnections: 2))
            let handler = CommandHandler(store: PostgresEventStore(pool: pool), clockMode: mode,
                                         calendar: try domain.calendar(), chamberNames: try domain.chambers())
            var allSucceeded = true
            for line in LineReader(input) {
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                let outcome = await handler.execute(line: line)
                allSucceeded = allSucceeded && outcome.succeeded
                FileHandle.standardOutput.write(Data((outcome.jsonLine + "\n").utf8))
            }
            await pool.close()
            return allSucceeded
        }
        if !allSucceeded { throw ExitStatus.rejected }
    }
}

/// Reads a file handle line by line (LF-separated) with bounded memory per line read.
struct LineReader: Sequence, IteratorProtocol {
    let handle: FileHandle
    var buffer = Data()
    var finished = false

    init(_ handle: FileHandle) { self.handle = handle }

    mutating func next() -> Data? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<newline]
                buffer = Data(buffer[buffer.index(after: newline)...])
                return Data(line)
            }
            if finished {
                guard !buffer.isEmpty else { return nil }
                defer { buffer = Data() }
                return buffer
            }
            let chunk = handle.readData(ofLength: 1 << 16)
            if chunk.isEmpty { finished = true } else { buffer.append(chunk) }
        }
    }
}

/// Configuration of the domain shared by the commands that decide: the business-day calendar and
/// the chamber names printed on statements.
struct DomainOptions: ParsableArguments {
    @Option(help: "Holiday list replacing the built-in 2024–2027 Japanese holidays: one YYYY-MM-DD per line, '#' comments")
    var holidays: String?

    @Option(name: .customLong("chamber-name"),
            help: "A chamber's printed name, as id=name (repeatable), e.g. kamikochi=上高地商工会議所")
    var chamberNames: [String] = []

    func calendar() throws -> BusinessCalendar {
        guard let holidays else { return .japan }
        guard let text = try? String(contentsOfFile: holidays, encoding: .utf8) else {
            throw fail("cannot read the holiday list \(holidays)")
        }
        do {
            return try BusinessCalendar(holidayList: text)
        } catch {
            throw fail("holiday list \(holidays): \(error)")
        }
    }

    func chambers() throws -> [ChamberId: String] {
        var names: [ChamberId: String] = [:]
        for entry in chamberNames {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let id = try? ChamberId(parsing: parts[0]), !parts[1].isEmpty else {
                throw fail("--chamber-name must be id=name, not \(entry)")
            }
            names[id] = parts[1]
        }
        return names
    }
}
