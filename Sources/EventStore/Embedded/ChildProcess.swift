import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program to completion and captures what it printed.
///
/// Uses posix_spawn and waitpid rather than Foundation's `Process`, whose exit detection was seen
/// to hang here when the child leaves a daemon behind (`pg_ctl start`). Output goes to temporary
/// files, not pipes, for the same reason: a pipe inherited by a long-lived process never ends.
public enum ChildProcess {
    /// A finished program: its exit status (128 + signal when killed) and output.
    public struct Result: Sendable {
        public var status: Int32
        /// Standard output (with standard error when merged).
        public var output: String
        /// Standard error, when not merged into `output`.
        public var errorOutput: String
    }

    public static func run(
        _ program: String, _ arguments: [String], environment: [String: String]? = nil,
        directory: String? = nil, mergeOutput: Bool = false
    ) throws -> Result {
        try start(program, arguments, environment: environment, directory: directory, mergeOutput: mergeOutput).wait()
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
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argvStrings[0], &actions, nil, argv, envp)
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
        public func wait() -> Result {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
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
