import Commands
import EventStore
import Projections

/// What `/health/ready` decides from what it read (pure).
struct Readiness {
    var statuses: [ProjectionStatus]
    var readOnly: Bool
    var migrations: MigrationStatus
    var maximumLagSeconds: Int
    /// Chambers of registered companies with no printed name configured: their statements would
    /// store no `issuingChamberName`.
    var unnamedChambers: [String] = []

    var warnings: [String] {
        unnamedChambers.map {
            "no --chamber-name for chamber \($0): its credit statements would store no issuingChamberName"
        }
    }

    var failing: [ProjectionStatus] { statuses.filter(\.failing) }
    var lagging: [ProjectionStatus] { statuses.filter { !$0.failing && $0.lagSeconds > Double(maximumLagSeconds) } }
    var isReady: Bool { !readOnly && migrations.current && failing.isEmpty && lagging.isEmpty }

    var body: JSONValue {
        .object([
            "status": isReady ? "ready" : "notReady",
            "database": readOnly ? "readOnly" : "up",
            "migrations": .object([
                "current": .bool(migrations.current), "required": migrations.required.map(JSONValue.string) ?? .null,
                "pending": .array(migrations.pending.map(JSONValue.string)),
                "unknown": .array(migrations.unknown.map(JSONValue.string)),
                "changed": .array(migrations.changed.map(JSONValue.string)),
            ]),
            "failingProjections": .array(
                failing.map {
                    .object([
                        "projection": .string($0.projection),
                        "errorPosition": $0.errorPosition.map(JSONValue.int) ?? .null,
                        "error": $0.errorMessage.map(JSONValue.string) ?? .null,
                    ])
                }),
            "laggingProjections": .array(
                lagging.map {
                    .object([
                        "projection": .string($0.projection), "lagSeconds": .int(Int64($0.lagSeconds.rounded(.up))),
                        "lagEvents": .int($0.lagEvents),
                    ])
                }),
            "maximumLagSeconds": .int(Int64(maximumLagSeconds)),
            "warnings": .array(warnings.map(JSONValue.string)),
        ])
    }
}
