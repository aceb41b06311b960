import Commands
import EventStore
import Foundation
import TestSupport
import Testing

/// `/metrics` against the Prometheus text format (#19 item 5): metric names, HELP and TYPE lines,
/// histogram buckets in order up to +Inf, and a `command` label that stays bounded however many
/// made-up command names clients send.
@Suite("serve: /metrics in the Prometheus text format")
struct MetricsFormatTests {
    @Test("names, HELP/TYPE, bucket order, and bounded labels under fuzzed command names")
    func format() async throws {
        let test = try await TestDatabase.freshStore()
        let (serve, port) = try await ServeTests().start(test.conninfo)
        defer {
            serve.kill(SIGKILL)
            _ = serve.wait()
        }
        #expect(await Reliability.post(port, Reliability.register()).status == 200)
        for _ in 0..<3 { #expect(await Reliability.post(port, Reliability.adjust(id: UUID(), delta: 1)).status == 200) }
        var random = SplitMix64(seed: 19)
        for _ in 0..<40 {
            let name = String(
                (0..<Int.random(in: 3...30, using: &random)).map { _ in
                    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".randomElement(using: &random)!
                })
            _ = await Reliability.post(
                port, #"{"command":"\#(name)","commandId":"\#(UUID())","actor":\#(Reliability.staff)}"#)
        }
        let reply = await Reliability.call(port, "GET", "/metrics", timeout: 10)
        #expect(reply.status == 200)
        let problems = Self.problems(reply.body)
        #expect(problems.isEmpty, "\(problems.prefix(10))")
        let labels = Self.labelValues(reply.body, metric: "ledger_commands_total", label: "command")
        #expect(labels == ["AdjustCoupons", "RegisterCompany", "unknown"], "bounded: \(labels)")
        #expect(reply.body.contains(#"ledger_command_duration_seconds_bucket{command="AdjustCoupons",le="0.0001"}"#))
        #expect(reply.body.contains("# HELP ledger_commands_total "))
    }

    /// The rules of the text format this checks; each broken one is a line of the result.
    static func problems(_ text: String) -> [String] {
        var problems: [String] = []
        var families: [String: String] = [:]  // name → type
        var helped = Set<String>()
        var buckets: [String: [(le: Double, count: Double)]] = [:]
        let name = #/^[a-zA-Z_:][a-zA-Z0-9_:]*$/#
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# HELP ") {
                let parts = line.split(separator: " ", maxSplits: 3)
                if parts.count < 4 { problems.append("HELP without text: \(line)") }
                helped.insert(String(parts[2]))
            } else if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3])
                else {
                    problems.append("bad TYPE: \(line)")
                    continue
                }
                let family = String(parts[2])
                if families[family] != nil { problems.append("TYPE twice: \(family)") }
                if (try? name.wholeMatch(in: family)) == nil { problems.append("bad name: \(family)") }
                if !helped.contains(family) { problems.append("no HELP before TYPE: \(family)") }
                families[family] = String(parts[3])
            } else if !line.hasPrefix("#") {
                let metric = String(line.prefix { $0 != "{" && $0 != " " })
                let family = ["_bucket", "_sum", "_count"].reduce(metric) { name, suffix in
                    name.hasSuffix(suffix) && families[String(name.dropLast(suffix.count))] == "histogram"
                        ? String(name.dropLast(suffix.count)) : name
                }
                guard families[family] != nil else {
                    problems.append("sample before its TYPE: \(line)")
                    continue
                }
                guard let value = line.split(separator: " ").last.flatMap({ Double($0) }) else {
                    problems.append("bad value: \(line)")
                    continue
                }
                if metric.hasSuffix("_bucket"), let le = line.firstRange(of: #"le=""#) {
                    let bound = line[le.upperBound...].prefix { $0 != "\"" }
                    let series = line[..<line.index(before: le.lowerBound)] + "|" + metric
                    buckets[String(series), default: []].append(
                        (bound == "+Inf" ? .infinity : Double(bound) ?? .nan, value))
                }
            }
        }
        for (series, list) in buckets {
            if list.last?.le != .infinity { problems.append("no +Inf bucket last: \(series)") }
            for (a, b) in zip(list, list.dropFirst()) where !(a.le < b.le && a.count <= b.count) {
                problems.append("buckets out of order: \(series) \(a) \(b)")
            }
        }
        return problems
    }

    static func labelValues(_ text: String, metric: String, label: String) -> [String] {
        var values = Set<String>()
        for line in text.split(separator: "\n") where line.hasPrefix(metric + "{") {
            if let range = line.firstRange(of: "\(label)=\"") {
                values.insert(String(line[range.upperBound...].prefix { $0 != "\"" }))
            }
        }
        return values.sorted()
    }
}
