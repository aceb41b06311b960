import Commands

extension CouponOrderState {
    /// The order's state after `event`, by the domain's own fold, from the state a read-model row
    /// stored (the projections keep only the state name, not the whole order).
    static func after(_ event: CouponOrderEvent, stored: JSONValue?) -> CouponOrderState {
        var state = CouponOrderState()
        state.status = stored?.text.flatMap(Status.init(rawValue:))
        return evolve(state, event)
    }

    /// The state name as the read models write it (lowerCamel, DOMAIN.md §5.3).
    var storedStatus: JSONValue? { status.map { .string($0.rawValue) } }
}
