import Foundation

// How the bank's facts are kept: as events, so that taking an account for an order and
// recording a deposit are part of the same atomic appends as everything else.
// - `accountPool-virtual`: the virtual accounts the bank issued (LoadVirtualAccounts) and each one
//   taken by an order; appending at the loaded version makes two orders never share an account (I14).
// - `deposit-<depositId>`: one stream per deposit id, created with `noStream`, so a deposit id is
//   recorded once in the whole store (I20).
// - `bankAccount-<bank>_<branch>_<number>`: the deposits into one account, which the deposit
//   checks of that account's order read (the bank feed, R49, R50).

/// Accounts added to the pool.
public struct VirtualAccountsLoaded: DomainEvent {
    public static let eventType = "VirtualAccountsLoaded"
    public var accounts: [VirtualAccount]

    public init(accounts: [VirtualAccount]) { self.accounts = accounts }
}

/// An account taken by an order (its `VirtualAccountAssigned` is on the order's stream).
public struct VirtualAccountTaken: DomainEvent {
    public static let eventType = "VirtualAccountTaken"
    public var account: VirtualAccountKey
    public var orderNo: OrderNo

    public init(account: VirtualAccountKey, orderNo: OrderNo) {
        self.account = account
        self.orderNo = orderNo
    }
}

/// A deposit entered the bank feed.
public struct BankDepositRecorded: DomainEvent {
    public static let eventType = "BankDepositRecorded"
    public var deposit: BankDeposit

    public init(deposit: BankDeposit) { self.deposit = deposit }
}

/// The events of the account pool stream.
public enum AccountPoolEvent: StreamEventSet, Hashable {
    case loaded(VirtualAccountsLoaded)
    case taken(VirtualAccountTaken)

    public static let eventTable = EventTable<Self>([
        EventCase(VirtualAccountsLoaded.self, Self.loaded),
        EventCase(VirtualAccountTaken.self, Self.taken),
    ])
}

/// The events of a deposit or bank-account stream.
public enum BankFeedEvent: StreamEventSet, Hashable {
    case recorded(BankDepositRecorded)

    public static let eventTable = EventTable<Self>([
        EventCase(BankDepositRecorded.self, Self.recorded)
    ])
}
