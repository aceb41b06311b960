import Foundation

/// The pool: accounts in the order loaded, and those taken.
public struct AccountPoolState: Sendable, Hashable {
    public var accounts: [VirtualAccount] = []
    public var taken: Set<VirtualAccountKey> = []

    public init() {}

    /// The next account no order has had, oldest loaded first.
    public var nextFree: VirtualAccount? { accounts.first { !taken.contains($0.key) } }

    /// Accounts in the pool with the same key as one of `keys`.
    public func existing(_ keys: Set<VirtualAccountKey>) -> [VirtualAccount] {
        accounts.filter { keys.contains($0.key) }
    }

    public static func evolve(_ state: AccountPoolState, _ event: AccountPoolEvent) -> AccountPoolState {
        var state = state
        switch event {
        case .loaded(let e): state.accounts += e.accounts
        case .taken(let e): state.taken.insert(e.account)
        }
        return state
    }
}
