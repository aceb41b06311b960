import Foundation

/// A chamber's tariffs, effective-dated (R10: prices are data).
public struct TariffState: Sendable, Hashable {
    public var tariffs: [TariffPublished] = []

    public init() {}

    /// The tariff in force on `date`: the latest published with `effectiveFrom ≤ date`.
    public func inForce(on date: JSTDate) -> TariffPublished? {
        tariffs.filter { $0.effectiveFrom <= date }.max { $0.effectiveFrom < $1.effectiveFrom }
    }

    public static func evolve(_ state: TariffState, _ event: TariffEvent) -> TariffState {
        var state = state
        switch event {
        case .published(let tariff): state.tariffs.append(tariff)
        }
        return state
    }
}
