import Commands
import EventStore
import Foundation
import Logging
import ServiceLifecycle

/// The daemon's clockwork: every minute the deadline sweep (`GatewaySweep`: the gateway is asked,
/// then `SweepDeadlines`); after 23:00 JST the nightly
/// `RunNightlyDepositCheck` for that date; on business days `IssueScheduledCoupons` for the date.
/// The daily commands carry a command id derived from their date, so running them again (another
/// daemon, a restart) answers `exists` and changes nothing.
struct SchedulerService: Service {
    let handler: CommandHandler
    let calendar: BusinessCalendar
    let logger: Logger
    /// The deadline sweep, with the gateway it asks (docs/gateway.md).
    let sweep: GatewaySweep
    var interval: Duration = .seconds(60)

    static let daemon = CommandActor(kind: .daemon, id: "ledger-serve")

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await tick(now: handler.clock())
                try? await Task.sleep(for: interval)
            }
        }
    }

    func tick(now: Date) async {
        let today = JSTDate(instant: now)
        await sweepDeadlines(now: now)
        let jstHour = (Int(now.timeIntervalSince1970) + JSTDate.utcOffsetSeconds) / 3600 % 24
        if jstHour >= 23 {
            await send(RunNightlyDepositCheck(businessDate: today), id: Self.dailyId("nightly", today))
        }
        if calendar.isBusinessDay(today) {
            await send(IssueScheduledCoupons(date: today), id: Self.dailyId("issue", today))
        }
    }

    func send<C: LedgerCommand>(_ command: C, id: UUID) async {
        let outcome = await handler.execute(command, id: id, actor: Self.daemon)
        if outcome.status == .ok && !outcome.events.isEmpty {
            logger.info(
                "scheduled command appended events",
                metadata: ["command": "\(C.commandName)", "events": "\(outcome.events.count)"])
        } else if outcome.status == .rejected || outcome.status == .error {
            logger.error(
                "scheduled command failed", metadata: ["command": "\(C.commandName)", "result": "\(outcome.jsonLine)"])
        }
    }

    /// The command id of a daily command: derived from its name and date, so every run for that
    /// date (another daemon, a restart) sends the same id.
    static func dailyId(_ name: String, _ date: JSTDate) -> UUID {
        UUID.derived(from: "ledger-\(name)-\(date.stringValue)")
    }
}
