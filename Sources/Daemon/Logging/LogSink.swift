import Foundation
import Synchronization

/// Where log lines go: standard error, one `write(2)` per line under a lock, so lines from many
/// threads never interleave. Tests capture lines instead.
struct LogSink: Sendable {
    let write: @Sendable (String) -> Void

    static let standardError = LogSink { line in
        let bytes = Array((line + "\n").utf8)
        lock.withLock { _ in
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }  // nowhere to log to: nothing else to do
                offset += written
            }
        }
    }

    private static let lock = Mutex(())

    /// Whether standard error is a terminal.
    static var standardErrorIsTerminal: Bool { isatty(2) == 1 }

    /// Whether standard error is journald's stream (systemd sets `JOURNAL_STREAM` to its
    /// `device:inode`): then text lines start with the syslog priority (`<3>` for error), which
    /// journald strips and records, so `journalctl -p warning` works.
    static func standardErrorIsJournal(_ environment: [String: String]) -> Bool {
        guard let stream = environment["JOURNAL_STREAM"] else { return false }
        var status = stat()
        guard fstat(2, &status) == 0 else { return false }
        return stream == "\(status.st_dev):\(status.st_ino)"
    }
}
