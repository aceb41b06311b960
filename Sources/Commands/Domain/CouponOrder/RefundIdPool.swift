import Foundation

/// The refund ids the ledger allocated for one command, taken in order.
struct RefundIdPool {
    private let ids: [UUID]
    private var next = 0

    init(_ ids: [UUID]) { self.ids = ids }

    mutating func take() throws(Rejection) -> UUID {
        guard next < ids.count else {
            throw .invalid("refundIds", "the ledger must allocate one refund id per deposit (given \(ids.count))")
        }
        defer { next += 1 }
        return ids[next]
    }
}
