import Foundation

/// The stream of one aggregate: its category and id (`category-id` once stored), built by one
/// function per aggregate so that the catalog, the projections and the audit agree.
public struct StreamID: Sendable, Hashable {
    public var category: StreamCategory
    public var id: String

    public init(_ category: StreamCategory, id: String) {
        self.category = category
        self.id = id
    }

    /// `company-<tradeRegNo>`.
    public static func company(_ tradeRegNo: TradeRegNo) -> StreamID { StreamID(.company, id: tradeRegNo.stringValue) }
    /// `application-<receptionNo>`.
    public static func application(_ receptionNo: ReceptionNo) -> StreamID {
        StreamID(.application, id: receptionNo.stringValue)
    }
    /// `cart-<userId>`.
    public static func cart(_ user: UserId) -> StreamID { StreamID(.cart, id: user.stringValue) }
    /// `payment-<settlementNo>`.
    public static func payment(_ settlementNo: SettlementNo) -> StreamID {
        StreamID(.payment, id: settlementNo.stringValue)
    }
    /// `couponOrder-<orderNo>`.
    public static func couponOrder(_ orderNo: OrderNo) -> StreamID { StreamID(.couponOrder, id: orderNo.stringValue) }
    /// `accountPool-virtual`: the bank's virtual accounts.
    public static let accountPool = StreamID(.accountPool, id: "virtual")
    /// `bankAccount-<bank>_<branch>_<number>`: the deposits into one account.
    public static func bankAccount(_ key: VirtualAccountKey) -> StreamID {
        StreamID(
            .bankAccount,
            id: bankAccountID(
                bankCode: "\(key.bankCode)", branchCode: "\(key.branchCode)",
                accountNumber: "\(key.accountNumber)"))
    }
    /// The id part of a `bankAccount` stream from its three codes (also what SQL over stored
    /// payloads rebuilds: the separator is `bankAccountSeparator`).
    public static func bankAccountID(bankCode: String, branchCode: String, accountNumber: String) -> String {
        [bankCode, branchCode, accountNumber].joined(separator: bankAccountSeparator)
    }
    public static let bankAccountSeparator = "_"
    /// `deposit-<depositId>`: one stream per deposit id (I20).
    public static func deposit(_ id: DepositId) -> StreamID { StreamID(.deposit, id: id.stringValue) }
    /// `unresolved-<itemId>`: one suspense item.
    public static func unresolved(_ itemId: UUID) -> StreamID {
        StreamID(.unresolved, id: itemId.uuidString.lowercased())
    }
    /// `tariff-<chamberId>`.
    public static func tariff(_ chamberId: ChamberId) -> StreamID { StreamID(.tariff, id: chamberId.stringValue) }
    /// `calendar-japan`: the business calendar every process decides with.
    public static let holidayCalendar = StreamID(.calendar, id: "japan")
    /// `schedule-<job>`: the periods one scheduled job completed.
    public static func schedule(_ job: ScheduledJob) -> StreamID { StreamID(.schedule, id: job.rawValue) }
    /// `sequence-<kind>_<scope>`.
    public static func sequence(_ kind: String, scope: String) -> StreamID {
        StreamID(.sequence, id: "\(kind)_\(scope)")
    }
}
