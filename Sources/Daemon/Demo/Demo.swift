import ArgumentParser
import Commands
import EventStore
import Foundation
import Projections

/// `ledger demo`: the guide's worked examples on a fresh demo database, then what users see.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the guide's worked examples on a fresh demo database and print what users would see.",
        discussion:
            "With nothing configured it uses the embedded server in ./.ledger/ (database ledger_demo, made anew each run). "
            + EnvironmentHelp.text(EnvironmentHelp.database, EnvironmentHelp.mail)
    )

    @OptionGroup var database: DatabaseOptions
    /// Only an explicit --smtp-url or --sendmail sends the demo's mails (never /usr/sbin/sendmail).
    @OptionGroup var mail: MailOptions

    @Option(help: "Read NNNN_name.sql migrations from this folder instead of those built in (development)")
    var schemaDir: String?

    static let databaseName = "ledger_demo"

    func run() async throws {
        try mail.validateRemoved()
        let settings = try database.settings(mail)
        let mailSettings = try settings.mail(systemDefault: false)
        let location = settings.databaseLocation
        let open: OpenDatabase
        do {
            open = try location.open(database: "postgres")
        } catch {
            throw fail("cannot start the embedded database: \(error)", error: .databaseUnavailable)
        }
        defer { open.close() }
        guard let demoConninfo = ConnectionString.replacingDatabase(in: open.conninfo, with: Self.databaseName) else {
            throw fail("cannot read the connection string")
        }
        let admin = try await PGConnection.connect(open.conninfo)
        try await admin.execute("DROP DATABASE IF EXISTS \(Self.databaseName) WITH (FORCE)")
        try await admin.execute("CREATE DATABASE \(Self.databaseName)")
        await admin.close()
        let migrator = Migrator.resolve(schemaDirectory: schemaDir)
        let connection = try await PGConnection.connect(demoConninfo)
        do {
            _ = try await migrator.migrate(connection)
        } catch let failure as Migrator.Failure {
            throw fail(failure.description, error: .migrationFailed)
        }
        let pool = ConnectionPool(.init(conninfo: demoConninfo, maximumConnections: 2))
        let store = PostgresEventStore(pool: pool)
        let handler = CommandHandler(
            store: store, clockMode: .input,
            chamberNames: [try ChamberId(parsing: "kamikochi"): "上高地商工会議所"])
        var results: [String: CommandOutcome] = [:]
        for step in try DemoScript.steps() {
            let outcome = await step.run(handler)
            guard outcome.succeeded else {
                throw fail("demo step \(step.name) failed: \(outcome.jsonLine)", code: ExitStatus.rejected)
            }
            results[step.name] = outcome
        }
        for projection in ProjectionCatalog.all {
            _ = try await ProjectionWorker(projection: projection, store: store, conninfo: demoConninfo).catchUp()
        }
        let report = try await DemoReport(connection: connection, results: results).render()
        print(report)
        if let sender = mailSettings.sender {
            let round = try await NotificationDispatcher(
                pool: pool, sender: sender, from: mailSettings.from, retry: mailSettings.retry
            ).dispatch()
            print("\n■ 通知メール: \(round.sent)通 送信 (\(sender.transportDescription))")
            if let error = round.firstError { FileHandle.standardError.write(Data("ledger: \(error)\n".utf8)) }
        }
        await connection.close()
        await pool.close()
    }
}
