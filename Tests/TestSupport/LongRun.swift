import Foundation

/// The switch between the quick reliability variants (run by `swift test` and `.ci/run`) and the
/// long ones: `LEDGER_RELIABILITY_LONG=1 swift test --filter …` (the filter is in docs/reliability.md).
public enum LongRun {
    /// Whether the long variants were asked for.
    public static var enabled: Bool { ProcessInfo.processInfo.environment["LEDGER_RELIABILITY_LONG"] == "1" }

    /// `quick` normally, `long` in the long variant.
    public static func scale<T>(_ quick: T, long: T) -> T { enabled ? long : quick }
}
