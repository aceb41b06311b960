import Foundation

/// The deposits of one stream (one deposit id, or one account).
public struct BankFeedState: Sendable, Hashable {
    public var deposits: [BankDeposit] = []

    public init() {}

    public static func evolve(_ state: BankFeedState, _ event: BankFeedEvent) -> BankFeedState {
        var state = state
        switch event {
        case .recorded(let e): state.deposits.append(e.deposit)
        }
        return state
    }
}
