import Foundation

/// Timestamps as the contract prints them: RFC 3339 with the JST offset, e.g.
/// "2025-03-17T10:05:00+09:00" (DOMAIN.md §0, COMMANDS.md results). Fractional seconds are
/// printed (6 digits) only when the instant has them.
public enum JSTTimestamp {
    public static func rfc3339(_ instant: Date) -> String {
        let interval = instant.timeIntervalSince1970
        let floor = interval.rounded(.down)
        var seconds = Int64(floor)
        var micros = Int64(((interval - floor) * 1_000_000).rounded())
        if micros >= 1_000_000 {
            seconds += 1
            micros -= 1_000_000
        }
        let date = JSTDate(epochSeconds: seconds)
        let local = seconds + Int64(JSTDate.utcOffsetSeconds)
        let secondOfDay = Int(((local % 86_400) + 86_400) % 86_400)
        var text =
            date.stringValue + "T" + ASCIIDigits.padded(secondOfDay / 3600, width: 2) + ":"
            + ASCIIDigits.padded(secondOfDay % 3600 / 60, width: 2) + ":"
            + ASCIIDigits.padded(secondOfDay % 60, width: 2)
        if micros > 0 { text += "." + ASCIIDigits.padded(Int(micros), width: 6) }
        return text + "+09:00"
    }
}
