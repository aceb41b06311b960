import Foundation

/// The stream categories of the ledger (DOMAIN.md §6): a stream's name is `category-id`. Every
/// category is spelled here only; `StreamID` builds each aggregate's stream.
public enum StreamCategory: String, Sendable, Hashable, CaseIterable {
    case company, application, cart, payment, couponOrder, accountPool, bankAccount, deposit, tariff
    /// The shared business calendar (published holidays).
    case calendar
    /// The scheduler's bookkeeping: the last period each scheduled job completed.
    case schedule
    /// The suspense account: one stream per item of outside money that fit nowhere (issue #13).
    case unresolved
    /// Number sequences (settlement, order and issue numbers).
    case sequence
}
