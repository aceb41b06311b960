import Foundation

/// A command of the write contract (COMMANDS.md) as a typed value: its fields encode to exactly
/// the JSON members a client would send, so a command built in process (scheduler, imports,
/// demo) is stored and fingerprinted as the same command sent as a JSON line.
public protocol LedgerCommand: Codable, Sendable {
    /// The `command` member, e.g. `RunNightlyDepositCheck`.
    static var commandName: String { get }
}

extension PublishTariff: LedgerCommand { public static var commandName: String { "PublishTariff" } }
extension RegisterCompany: LedgerCommand { public static var commandName: String { "RegisterCompany" } }
extension AdjustCoupons: LedgerCommand { public static var commandName: String { "AdjustCoupons" } }
extension SubmitApplication: LedgerCommand { public static var commandName: String { "SubmitApplication" } }
extension PutApplicationOnHold: LedgerCommand { public static var commandName: String { "PutApplicationOnHold" } }
extension ApproveApplication: LedgerCommand { public static var commandName: String { "ApproveApplication" } }
extension AddToCart: LedgerCommand { public static var commandName: String { "AddToCart" } }
extension StartCardPayment: LedgerCommand { public static var commandName: String { "StartCardPayment" } }
extension RecordGatewayResult: LedgerCommand { public static var commandName: String { "RecordGatewayResult" } }
extension PlaceCouponOrder: LedgerCommand { public static var commandName: String { "PlaceCouponOrder" } }
extension RecordBankDeposit: LedgerCommand { public static var commandName: String { "RecordBankDeposit" } }
extension LoadVirtualAccounts: LedgerCommand { public static var commandName: String { "LoadVirtualAccounts" } }
extension RunNightlyDepositCheck: LedgerCommand { public static var commandName: String { "RunNightlyDepositCheck" } }
extension IssueScheduledCoupons: LedgerCommand { public static var commandName: String { "IssueScheduledCoupons" } }
extension SweepDeadlines: LedgerCommand { public static var commandName: String { "SweepDeadlines" } }
extension PublishHolidayCalendar: LedgerCommand { public static var commandName: String { "PublishHolidayCalendar" } }
extension RecordScheduledRun: LedgerCommand { public static var commandName: String { "RecordScheduledRun" } }
extension ResolveUnresolvedMoney: LedgerCommand { public static var commandName: String { "ResolveUnresolvedMoney" } }
