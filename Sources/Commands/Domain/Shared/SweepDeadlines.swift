import Foundation

/// SweepDeadlines (COMMANDS.md, actor daemon): no fields; the handler sweeps what the clock
/// says is overdue (card attempts past their deadline, bank orders past `validUntil`).
public struct SweepDeadlines: Sendable, Hashable, Codable {
    public init() {}
}
