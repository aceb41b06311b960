import ArgumentParser
import Commands
import EventStore
import Foundation
import Projections

/// `ledger bench`: throughput and latency against a raw-libpq baseline measured in the same run,
/// on its own database (created and dropped), with the server's default durability.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Measure append, command, contention, catch-up and verify speed against raw baselines in the same run.",
        discussion:
            "Build with -c release. Uses the configured or embedded server; creates and drops its own database. "
            + EnvironmentHelp.text(EnvironmentHelp.database)
    )

    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Short run (about a minute)") var quick = false
    @Flag(help: "Print one JSON object") var json = false
    @Option(help: "Clients for the commands and contention workloads") var clients = 16
    @Option(help: "Events for catch-up and verify (default 1,000,000; 200,000 with --quick)") var events: Int?
    @Option(help: "Commands per second for the latency workload (default 1,000)") var rate = 1_000
    @Option(help: "Run only these workloads (comma-separated: append, commands, contention, catchup, latency, verify)")
    var only: String?
    @Option(help: ArgumentHelp("Folder of migrations", visibility: .hidden)) var schemaDir: String?

    static let workloadNames = ["append", "commands", "contention", "catchup", "latency", "verify"]

    func validate() throws {
        for name in selected where !Self.workloadNames.contains(name) {
            throw ValidationError("unknown workload \(name); known: \(Self.workloadNames.joined(separator: ", "))")
        }
        guard rate > 0 else { throw ValidationError("--rate must be positive") }
    }

    var selected: [String] {
        only.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? Self.workloadNames
    }

    func run() async throws {
        let seconds = quick ? 2.0 : 5.0
        let eventCount = events ?? (quick ? 200_000 : 1_000_000)
        let open: OpenDatabase
        let location = try database.settings().databaseLocation
        do { open = try location.open(database: "postgres") } catch {
            throw fail("cannot start the embedded database: \(error)", error: .databaseUnavailable)
        }
        defer { open.close() }
        let name = "ledger_bench_\(getpid())"
        guard let conninfo = ConnectionString.replacingDatabase(in: open.conninfo, with: name) else {
            throw fail("cannot read the connection string")
        }
        let admin = try await PGConnection.connect(open.conninfo)
        try await admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        try await admin.execute("CREATE DATABASE \(name)")
        do {
            try await measure(conninfo: conninfo, seconds: seconds, eventCount: eventCount)
        } catch {
            try? await admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            await admin.close()
            throw error
        }
        try await admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        await admin.close()
    }

    /// One line on stderr as each workload starts (stdout keeps only the results).
    func announce(_ step: String) {
        FileHandle.standardError.write(Data("ledger bench: \(step)…\n".utf8))
    }

    func measure(conninfo: String, seconds: Double, eventCount: Int) async throws {
        let setup = try await PGConnection.connect(conninfo)
        _ = try await Migrator.resolve(schemaDirectory: schemaDir).migrate(setup)
        try await setup.execute(
            "CREATE TABLE bench_raw (LIKE ledger.events INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING INDEXES)")
        var report = BenchReport(machine: try await BenchReport.machine(setup))
        if BenchReport.buildKind == "debug" {
            FileHandle.standardError.write(
                Data(
                    "ledger bench: this is a debug build; build with `swift build -c release` for figures that mean something\n"
                        .utf8))
        }

        let run = Set(selected)
        if run.contains("append") {
            for count in [1, 4, 16] {
                announce("append, \(count) client(s), ours then raw")
                let ours = try await Workloads.append(conninfo: conninfo, clients: count, seconds: seconds)
                let raw = try await Workloads.rawInsert(conninfo: conninfo, clients: count, seconds: seconds)
                report.append.append(
                    .init(
                        clients: count, eventsPerSecond: ours.rate, rawEventsPerSecond: raw.rate,
                        p50Milliseconds: ours.p50, p99Milliseconds: ours.p99))
            }
        }
        if run.contains("commands") {
            announce("commands (mix, \(clients) clients)")
            let commands = try await CommandMixWorkload.run(conninfo: conninfo, clients: clients, seconds: seconds)
            report.commands = .init(perSecond: commands.rate, p99Milliseconds: commands.p99, notAccepted: commands.lost)
        }
        if run.contains("contention") {
            announce("contention (\(clients) clients on 10 companies)")
            let contention = try await Workloads.commands(
                conninfo: conninfo, clients: clients, companies: 10, seconds: seconds)
            report.contention = .init(
                acceptedPerSecond: contention.rate, lost: contention.lost,
                conflictsRetried: contention.retries, clients: clients)
        }
        if run.contains("latency") {
            announce("latency (ledger serve at \(rate) commands/s)")
            report.latency = try await LatencyWorkload.run(
                conninfo: conninfo, perSecond: rate, seconds: quick ? 10 : 30)
        }
        if run.contains("catchup") || run.contains("verify") {
            announce("filling \(eventCount) events")
            try await Workloads.fill(setup, events: eventCount)
        }
        if run.contains("catchup") {
            announce("catchup (rebuild vs plain read), then a worker process's peak RSS")
            report.catchup = try await Workloads.catchup(conninfo: conninfo, setup: setup, events: eventCount)
            report.workerRSSMegabytes = try Workloads.workerPeakRSS(conninfo: conninfo)
        }
        if run.contains("verify") {
            announce("verify (journal first, then ledger verify vs sha256)")
            report.verify = try await Workloads.verify(conninfo: conninfo, events: eventCount)
        }
        await setup.close()
        if json {
            print(report.json.jsonText)
        } else {
            print(report.table)
        }
    }
}
