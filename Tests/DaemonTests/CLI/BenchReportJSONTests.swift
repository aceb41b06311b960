import Commands
import Foundation
import Testing

@testable import Daemon

/// Issue #19: `ledger bench --json` prints ratios, latencies and sizes as JSON numbers, under the
/// key names it always had.
@Suite("ledger bench --json")
struct BenchReportJSONTests {
    @Test("ratios, milliseconds and MiB are numbers; rates are integers; the key names stay")
    func numbers() throws {
        var report = BenchReport(machine: .object(["build": .string("debug")]))
        report.append = [
            .init(
                clients: 16, eventsPerSecond: 4_650, rawEventsPerSecond: 10_000, p50Milliseconds: 1.25,
                p99Milliseconds: 9.5)
        ]
        report.commands = .init(perSecond: 900, p99Milliseconds: 3.125)
        report.catchup = .init(events: 1_000, eventsPerSecond: 500, plainReadEventsPerSecond: 2_000)
        report.workerRSSMegabytes = 94.1
        let text = report.json.jsonText
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
        let append = try #require(json["append"] as? [String: Any])
        #expect(append["ratio"] as? Double == 0.465, "\(text)")
        #expect(append["events_per_s"] as? Int == 4_650)
        let row = try #require((append["by_clients"] as? [[String: Any]])?.first)
        #expect(row["p50_ms"] as? Double == 1.25)
        #expect(row["p99_ms"] as? Double == 9.5)
        let commands = try #require(json["commands"] as? [String: Any])
        #expect(commands["p99_ms"] as? Double == 3.125)
        #expect(commands["ratio_to_append"] is NSNumber)
        #expect((json["catchup"] as? [String: Any])?["ratio"] as? Double == 0.25)
        #expect((json["memory"] as? [String: Any])?["worker_rss_mb"] as? Double == 94.1)
        #expect((json["memory"] as? [String: Any])?["serve_rss_mb"] is NSNull)
        #expect(!text.contains("\"0."), "no number is a string: \(text)")
        #expect((json["machine"] as? [String: Any])?["build"] as? String == "debug")
    }

    @Test("a figure that is not finite is null, so the output stays JSON")
    func notFinite() throws {
        #expect(BenchJSON.number(.infinity, decimals: 3).jsonText == "null")
        #expect(BenchJSON.number(.nan, decimals: 3).jsonText == "null")
        #expect(BenchJSON.object(["b": .number(0.5, decimals: 3), "a": .int(1)]).jsonText == #"{"a":1,"b":0.500}"#)
    }
}
