import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A private PostgreSQL cluster in a folder of its own (by default `./.ledger/`), reached over a
/// unix socket only: what `ledger` uses when no database URL is configured, and what the tests use
/// when no test server is given.
///
/// The server binaries are found with `pg_config --bindir`, on `PATH`, or under
/// `/usr/lib/postgresql/*/bin` (newest first). PostgreSQL refuses to run as root, so as root the
/// cluster belongs to, and runs as, the `postgres` user (`runuser`).
public struct EmbeddedServer: Sendable {
    /// Why the embedded server could not be used; each says what to do.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case noServerBinaries(searched: [String])
        case noPostgresUser
        case folderNotReachable(path: String, user: String)
        case commandFailed(command: String, status: Int32, output: String)
        case socketPathTooLong(String)

        public var description: String {
            switch self {
            case .noServerBinaries(let searched):
                "no PostgreSQL server binaries (initdb, pg_ctl, postgres) found in \(searched.joined(separator: ", ")): "
                    + "install them (Debian/Ubuntu: apt-get install postgresql) or set LEDGER_DATABASE_URL "
                    + "to an existing server"
            case .noPostgresUser:
                "running as root, and PostgreSQL refuses to run as root, but there is no 'postgres' user: "
                    + "create one (useradd --system postgres), run as another user, or set LEDGER_DATABASE_URL"
            case .folderNotReachable(let path, let user):
                "the user '\(user)' that runs the embedded server cannot write \(path): run from a folder it can "
                    + "reach (e.g. under /tmp or /srv), make the parent folders traversable, or set LEDGER_DATABASE_URL"
            case .commandFailed(let command, let status, let output):
                "\(command) failed (exit \(status)): \(output.suffix(2000))"
            case .socketPathTooLong(let path):
                "the socket path \(path) is too long for a unix socket; run from a shorter path or set LEDGER_DATABASE_URL"
            }
        }
    }

    /// A running cluster, and whether this process started it (and so should stop it).
    public struct Running: Sendable {
        public var server: EmbeddedServer
        public var socketDirectory: String
        public var superuser: String
        public var startedHere: Bool

        /// A keyword/value libpq connection string for `database` on this cluster.
        public func conninfo(database: String) -> String {
            ConnectionString.keywordValue([
                ("host", socketDirectory), ("port", String(server.port)), ("user", superuser),
                ("dbname", database),
            ])
        }

        /// Stops the server (fast shutdown) if this process started it.
        public func stopIfStartedHere() {
            guard startedHere else { return }
            server.stop()
        }
    }

    /// The cluster's folder (`data/`, `run/`, `server.log` inside).
    public var root: URL
    /// Extra `-c name=value` server settings (tests turn fsync off; benchmarks must not).
    public var settings: [String: String]
    /// The port number, which with a unix socket only names the socket file.
    public var port: Int

    public init(root: URL, settings: [String: String] = [:], port: Int = 5432) {
        self.root = root.standardizedFileURL
        self.settings = settings
        self.port = port
    }

    var dataDirectory: String { root.appendingPathComponent("data").path }
    var logFile: String { root.appendingPathComponent("server.log").path }

    var socketDirectory: String {
        let inside = root.appendingPathComponent("run").path
        if inside.utf8.count + 20 < 100 { return inside }
        // Unix socket paths are limited to ~107 bytes: fall back to a short folder named after ours.
        var hash: UInt64 = 1_469_598_103_934_665_603
        for byte in root.path.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        return "/tmp/ledger-" + String(hash, radix: 36)
    }

    /// Starts the cluster if it is not running, creating it on first use, and makes sure
    /// `database` exists. Returns how to reach it.
    public func start(database: String) throws -> Running {
        let binaries = try Self.findBinaries()
        let runAs = try Self.serverUser()
        let fileManager = FileManager.default
        let socket = socketDirectory
        guard socket.utf8.count + 20 < 107 else { throw Failure.socketPathTooLong(socket) }
        try fileManager.createDirectory(atPath: root.path, withIntermediateDirectories: true)
        try fileManager.createDirectory(atPath: socket, withIntermediateDirectories: true)
        if let runAs {
            _ = try run("/bin/chown", ["-R", runAs, root.path, socket])
            let probe = try run("/usr/sbin/runuser", ["-u", runAs, "--", "test", "-w", root.path], check: false)
            guard probe.status == 0 else { throw Failure.folderNotReachable(path: root.path, user: runAs) }
        }
        let superuser = runAs ?? Self.currentUserName()
        if !fileManager.fileExists(atPath: dataDirectory + "/PG_VERSION") {
            _ = try server(
                runAs, binaries + "/initdb",
                [
                    "-D", dataDirectory, "-U", superuser, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync",
                ])
        }
        var startedHere = false
        let status = try server(runAs, binaries + "/pg_ctl", ["-D", dataDirectory, "status"], check: false)
        if status.status != 0 {
            var options = "-c listen_addresses='' -k '\(socket)' -p \(port)"
            for (name, value) in settings.sorted(by: { $0.key < $1.key }) { options += " -c \(name)=\(value)" }
            _ = try server(
                runAs, binaries + "/pg_ctl",
                [
                    "-D", dataDirectory, "-l", logFile, "-w", "-t", "60", "-o", options, "start",
                ])
            startedHere = true
        }
        let running = Running(server: self, socketDirectory: socket, superuser: superuser, startedHere: startedHere)
        try Self.ensureDatabase(database, running: running, binaries: binaries, runAs: runAs)
        return running
    }

    /// Stops the cluster (fast shutdown: open sessions are ended, nothing committed is lost).
    public func stop() {
        guard let binaries = try? Self.findBinaries() else { return }
        let runAs = try? Self.serverUser()
        _ = try? server(
            runAs ?? nil, binaries + "/pg_ctl", ["-D", dataDirectory, "-m", "fast", "-w", "stop"],
            check: false)
    }

    /// Restarts the cluster (`pg_ctl restart -m fast`): sessions are ended, nothing committed is
    /// lost, and the server comes back with the options it was started with.
    public func restart() throws {
        let binaries = try Self.findBinaries()
        _ = try server(
            try Self.serverUser(), binaries + "/pg_ctl",
            [
                "-D", dataDirectory, "-l", logFile, "-m", "fast", "-w", "-t", "60", "restart",
            ])
    }

    private static func ensureDatabase(_ database: String, running: Running, binaries: String, runAs: String?) throws {
        let check = try running.server.server(
            runAs, binaries + "/psql",
            [
                "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", running.conninfo(database: "postgres"),
                "-c",
                "SELECT 1 FROM pg_database WHERE datname = '\(database.replacingOccurrences(of: "'", with: "''"))'",
            ])
        if check.output.trimmingCharacters(in: .whitespacesAndNewlines) == "1" { return }
        let created = try running.server.server(
            runAs, binaries + "/createdb",
            [
                "-h", running.socketDirectory, "-p", String(running.server.port), "-U", running.superuser, database,
            ], check: false)
        // Another process may have created it at the same moment; that is fine.
        if created.status != 0 && !created.output.contains("already exists") {
            throw Failure.commandFailed(command: "createdb \(database)", status: created.status, output: created.output)
        }
    }

    // MARK: Finding binaries and users

    /// The folder holding initdb, pg_ctl and postgres.
    public static func findBinaries() throws -> String {
        var candidates: [String] = []
        if let bindir = try? run("/bin/sh", ["-c", "pg_config --bindir 2>/dev/null"], check: false),
            bindir.status == 0
        {
            candidates.append(bindir.output.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        candidates += path.split(separator: ":").map(String.init)
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        candidates += versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin" }
        for directory in candidates
        where ["initdb", "pg_ctl", "postgres", "psql", "createdb"].allSatisfy({
            FileManager.default.isExecutableFile(atPath: directory + "/" + $0)
        }) {
            return directory
        }
        throw Failure.noServerBinaries(searched: ["pg_config --bindir", "PATH", "/usr/lib/postgresql/*/bin"])
    }

    /// The user the server must run as: nil for the current user, `postgres` when we are root.
    static func serverUser() throws -> String? {
        guard geteuid() == 0 else { return nil }
        guard getpwnam("postgres") != nil else { throw Failure.noPostgresUser }
        return "postgres"
    }

    static func currentUserName() -> String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "postgres"
    }

    // MARK: Running programs

    func server(_ runAs: String?, _ program: String, _ arguments: [String], check: Bool = true) throws
        -> (status: Int32, output: String)
    {
        if let runAs {
            return try Self.run("/usr/sbin/runuser", ["-u", runAs, "--", program] + arguments, check: check)
        }
        return try Self.run(program, arguments, check: check)
    }

    func run(_ program: String, _ arguments: [String], check: Bool = true) throws -> (status: Int32, output: String) {
        try Self.run(program, arguments, check: check)
    }

    /// Runs a program to completion, capturing stdout and stderr together.
    static func run(_ program: String, _ arguments: [String], check: Bool = true) throws
        -> (status: Int32, output: String)
    {
        let result = try ChildProcess.run(program, arguments, mergeOutput: true)
        if check && result.status != 0 {
            let name = URL(fileURLWithPath: arguments.first { $0.hasPrefix("/") } ?? program).lastPathComponent
            throw Failure.commandFailed(command: name, status: result.status, output: result.output)
        }
        return (result.status, result.output)
    }
}
