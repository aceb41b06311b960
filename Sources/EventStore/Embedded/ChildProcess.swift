import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program to completion and captures what it printed.
///
/// Uses posix_spawn and waitpid rather than Foundation's `Process`, whose exit detection was seen
/// to hang here when the child leaves a daemon behind (`pg_ctl start`). Output goes to temporary
/// files, not pipes, for the same reason: a pipe inherited by a long-lived process never ends.
///
/// The child starts with no signal blocked and every catchable signal at its default action,
/// whatever the spawning thread had: a thread that created a dispatch signal source (ServiceLifecycle
/// does) blocks or ignores SIGTERM and SIGINT, and a child spawned from it would otherwise ignore
/// the signals that should stop it.
public enum ChildProcess {
    /// A finished program: its exit status (128 + signal when killed) and output.
    public struct Result: Sendable {
        public var status: Int32
        /// Standard output (with standard error when merged).
        public var output: String
        /// Standard error, when not merged into `output`.
        public var errorOutput: String
        /// True when `wait(within:)` gave up and killed the child.
        public var timedOut = false
    }

    public static func run(
        _ program: String, _ arguments: [String], environment: [String: String]? = nil,
        directory: String? = nil, mergeOutput: Bool = false
    ) throws -> Result {
        try start(program, arguments, environment: environment, directory: directory, mergeOutput: mergeOutput).wait()
    }

    /// Runs a program to completion without holding a thread while it runs (`Running.wait(within:)`):
    /// after `limit` it is killed and the result has `timedOut` set.
    public static func run(
        _ program: String, _ arguments: [String], environment: [String: String]? = nil,
        directory: String? = nil, mergeOutput: Bool = false, within limit: Duration
    ) async throws -> Result {
        try await start(program, arguments, environment: environment, directory: directory, mergeOutput: mergeOutput)
            .wait(within: limit)
    }

    /// Starts a program without waiting for it.
    public static func start(
        _ program: String, _ arguments: [String], environment: [String: String]? = nil,
        directory: String? = nil, mergeOutput: Bool = false
    ) throws -> Running {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-run-\(UUID().uuidString)").path
        let outputPath = base + ".out"
        let errorPath = base + ".err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if mergeOutput {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        }
        // A working directory, where asked, goes through /bin/sh: posix_spawn has no portable chdir.
        var argvStrings = [program] + arguments
        if let directory {
            argvStrings = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory] + argvStrings
        }
        let argv: [UnsafeMutablePointer<CChar>?] = argvStrings.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let envStrings = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let envp: [UnsafeMutablePointer<CChar>?] = envStrings.map { strdup($0) } + [nil]
        defer { for pointer in envp { free(pointer) } }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argvStrings[0], &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            throw EmbeddedServer.Failure.commandFailed(
                command: program, status: -1, output: String(cString: strerror(spawned)))
        }
        return Running(pid: pid, outputPath: outputPath, errorPath: errorPath)
    }

    /// A started child: its pid, and how to wait for it (and read what it printed).
    public struct Running: Sendable {
        public let pid: Int32
        let outputPath: String
        let errorPath: String

        /// Sends `signal` (e.g. SIGKILL, SIGTERM).
        public func kill(_ signal: Int32) { _ = Glibc.kill(pid, signal) }

        /// Waits for the exit and returns the status and output; removes the output files.
        ///
        /// Blocks the calling thread: from async code use `wait(within:)`.
        public func wait() -> Result {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            return collect(status)
        }

        /// Waits for the exit without holding a thread (polls `waitpid` with `WNOHANG`); after
        /// `limit` kills the child with SIGKILL and returns its result with `timedOut` set.
        public func wait(within limit: Duration) async -> Result {
            let deadline = ContinuousClock.now + limit
            var pause = Duration.milliseconds(1)
            while true {
                var status: Int32 = 0
                let reaped = waitpid(pid, &status, WNOHANG)
                if reaped == pid || (reaped < 0 && errno == ECHILD) { return collect(status) }
                // A cancelled caller will not wait: the child is killed and reaped at once.
                if ContinuousClock.now >= deadline || Task.isCancelled {
                    kill(SIGKILL)
                    var result = wait()
                    result.timedOut = true
                    return result
                }
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .milliseconds(50))
            }
        }

        private func collect(_ status: Int32) -> Result {
            let exitStatus: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            defer {
                unlink(outputPath)
                unlink(errorPath)
            }
            return Result(
                status: exitStatus,
                output: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
                errorOutput: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "")
        }
    }
}
