import Commands
import Crypto
import EventStore
import Foundation
import Logging
import ServiceLifecycle

/// The daemon's clockwork: every minute it sends `SweepDeadlines`; after 23:00 JST the nightly
/// `RunNightlyDepositCheck` for that date; on business days `IssueScheduledCoupons` for the date.
/// The daily commands carry a command id derived from their date, so running them again (another
/// daemon, a restart) answers `exists` and changes nothing.
struct SchedulerService: Service {
    let handler: CommandHandler
    let calendar: BusinessCalendar
    let logger: Logger
    var interval: Duration = .seconds(60)

    static let daemon = #"{"kind":"daemon","id":"ledger-serve"}"#

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
        await send("SweepDeadlines", id: UUID(), fields: "")
        let jstHour = (Int(now.timeIntervalSince1970) + JSTDate.utcOffsetSeconds) / 3600 % 24
        if jstHour >= 23 {
            await send(
                "RunNightlyDepositCheck", id: Self.dailyId("nightly", today),
                fields: #","businessDate":"\#(today.stringValue)""#)
        }
        if calendar.isBusinessDay(today) {
            await send(
                "IssueScheduledCoupons", id: Self.dailyId("issue", today), fields: #","date":"\#(today.stringValue)""#)
        }
    }

    func send(_ command: String, id: UUID, fields: String) async {
        let line =
            #"{"command":"\#(command)","commandId":"\#(id.uuidString.lowercased())","actor":\#(Self.daemon)\#(fields)}"#
        let outcome = await handler.execute(line: Data(line.utf8))
        if outcome.status == .ok && !outcome.events.isEmpty {
            logger.info(
                "scheduled command appended events",
                metadata: ["command": "\(command)", "events": "\(outcome.events.count)"])
        } else if outcome.status == .rejected || outcome.status == .error {
            logger.error(
                "scheduled command failed", metadata: ["command": "\(command)", "result": "\(outcome.jsonLine)"])
        }
    }

    /// A UUID derived from a name and a date (SHA-256, version-4 layout).
    static func dailyId(_ name: String, _ date: JSTDate) -> UUID {
        var bytes = Array(SHA256.hash(data: Data("ledger-\(name)-\(date.stringValue)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}
