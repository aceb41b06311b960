import EventStore
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// ChildProcess starts children with clean signal state and waits for them without a thread.
@Suite("child processes")
struct ChildProcessTests {
    /// The spawning thread's mask and the process's ignored signals, as a dispatch signal source
    /// leaves them, must not reach the child: a `ledger serve` started so would ignore SIGTERM.
    @Test("a child has no signal blocked or ignored, whatever its parent thread had, and stops on SIGTERM")
    func cleanSignals() async throws {
        let previous = signal(SIGUSR2, SIG_IGN)
        defer { signal(SIGUSR2, previous) }
        let child: ChildProcess.Running = try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                var blocked = sigset_t()
                sigemptyset(&blocked)
                sigaddset(&blocked, SIGTERM)
                sigaddset(&blocked, SIGINT)
                pthread_sigmask(SIG_BLOCK, &blocked, nil)
                continuation.resume(with: Result { try ChildProcess.start("/bin/sleep", ["60"]) })
            }
        }
        let status = try String(contentsOfFile: "/proc/\(child.pid)/status", encoding: .utf8)
        let fields = Dictionary(
            status.split(separator: "\n").compactMap { line -> (String, String)? in
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2 else { return nil }
                return (String(parts[0]), parts[1].trimmingCharacters(in: .whitespaces))
            }, uniquingKeysWith: { first, _ in first })
        // Bit n - 1 of the masks is signal n (proc(5)); glibc's own real-time signals may stay.
        func has(_ mask: String?, _ signal: Int32) -> Bool {
            (UInt64(mask ?? "", radix: 16) ?? .max) >> (signal - 1) & 1 == 1
        }
        for signal in [SIGTERM, SIGINT, SIGUSR2] {
            #expect(!has(fields["SigBlk"], signal), "signal \(signal) blocked in the child: \(fields["SigBlk"] ?? "?")")
            #expect(!has(fields["SigIgn"], signal), "signal \(signal) ignored in the child: \(fields["SigIgn"] ?? "?")")
        }
        child.kill(SIGTERM)
        let result = await child.wait(within: .seconds(20))
        #expect(!result.timedOut, "SIGTERM stopped the child")
        #expect(result.status == 128 + SIGTERM)
    }

    @Test("wait(within:) kills a child that outlives the limit and says so")
    func boundedWait() async throws {
        let clock = ContinuousClock()
        let begun = clock.now
        let result = try await ChildProcess.start("/bin/sleep", ["60"]).wait(within: .milliseconds(300))
        #expect(result.timedOut)
        #expect(result.status == 128 + SIGKILL)
        #expect(clock.now - begun < .seconds(30))
        let quick = try await ChildProcess.run(
            "/bin/sh", ["-c", "echo out; echo err >&2; exit 3"], within: .seconds(30))
        #expect(!quick.timedOut)
        #expect(quick.status == 3)
        #expect(quick.output == "out\n")
        #expect(quick.errorOutput == "err\n")
    }
}
