import EventStore
import Foundation
import TestSupport
import Testing

/// Issue #19 item 2: one configuration model — flags, then LEDGER_* variables, then the
/// `--config` JSON file, then the defaults — a strict file, and `ledger config show` with every
/// secret masked. Each runs the built `ledger` binary.
@Suite("ledger configuration: precedence, the file, config show")
struct ConfigurationTests {
    /// Writes `text` to a new file and returns its path.
    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-config-\(UUID()).json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The `config show --json` entries by key.
    static func show(_ arguments: [String], environment: [String: String] = [:]) async throws -> [String: [String: Any]]
    {
        let result = try await LedgerExecutable.run(["config", "show", "--json"] + arguments, environment: environment)
        #expect(result.status == 0, "\(result.errorOutput)")
        let object = try #require(
            (try? JSONSerialization.jsonObject(with: Data(result.output.utf8))) as? [String: Any], "\(result.output)")
        return try #require(object["settings"] as? [String: [String: Any]])
    }

    /// Variables that would otherwise leak in from the environment the tests run in.
    static let cleared = ["LEDGER_HTTP_PORT": "", "LEDGER_HTTP_HOST": "", "LEDGER_API_TOKEN": ""]

    @Test("flag beats environment beats file beats default, for the database URL and serve's port")
    func precedence() async throws {
        let path = try Self.file(#"{"database": {"url": "dbname=fromfile"}, "serve": {"httpPort": 7001}}"#)
        let environment = ["LEDGER_DATABASE_URL": "dbname=fromenv", "LEDGER_HTTP_PORT": "7002"]
        let flags = ["--database-url", "dbname=fromflag", "--http-port", "7003"]
        let cases: [(arguments: [String], environment: [String: String], url: String?, port: Int, source: String)] = [
            ([], Self.cleared, nil, 8080, "default"),
            (["--config", path], Self.cleared, "dbname=fromfile", 7001, "file"),
            (["--config", path], Self.cleared.merging(environment) { $1 }, "dbname=fromenv", 7002, "environment"),
            (["--config", path] + flags, Self.cleared.merging(environment) { $1 }, "dbname=fromflag", 7003, "flag"),
        ]
        for entry in cases {
            let settings = try await Self.show(entry.arguments, environment: entry.environment)
            let url = try #require(settings["database.url"])
            let port = try #require(settings["serve.httpPort"])
            #expect(url["value"] as? String == entry.url, "\(entry.source): \(url)")
            #expect(url["source"] as? String == (entry.url == nil ? "unset" : entry.source), "\(url)")
            #expect(port["value"] as? Int == entry.port, "\(entry.source): \(port)")
            #expect(port["source"] as? String == entry.source, "\(port)")
        }
        let fromEnvironment = try #require(
            try await Self.show(["--config", path], environment: Self.cleared.merging(environment) { $1 })[
                "serve.httpPort"])
        #expect(fromEnvironment["from"] as? String == "LEDGER_HTTP_PORT")
        let fromFile = try #require(
            try await Self.show(["--config", path], environment: Self.cleared)["serve.httpPort"])
        #expect(fromFile["from"] as? String == path)
        // An empty variable gives no value: the file's stands.
        let empty = try await Self.show(
            ["--config", path], environment: ["LEDGER_HTTP_PORT": "", "LEDGER_DATABASE_URL": ""])
        #expect(empty["serve.httpPort"]?["value"] as? Int == 7001)
        // LEDGER_CONFIG names the file when --config does not; --config wins over it.
        let named = try await Self.show([], environment: Self.cleared.merging(["LEDGER_CONFIG": path]) { $1 })
        #expect(named["serve.httpPort"]?["value"] as? Int == 7001)
        let other = try Self.file(#"{"serve": {"httpPort": 7004}}"#)
        let both = try await Self.show(
            ["--config", other], environment: Self.cleared.merging(["LEDGER_CONFIG": path]) { $1 })
        #expect(both["serve.httpPort"]?["value"] as? Int == 7004)
    }

    @Test("the --json form parses: every setting, with value, source and where it came from")
    func jsonForm() async throws {
        let path = try Self.file(
            #"{"domain": {"chamberNames": {"kamikochi": "上高地商工会議所"}}, "gateway": {"timeout": 2.5}}"#)
        let result = try await LedgerExecutable.run(
            ["config", "show", "--json", "--config", path, "--mail-timeout", "9"], environment: Self.cleared)
        #expect(result.status == 0, "\(result.errorOutput)")
        let object = try #require(
            (try? JSONSerialization.jsonObject(with: Data(result.output.utf8))) as? [String: Any], "\(result.output)")
        let file = try #require(object["file"] as? [String: Any])
        #expect(file["path"] as? String == path && file["source"] as? String == "flag")
        let settings = try #require(object["settings"] as? [String: [String: Any]])
        for key in [
            "database.url", "serve.httpHost", "serve.httpPort", "serve.apiToken", "serve.readyMaxLagSeconds",
            "domain.chamberNames", "gateway.url", "gateway.timeout", "gateway.retryHours", "mail.smtpUrl",
            "mail.sendmail", "mail.from", "mail.timeout", "mail.retrySeconds",
        ] {
            let entry = try #require(settings[key], "\(key) missing from \(settings.keys.sorted())")
            #expect(["flag", "environment", "file", "default", "unset"].contains(entry["source"] as? String ?? ""))
        }
        #expect((settings["domain.chamberNames"]?["value"] as? [String: String])?["kamikochi"] == "上高地商工会議所")
        #expect(settings["gateway.timeout"]?["value"] as? Double == 2.5)
        #expect(
            settings["mail.timeout"]?["value"] as? Int == 9
                && settings["mail.timeout"]?["from"] as? String == "--mail-timeout")
        #expect(settings["gateway.retryHours"]?["source"] as? String == "default")
        let text = try await LedgerExecutable.run(["config", "show", "--config", path], environment: Self.cleared)
        #expect(text.status == 0, "\(text.errorOutput)")
        #expect(text.output.contains("configuration file: \(path) (--config)"), "\(text.output)")
        #expect(text.output.contains("kamikochi=上高地商工会議所"))
    }

    @Test("an unknown key in the file is refused with exit 2, naming the key and the file, by every subcommand")
    func unknownKey() async throws {
        for (content, key) in [
            (#"{"serve": {"htpPort": 8081}}"#, "serve.htpPort"), (#"{"databse": {"url": "dbname=x"}}"#, "databse"),
        ] {
            let path = try Self.file(content)
            for arguments in [["config", "show"], ["migrate", "--status"], ["serve"], ["status", "--json"]] {
                let result = try await LedgerExecutable.run(arguments + ["--config", path])
                #expect(result.status == 2, "\(arguments): \(result.errorOutput)")
                #expect(result.output.isEmpty, "\(arguments): nothing on stdout")
                #expect(result.errorOutput.contains(key) && result.errorOutput.contains(path), "\(result.errorOutput)")
                #expect(result.errorOutput.contains("unknown key"), "\(result.errorOutput)")
            }
        }
        let json = try await LedgerExecutable.run(
            ["config", "show", "--json", "--config", try Self.file(#"{"mail": {"form": "a@b.example"}}"#)])
        #expect(json.status == 2)
        let error = try #require(
            ((try? JSONSerialization.jsonObject(with: Data(json.errorOutput.utf8))) as? [String: Any])?["error"]
                as? [String: Any], "\(json.errorOutput)")
        #expect(error["code"] as? String == "configuration")
        #expect((error["message"] as? String)?.contains("mail.form") == true)
    }

    @Test("a malformed file, a value of the wrong type or a missing file is exit 2 naming the file (and line)")
    func malformedFile() async throws {
        let malformed = try Self.file("{\n  \"serve\": {\n    \"httpPort\": 8081\n    \"httpHost\": \"::1\"\n  }\n}\n")
        let result = try await LedgerExecutable.run(["migrate", "--status", "--config", malformed])
        #expect(result.status == 2, "\(result.errorOutput)")
        #expect(
            result.errorOutput.contains(malformed) && result.errorOutput.contains("line 4"), "\(result.errorOutput)")
        let wrongType = try Self.file("{\n  \"serve\": {\n    \"httpPort\": \"8081\"\n  }\n}\n")
        let typed = try await LedgerExecutable.run(["config", "show", "--config", wrongType])
        #expect(typed.status == 2)
        #expect(
            typed.errorOutput.contains("\(wrongType), line 3: serve.httpPort must be a whole number"),
            "\(typed.errorOutput)")
        let notObject = try await LedgerExecutable.run(["config", "show", "--config", try Self.file("[1, 2]")])
        #expect(notObject.status == 2 && notObject.errorOutput.contains("one JSON object"), "\(notObject.errorOutput)")
        let empty = try await LedgerExecutable.run(["config", "show", "--config", try Self.file("\n")])
        #expect(empty.status == 0, "an empty file gives no settings: \(empty.errorOutput)")
        let missing = "/nonexistent/ledger.json"
        let absent = try await LedgerExecutable.run(["config", "show"], environment: ["LEDGER_CONFIG": missing])
        #expect(absent.status == 2 && absent.errorOutput.contains(missing), "\(absent.errorOutput)")
        #expect(absent.errorOutput.contains("LEDGER_CONFIG"), "the hint says where the name came from")
        // A malformed variable is refused naming it, not silently replaced by the default.
        let port = try await LedgerExecutable.run(["config", "show"], environment: ["LEDGER_HTTP_PORT": "80a"])
        #expect(
            port.status == 2 && port.errorOutput.contains("LEDGER_HTTP_PORT must be a port number"),
            "\(port.errorOutput)")
    }

    static let secrets = [
        "PW-uri-1", "PW-gw-2", "PW-smtp-3", "TOKEN-file-4", "PW-conninfo-5", "PW-query-6", "TOKEN-env-7",
        "PW-quoted 8",
    ]

    @Test("config show masks every kind of secret, in text, in JSON and in its errors")
    func redaction() async throws {
        let path = try Self.file(
            """
            {"database": {"url": "postgresql://ledger:PW-uri-1@db.example:5432/ledger"},
             "gateway": {"url": "https://gw:PW-gw-2@gateway.example/api"},
             "mail": {"smtpUrl": "smtp://mailer:PW-smtp-3@relay.example:25"},
             "serve": {"apiToken": "TOKEN-file-4"}}
            """)
        let runs: [(arguments: [String], environment: [String: String])] = [
            (["--config", path], Self.cleared),
            (["--config", path], ["LEDGER_DATABASE_URL": "host=db.example password=PW-conninfo-5 dbname=ledger"]),
            (["--config", path], ["LEDGER_DATABASE_URL": "postgresql://db.example/ledger?user=x&password=PW-query-6"]),
            (["--config", path], ["LEDGER_DATABASE_URL": "host=db password='PW-quoted 8' dbname=ledger"]),
            (["--config", path], ["LEDGER_API_TOKEN": "TOKEN-env-7"]),
            (["--config", path, "--gateway-url", "ftp://gw:PW-gw-2@gateway.example"], [:]),
        ]
        var masked = 0
        for run in runs {
            for mode in [[], ["--json"]] {
                let result = try await LedgerExecutable.run(
                    ["config", "show"] + mode + run.arguments, environment: run.environment)
                // The SMTP URL with a user is refused after the settings are printed (no SMTP AUTH):
                // the refusal must not show the password either.
                #expect(result.status == 2, "\(result.errorOutput)")
                #expect(!result.errorOutput.isEmpty)
                for secret in Self.secrets {
                    #expect(!result.output.contains(secret), "\(secret) on stdout: \(result.output)")
                    #expect(!result.errorOutput.contains(secret), "\(secret) on stderr: \(result.errorOutput)")
                }
                masked += result.output.components(separatedBy: "********").count - 1
            }
        }
        #expect(masked >= runs.count * 2 * 4, "every secret shows as ********")
        let unmasked = try await LedgerExecutable.run(
            ["config", "show", "--json", "--database-url", "postgresql://ledger@db.example/ledger"],
            environment: Self.cleared)
        #expect(unmasked.output.contains("postgresql://ledger@db.example/ledger"), "no password: shown as given")
    }

    @Test("a refused or unreachable database never shows its password")
    func secretsInErrors() async throws {
        let unreachable = try await LedgerExecutable.run([
            "migrate", "--status", "--database-url",
            "postgresql://ledger:PW-uri-1@127.0.0.1:1/ledger?connect_timeout=2",
        ])
        #expect(unreachable.status == 2)
        #expect(!unreachable.errorOutput.contains("PW-uri-1") && !unreachable.output.contains("PW-uri-1"))
        let badConninfo = try await LedgerExecutable.run(
            ["status", "--json"],
            environment: ["LEDGER_DATABASE_URL": "host=127.0.0.1 port=1 password=PW-conninfo-5 bogus"])
        #expect(badConninfo.status == 2, "\(badConninfo.errorOutput)")
        #expect(!badConninfo.errorOutput.contains("PW-conninfo-5"), "\(badConninfo.errorOutput)")
        let wrongType = try await LedgerExecutable.run(
            ["config", "show", "--config", try Self.file(#"{"serve": {"apiToken": ["TOKEN-file-4"]}}"#)])
        #expect(wrongType.status == 2 && !wrongType.errorOutput.contains("TOKEN-file-4"), "\(wrongType.errorOutput)")
    }

    @Test("migrate uses the file's database URL with no flag and no variable")
    func migrateFromFile() async throws {
        let database = try await TestDatabase.emptyDatabase()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-config-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = try Self.file(JSONValueText.object(["database": ["url": database]]))
        let pending = try await LedgerExecutable.run(
            ["migrate", "--status", "--json", "--config", path], directory: folder.path)
        #expect(pending.status == 1, "not current yet: \(pending.errorOutput)")
        let migrated = try await LedgerExecutable.run(["migrate", "--config", path], directory: folder.path)
        #expect(migrated.status == 0, "\(migrated.errorOutput)")
        let status = try await LedgerExecutable.run(["migrate", "--status", "--json", "--database-url", database])
        #expect(status.status == 0, "the file's database was migrated: \(status.output) \(status.errorOutput)")
        #expect(
            !FileManager.default.fileExists(atPath: folder.appendingPathComponent(".ledger").path),
            "no embedded cluster")
    }

    @Test("serve takes its database, port and token from the file; LEDGER_HTTP_PORT beats the file's port")
    func serveFromFile() async throws {
        let test = try await TestDatabase.freshStore()
        for attempt in 0..<3 {
            let filePort = Int.random(in: 20_000...40_000) + attempt
            let port = Int.random(in: 40_001...60_000) + attempt
            let path = try Self.file(
                JSONValueText.object([
                    "database": ["url": test.conninfo],
                    "serve": ["httpPort": filePort, "apiToken": "file-token"],
                ]))
            var environment = ProcessInfo.processInfo.environment
            for name in ["LEDGER_DATABASE_URL", "LEDGER_API_TOKEN", "LEDGER_CONFIG", "LEDGER_HTTP_HOST"] {
                environment.removeValue(forKey: name)
            }
            environment["LEDGER_HTTP_PORT"] = String(port)
            let server = try ChildProcess.start(
                LedgerExecutable.path, ["serve", "--config", path], environment: environment)
            defer {
                server.kill(SIGKILL)
                _ = server.wait()
            }
            let up = try await eventually(within: .seconds(30)) {
                if kill(server.pid, 0) != 0 { return true }
                return await Reliability.call(port, "GET", "/health/live", timeout: 2).status == 200
            }
            guard up, kill(server.pid, 0) == 0 else { continue }  // the port was taken: another try
            #expect(await Reliability.call(port, "GET", "/health/ready", timeout: 5).status == 200)
            let refused = await Reliability.call(
                port, "POST", "/v1/commands", body: Data(Reliability.register().utf8), token: "secret")
            #expect(refused.status == 401, "the token is the file's: \(refused.body)")
            let accepted = await Reliability.call(
                port, "POST", "/v1/commands", body: Data(Reliability.register().utf8), token: "file-token")
            #expect(accepted.status == 200, "\(accepted.body)")
            return
        }
        Issue.record("ledger serve did not come up on a free port")
    }
}

/// JSON text for the tests' configuration files.
enum JSONValueText {
    static func object(_ value: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
    }
}
