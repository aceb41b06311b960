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
        #expect(await Reliability.call(port, "GET", "/v1/orders/202401228888000004000001", timeout: 10).status == 404)
        #expect(await Reliability.call(port, "GET", "/no/such/route-\(UUID())", timeout: 10).status == 404)
        let reply = await Reliability.call(port, "GET", "/metrics", timeout: 10)
        #expect(reply.status == 200)
        let problems = Self.problems(reply.body)
        #expect(problems.isEmpty, "\(problems.prefix(10))")
        let labels = Self.labelValues(reply.body, metric: "ledger_commands_total", label: "command")
        #expect(labels == ["AdjustCoupons", "RegisterCompany", "unknown"], "bounded: \(labels)")
        #expect(reply.body.contains(#"ledger_command_duration_seconds_bucket{command="AdjustCoupons",le="0.0001"}"#))
        #expect(reply.body.contains("# HELP ledger_commands_total "))

        // HTTP by route template, never the raw path; unknown paths share one label value.
        let routes = Self.labelValues(reply.body, metric: "ledger_http_requests_total", label: "route")
        #expect(routes == ["/health", "/v1/commands", "/v1/orders/{orderNo}", "NotFound"], "bounded: \(routes)")
        #expect(reply.body.contains(#"ledger_http_requests_total{route="/v1/commands",method="POST",status="200"} 4"#))
        #expect(
            reply.body.contains(
                #"ledger_http_request_duration_seconds_bucket{route="/v1/commands",method="POST",le="+Inf"}"#))
        // The pool, the outbox and the database.
        #expect(reply.body.contains("ledger_pool_acquire_seconds_count "), "the pool's acquire time")
        for state in ["due", "scheduled", "sent", "failed"] {
            #expect(reply.body.contains(#"ledger_outbox_mails{state="\#(state)"} "#), "outbox \(state)")
        }
        #expect(reply.body.contains("\nledger_database_up 1"))
    }

    @Test("while the database is down its gauges are absent and ledger_database_up is 0; they return with it")
    func databaseDown() async throws {
        let cluster = try PrivateCluster.start()
        defer { cluster.destroy() }
        let conninfo = try await cluster.migratedDatabase()
        let (serve, port) = try await ServeTests().start(conninfo)
        defer {
            serve.kill(SIGKILL)
            _ = serve.wait()
        }
        let databaseGauges = [
            "ledger_projection_lag_events{", "ledger_global_position ", "ledger_schedule_periods_behind{",
            "ledger_outbox_mails{", "ledger_horizon_age_seconds ",
        ]
        let before = await Reliability.call(port, "GET", "/metrics", timeout: 10)
        #expect(before.body.contains("\nledger_database_up 1"))
        for gauge in databaseGauges { #expect(before.body.contains("\n" + gauge), "\(gauge) while up") }

        cluster.stop()
        var down = Reliability.Reply(status: 0, body: "", elapsed: .zero)
        let sawDown = try await eventually(within: .seconds(30)) {
            down = await Reliability.call(port, "GET", "/metrics", timeout: 10)
            return down.body.contains("\nledger_database_up 0")
        }
        #expect(sawDown, "ledger_database_up 0 while down: \(down.status) \(down.body.prefix(300))")
        #expect(down.status == 200, "/metrics still answers")
        for gauge in databaseGauges { #expect(!down.body.contains("\n" + gauge), "\(gauge) absent, not stale") }
        #expect(Self.problems(down.body).isEmpty, "\(Self.problems(down.body).prefix(5))")
        #expect(down.body.contains("\nledger_pool_size "), "the process's own gauges stay")

        try cluster.resume()
        let back = try await eventually(within: .seconds(60)) {
            let reply = await Reliability.call(port, "GET", "/metrics", timeout: 10)
            return reply.body.contains("\nledger_database_up 1") && reply.body.contains("\nledger_global_position ")
        }
        #expect(back, "the database's gauges return with it")
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
