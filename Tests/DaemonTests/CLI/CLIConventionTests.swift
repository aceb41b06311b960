import EventStore
import Foundation
import TestSupport
import Testing

/// Issue #19 item 1: `--version`, exit 2 with a reason and a hint on every kind of usage error,
/// JSON errors in JSON mode, the environment in `--help`, `--json` reports, progress only on a
/// terminal. Each runs the built `ledger` binary.
@Suite("ledger CLI conventions")
struct CLIConventionTests {
    /// The JSON object of a line of output.
    func object(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    func lines(_ text: String) -> [Substring] { text.split(separator: "\n", omittingEmptySubsequences: true) }

    @Test("--version prints the version and the newest migration it needs")
    func version() async throws {
        let result = try await LedgerExecutable.run(["--version"])
        #expect(result.status == 0, "\(result.errorOutput)")
        let newest = try #require(try Migrator(directory: TestDatabase.schemaDirectory).migrations().last)
        #expect(result.output.hasPrefix("ledger "))
        #expect(result.output.contains(String(format: "schema %04d", newest.version)), "\(result.output)")
        #expect(result.output.contains(newest.name))
    }

    static let usageErrors: [(kind: String, arguments: [String], hint: String)] = [
        ("unknown flag", ["status", "--bogus"], "ledger status --help"),
        (
            "unknown flag of a nested subcommand", ["accounts", "import", "--bogus", "x.csv"],
            "ledger accounts import --help"
        ),
        ("missing argument", ["compare"], "ledger compare --help"),
        ("missing option", ["replay"], "ledger replay --help"),
        ("bad value", ["bench", "--rate", "many"], "ledger bench --help"),
        ("value out of range", ["bench", "--rate", "0"], "ledger bench --help"),
        ("unknown subcommand", ["nosuch"], "ledger --help"),
        ("unknown nested subcommand", ["journal", "nosuch"], "ledger journal --help"),
        ("a value the command's validation refuses", ["bench", "--only", "nosuch"], "ledger bench --help"),
    ]

    @Test("every kind of usage error exits 2 with a one-line reason and a hint", arguments: usageErrors)
    func usageError(_ error: (kind: String, arguments: [String], hint: String)) async throws {
        let result = try await LedgerExecutable.run(error.arguments)
        #expect(result.status == 2, "\(error.kind): exit \(result.status) (ArgumentParser's default is 64)")
        #expect(result.output.isEmpty, "\(error.kind): nothing on stdout")
        let printed = lines(result.errorOutput)
        #expect(printed.count == 2, "\(error.kind): a reason and a hint, not the usage screen: \(result.errorOutput)")
        #expect(printed.first?.hasPrefix("ledger: ") == true, "\(error.kind): \(result.errorOutput)")
        #expect(printed.last == "hint: see `\(error.hint)`", "\(error.kind): \(result.errorOutput)")
    }

    @Test("an unknown subcommand is named as one, with the known ones")
    func unknownSubcommand() async throws {
        let result = try await LedgerExecutable.run(["journal", "nosuch"])
        #expect(result.status == 2)
        #expect(
            result.errorOutput.hasPrefix(
                "ledger: unknown subcommand 'nosuch' of ledger journal (known: export, keygen, checkpoint)"))
        let root = try await LedgerExecutable.run(["nosuch", "--json"])
        #expect(root.status == 2)
        let error = try #require(object(root.errorOutput)?["error"] as? [String: Any], "\(root.errorOutput)")
        #expect(
            (error["message"] as? String)?.hasPrefix("unknown subcommand 'nosuch' of ledger (known: migrate,") == true)
    }

    @Test("a bad value found by the command itself exits 2 too")
    func commandUsageError() async throws {
        let result = try await LedgerExecutable.run(["exec", "--clock", "sundial", "/dev/null"])
        #expect(result.status == 2)
        #expect(result.errorOutput.hasPrefix("ledger: --clock must be server or input"))
    }

    @Test("--help exits 0 on stdout")
    func help() async throws {
        let result = try await LedgerExecutable.run(["migrate", "--help"])
        #expect(result.status == 0)
        #expect(result.output.contains("--status"))
        #expect(result.errorOutput.isEmpty)
    }

    @Test("in JSON mode a usage error is one JSON object on stderr with a code, a message and a hint")
    func jsonUsageError() async throws {
        let result = try await LedgerExecutable.run(["status", "--json", "--bogus"])
        #expect(result.status == 2)
        #expect(result.output.isEmpty)
        #expect(lines(result.errorOutput).count == 1, "\(result.errorOutput)")
        let error = try #require(object(result.errorOutput)?["error"] as? [String: Any], "\(result.errorOutput)")
        #expect(error["code"] as? String == "usage")
        #expect((error["message"] as? String)?.contains("--bogus") == true)
        #expect(error["hint"] as? String == "see `ledger status --help`")
        let validation = try await LedgerExecutable.run(["project", "--json"])
        #expect(validation.status == 2)
        let refused = try #require(object(validation.errorOutput)?["error"] as? [String: Any])
        #expect(refused["message"] as? String == "--json needs --once or --rebuild")
        #expect(refused["hint"] as? String == "see `ledger project --help`")
    }

    @Test("in JSON mode errors found at run time are JSON too: no database, no schema")
    func jsonRunTimeErrors() async throws {
        let unreachable = try await LedgerExecutable.run([
            "migrate", "--json", "--database-url", "host=/nonexistent-socket-dir dbname=ledger connect_timeout=2",
        ])
        #expect(unreachable.status == 2)
        let refused = try #require(object(unreachable.errorOutput)?["error"] as? [String: Any])
        #expect(refused["code"] as? String == "databaseUnavailable", "\(unreachable.errorOutput)")
        #expect(refused["hint"] != nil)
        let empty = try await TestDatabase.emptyDatabase()
        for arguments in [["audit", "--json"], ["status", "--json"], ["verify", "--json"]] {
            let result = try await LedgerExecutable.run(arguments + ["--database-url", empty])
            #expect(result.status == 2, "\(arguments)")
            let error = try #require(object(result.errorOutput)?["error"] as? [String: Any], "\(result.errorOutput)")
            #expect(error["code"] as? String == "schemaNotCurrent")
            #expect(error["hint"] as? String == "run `ledger migrate` first")
        }
        let text = try await LedgerExecutable.run(["status", "--database-url", empty])
        #expect(text.errorOutput == "ledger: the database has no ledger schema yet\nhint: run `ledger migrate` first\n")
    }

    static let environment: [(arguments: [String], variables: [String])] = [
        (
            ["serve"],
            [
                "LEDGER_DATABASE_URL", "LEDGER_API_TOKEN", "LEDGER_HTTP_HOST", "LEDGER_HTTP_PORT", "LEDGER_SMTP_URL",
                "LOG_LEVEL",
            ]
        ),
        (["project"], ["LEDGER_DATABASE_URL", "LOG_LEVEL"]),
        (["notify"], ["LEDGER_DATABASE_URL", "LEDGER_SMTP_URL", "LEDGER_SENDMAIL", "LEDGER_MAIL_FROM"]),
        (["migrate"], ["LEDGER_DATABASE_URL"]), (["exec"], ["LEDGER_DATABASE_URL"]),
        (["status"], ["LEDGER_DATABASE_URL"]), (["demo"], ["LEDGER_DATABASE_URL"]),
        (["verify"], ["LEDGER_DATABASE_URL"]), (["journal", "export"], ["LEDGER_DATABASE_URL"]),
        (["events"], ["LEDGER_DATABASE_URL"]), (["replay"], ["LEDGER_DATABASE_URL"]),
        (["compare"], ["LEDGER_DATABASE_URL"]), (["audit"], ["LEDGER_DATABASE_URL"]),
        (["deposits", "import"], ["LEDGER_DATABASE_URL"]), (["accounts", "import"], ["LEDGER_DATABASE_URL"]),
        (["bench"], ["LEDGER_DATABASE_URL"]),
    ]

    @Test("each subcommand's --help lists the environment variables it reads", arguments: environment)
    func environmentInHelp(_ entry: (arguments: [String], variables: [String])) async throws {
        let help = try await LedgerExecutable.run(entry.arguments + ["--help"])
        #expect(help.status == 0)
        for variable in entry.variables {
            #expect(
                help.output.contains(variable),
                "`ledger \(entry.arguments.joined(separator: " ")) --help` lacks \(variable)")
        }
    }

    @Test("replay, compare, project --once and the imports report in JSON with --json; progress only on a terminal")
    func jsonReports() async throws {
        let ledger = try await LedgerFixture.make()
        try await ledger.setUp()
        let url = ledger.test.conninfo
        let once = try await LedgerExecutable.run(["project", "--once", "--json", "--database-url", url])
        #expect(once.status == 0, "\(once.errorOutput)")
        let projected = try #require(object(once.output), "\(once.output)")
        #expect(projected["journalEntriesAdded"] is Int)
        let projections = try #require(projected["projections"] as? [[String: Any]])
        #expect(projections.contains { $0["projection"] as? String == "coupon_balance" && $0["eventsApplied"] is Int })
        #expect((projected["failures"] as? [Any])?.isEmpty == true)

        let replay = try await LedgerExecutable.run([
            "replay", "--into", "replay_json", "--json", "--database-url", url,
        ])
        #expect(replay.status == 0, "\(replay.errorOutput)")
        #expect(replay.errorOutput.isEmpty, "no progress when stderr is not a terminal: \(replay.errorOutput)")
        let replayed = try #require(object(replay.output))
        #expect(replayed["schema"] as? String == "replay_json")
        #expect((replayed["eventsApplied"] as? Int ?? 0) > 0)

        let compare = try await LedgerExecutable.run(["compare", "replay_json", "--json", "--database-url", url])
        #expect(compare.status == 0, "\(compare.output) \(compare.errorOutput)")
        let compared = try #require(object(compare.output), "\(compare.output)")
        #expect(compared["same"] as? Bool == true)
        #expect((compared["differences"] as? [String: Int])?["coupon_balance"] == 0)

        let audit = try await LedgerExecutable.run(["audit", "--json", "--database-url", url])
        #expect(audit.errorOutput.isEmpty, "no progress when stderr is not a terminal: \(audit.errorOutput)")

        let accounts = try LedgerExecutable.writeLines([
            "bank_code,bank_name,branch_code,branch_name,account_type,account_number,account_holder",
            "0310,b,502,br,ordinary,6818570,h",
            "0310,b,502,br,ordinary,12AB,h",
        ])
        let imported = try await LedgerExecutable.run(["accounts", "import", "--json", "--database-url", url, accounts])
        #expect(imported.status == 1, "one line is refused")
        #expect(imported.errorOutput.isEmpty, "\(imported.errorOutput)")
        let report = try #require(object(imported.output), "\(imported.output)")
        #expect(report["accepted"] as? Int == 1)
        #expect(report["refused"] as? Int == 1)
        let refusedLine = try #require((report["lines"] as? [[String: Any]])?.last)
        #expect(refusedLine["line"] as? Int == 3)
        #expect(refusedLine["status"] as? String == "refused")
        #expect(refusedLine["code"] as? String == "invalidCommand")

        // On a terminal (a pseudo-terminal from script(1)) the same replay shows its progress.
        let command = [LedgerExecutable.path, "replay", "--into", "replay_tty", "--database-url", url]
            .map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let onTerminal = try await ChildProcess.run(
            "/usr/bin/script", ["-qec", command, "/dev/null"], within: .seconds(300))
        #expect(onTerminal.status == 0, "\(onTerminal.output)")
        #expect(onTerminal.output.contains("replay: "), "\(onTerminal.output)")
        #expect(onTerminal.output.contains("projections"), "\(onTerminal.output)")
    }
}
