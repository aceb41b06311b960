import Foundation

/// ChangeMembership (COMMANDS.md).
public struct ChangeMembership: Sendable, Hashable, Decodable {
    public var tradeRegNo: TradeRegNo
    public var membership: Membership
    public var effectiveFrom: JSTDate

    public func decide(_ state: CompanyState, staff: StaffId) throws(Rejection) -> [CompanyEvent] {
        try state.requireRegistered(tradeRegNo)
        return [
            .membershipChanged(MembershipChanged(membership: membership, effectiveFrom: effectiveFrom, staffId: staff))
        ]
    }
}
