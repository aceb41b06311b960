import EventStore
import Foundation
import Projections

/// Progress on a terminal (stderr): events done, rate, ETA. Silent when stderr is not a terminal.
final class ProgressMeter: Sendable {
    let label: String
    let started = ContinuousClock.now
    let enabled = isatty(STDERR_FILENO) != 0

    init(label: String) { self.label = label }

    func update(done: Int, total: Int) {
        guard enabled else { return }
        let elapsed =
            Double((ContinuousClock.now - started).components.seconds)
            + Double((ContinuousClock.now - started).components.attoseconds) / 1e18
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let line = String(format: "\r%@: %d/%d events, %.0f events/s, ETA %.0f s   ", label, done, total, rate, eta)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
