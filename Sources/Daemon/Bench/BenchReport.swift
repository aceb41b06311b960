import Commands
import EventStore
import Foundation
import Projections

/// The measured figures.
struct BenchReport {
    struct Append {
        var clients: Int
        var eventsPerSecond: Double
        var rawEventsPerSecond: Double
        var p50Milliseconds: Double
        var p99Milliseconds: Double
        var ratio: Double { rawEventsPerSecond > 0 ? eventsPerSecond / rawEventsPerSecond : 0 }
    }
    struct Commands {
        var perSecond: Double
        var p99Milliseconds: Double
        var notAccepted = 0
    }
    struct Contention {
        var acceptedPerSecond: Double
        var lost: Int
        var conflictsRetried = 0
        var clients = 16
    }
    struct Catchup {
        var events: Int
        var eventsPerSecond: Double
        var plainReadEventsPerSecond: Double
        var ratio: Double { plainReadEventsPerSecond > 0 ? eventsPerSecond / plainReadEventsPerSecond : 0 }
        /// Each projection's rebuild alone (`eventsPerSecond` is coupon_balance's), and all of them at once.
        struct Projection {
            var name: String
            var events: Int
            var eventsPerSecond: Double
        }
        var byProjection: [Projection] = []
        var allProjectionsEventsPerSecond: Double = 0
    }
    struct Verify {
        var eventsPerSecond: Double
        var sha256EventsPerSecond: Double
    }

    var machine: JSONValue
    var append: [Append] = []
    var commands = Commands(perSecond: 0, p99Milliseconds: 0)
    var contention = Contention(acceptedPerSecond: 0, lost: 0)
    var catchup = Catchup(events: 0, eventsPerSecond: 0, plainReadEventsPerSecond: 0)
    var verify = Verify(eventsPerSecond: 0, sha256EventsPerSecond: 0)
    var latency: LatencyWorkload.Result?
    var workerRSSMegabytes: Double?

    /// How this binary was compiled: figures from a debug build mean little.
    static var buildKind: String {
        #if DEBUG
            "debug"
        #else
            "release"
        #endif
    }

    static func machine(_ connection: PGConnection) async throws -> JSONValue {
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.split(separator: "\n")
            .first { $0.hasPrefix("model name") }.map {
                String($0.split(separator: ":").last ?? "").trimmingCharacters(in: .whitespaces)
            }
        func setting(_ name: String) async throws -> String {
            try await connection.query("SELECT current_setting($1)", [name]).singleRow().decode(String.self, 0)
        }
        return .object([
            "cores": .int(Int64(ProcessInfo.processInfo.activeProcessorCount)), "cpu": .string(cpu ?? "unknown"),
            "postgres": .string(try await setting("server_version")), "fsync": .string(try await setting("fsync")),
            "synchronous_commit": .string(try await setting("synchronous_commit")),
            "full_page_writes": .string(try await setting("full_page_writes")),
            "wal_sync_method": .string(try await setting("wal_sync_method")),
            "build": .string(buildKind),
        ])
    }

    var json: BenchJSON {
        // Rates are whole numbers per second; ratios, milliseconds and MiB keep three decimals.
        func number(_ value: Double) -> BenchJSON { value.isFinite ? .int(Int64(value.rounded())) : .null }
        func ratio(_ value: Double) -> BenchJSON { .number(value, decimals: 3) }
        let sixteen = append.last
        return .object([
            "machine": .value(machine),
            "append": .object([
                "events_per_s": number(sixteen?.eventsPerSecond ?? 0),
                "raw_events_per_s": number(sixteen?.rawEventsPerSecond ?? 0),
                "ratio": ratio(sixteen?.ratio ?? 0),
                "by_clients": .array(
                    append.map {
                        .object([
                            "clients": .int(Int64($0.clients)), "events_per_s": number($0.eventsPerSecond),
                            "raw_events_per_s": number($0.rawEventsPerSecond), "ratio": ratio($0.ratio),
                            "p50_ms": ratio($0.p50Milliseconds), "p99_ms": ratio($0.p99Milliseconds),
                        ])
                    }),
            ]),
            "commands": .object([
                "per_s": number(commands.perSecond), "p99_ms": ratio(commands.p99Milliseconds),
                "not_accepted": .int(Int64(commands.notAccepted)),
                "ratio_to_append": sixteen.map { ratio(commands.perSecond / max(1, $0.eventsPerSecond)) } ?? .null,
            ]),
            "contention": .object([
                "accepted_per_s": number(contention.acceptedPerSecond), "lost": .int(Int64(contention.lost)),
                "conflicts_retried": .int(Int64(contention.conflictsRetried)),
            ]),
            "catchup": .object([
                "events": .int(Int64(catchup.events)), "events_per_s": number(catchup.eventsPerSecond),
                "plain_read_events_per_s": number(catchup.plainReadEventsPerSecond),
                "ratio": ratio(catchup.ratio),
                "by_projection": .array(
                    catchup.byProjection.map {
                        .object([
                            "projection": .string($0.name), "events": .int(Int64($0.events)),
                            "events_per_s": number($0.eventsPerSecond),
                            "ratio": ratio($0.eventsPerSecond / max(1, catchup.plainReadEventsPerSecond)),
                        ])
                    }),
                "all_projections_events_per_s": number(catchup.allProjectionsEventsPerSecond),
            ]),
            "verify": .object([
                "events_per_s": number(verify.eventsPerSecond),
                "sha256_events_per_s": number(verify.sha256EventsPerSecond),
            ]),
            "latency": latency.map { latency in
                .object([
                    "target_per_s": .int(Int64(latency.targetPerSecond)),
                    "achieved_per_s": number(latency.achievedPerSecond),
                    "completed": .int(Int64(latency.completed)), "failed": .int(Int64(latency.failed)),
                    "p50_ms": ratio(latency.p50), "p99_ms": ratio(latency.p99), "max_ms": ratio(latency.max),
                    "command_p50_ms": ratio(latency.commandP50), "command_p99_ms": ratio(latency.commandP99),
                ])
            } ?? .null,
            "memory": .object([
                "serve_rss_mb": latency.map { ratio($0.serveRSSMegabytes) } ?? .null,
                "worker_rss_mb": workerRSSMegabytes.map { ratio($0) } ?? .null,
            ]),
        ])
    }

    var table: String {
        var out = "workload            ours/s     baseline/s   ratio   p50 ms  p99 ms\n"
        for row in append {
            out += String(
                format: "append %2d clients %9.0f %12.0f %7.3f %8.2f %7.2f\n", row.clients, row.eventsPerSecond,
                row.rawEventsPerSecond, row.ratio, row.p50Milliseconds, row.p99Milliseconds)
        }
        if commands.perSecond > 0 {
            out += String(
                // No baseline, ratio or p50 for the mix: dashes in the format itself (a Swift String
                // passed for %s is undefined behaviour and printed garbage).
                format: "commands (mix)    %9.0f            -       -        - %7.2f   (not accepted: %d)\n",
                commands.perSecond, commands.p99Milliseconds, commands.notAccepted)
        }
        if contention.acceptedPerSecond > 0 {
            out += String(
                format: "contention        %9.0f   (%d clients on 10 companies; conflicts retried: %d, lost: %d)\n",
                contention.acceptedPerSecond, contention.clients, contention.conflictsRetried, contention.lost)
        }
        if catchup.events > 0 {
            out += String(
                format: "catchup (%d ev) %9.0f %12.0f %7.3f\n", catchup.events, catchup.eventsPerSecond,
                catchup.plainReadEventsPerSecond, catchup.ratio)
            for projection in catchup.byProjection {
                out +=
                    "  " + projection.name.padding(toLength: 16, withPad: " ", startingAt: 0)
                    + String(format: "%9.0f\n", projection.eventsPerSecond)
            }
            out += String(format: "  all at once      %9.0f\n", catchup.allProjectionsEventsPerSecond)
        }
        if verify.eventsPerSecond > 0 {
            out += String(
                format: "verify            %9.0f %12.0f (sha256 of the same bytes)\n", verify.eventsPerSecond,
                verify.sha256EventsPerSecond)
        }
        if let latency {
            out += String(
                format: "latency at %d/s  achieved %.0f/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d failed)\n",
                latency.targetPerSecond, latency.achievedPerSecond, latency.p50, latency.p99, latency.max,
                latency.failed)
            out += String(
                format: "  of which the command answer: p50 %.2f ms, p99 %.2f ms\n", latency.commandP50,
                latency.commandP99)
            out += String(
                format: "memory            ledger serve peak RSS %.1f MiB under that load\n", latency.serveRSSMegabytes)
        }
        if let workerRSSMegabytes {
            out += String(
                format:
                    "memory            projection worker (ledger project --rebuild coupon_balance) peak RSS %.1f MiB\n",
                workerRSSMegabytes)
        }
        out += "machine: \(machine.jsonText)"
        return out
    }
}
