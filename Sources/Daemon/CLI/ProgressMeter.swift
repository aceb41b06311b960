import EventStore
import Foundation
import Projections

/// Progress on a terminal (stderr): items done, rate, ETA. Silent when stderr is not a terminal,
/// so logs, pipes and tests see nothing of it.
final class ProgressMeter: Sendable {
    let label: String
    let unit: String
    let started = ContinuousClock.now
    let enabled = isatty(STDERR_FILENO) != 0

    init(label: String, unit: String = "events") {
        self.label = label
        self.unit = unit
    }

    func update(done: Int, total: Int) {
        guard enabled else { return }
        let elapsed =
            Double((ContinuousClock.now - started).components.seconds)
            + Double((ContinuousClock.now - started).components.attoseconds) / 1e18
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(max(0, total - done)) / rate : 0
        let line =
            "\r\(label): \(done)/\(total) \(unit), "
            + String(format: "%.0f/s, ETA %.0f s   ", rate, eta)
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Clears the progress line (before printing something else on the terminal).
    func clear() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
