import Commands
import EventStore
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The `latency` workload: a real `ledger serve` child on the bench database, fed an open-loop
/// stream of chamber adjustments over HTTP at a steady rate. Each command's latency runs from its
/// scheduled send time (so a server that falls behind is charged for the queue, not hidden by it)
/// until a read of the company's balance with `?atLeastPosition=` returns, i.e. until the event is
/// visible in the `coupon_balance` read model. Also reports the server's peak RSS under that load.
enum LatencyWorkload {
    struct Result {
        var targetPerSecond: Int
        var achievedPerSecond: Double
        var completed: Int
        var failed: Int
        var p50: Double
        var p99: Double
        var max: Double
        var serveRSSMegabytes: Double
        /// The command alone (scheduled send to the answer), to tell append time from projection time.
        var commandP50: Double = 0
        var commandP99: Double = 0
    }

    static func run(conninfo: String, perSecond: Int, seconds: Double, companies: Int = 500) async throws -> Result {
        let handler = CommandHandler(
            store: PostgresEventStore(pool: ConnectionPool(.init(conninfo: conninfo, maximumConnections: 4))))
        let staff = #"{"kind":"chamberStaff","id":"bench","chamberId":"kamikochi"}"#
        let prefix = Int.random(in: 100...999)
        @Sendable func company(_ n: Int) -> String { "\(prefix)\(String(format: "%07d", n % companies))" }
        for n in 0..<companies {
            let outcome = await handler.execute(
                line: Data(
                    #"{"command":"RegisterCompany","commandId":"\#(UUID())","actor":\#(staff),"tradeRegNo":"\#(company(n))","companyName":"bench","chamberId":"kamikochi","membership":"member","paymentMethods":[]}"#
                        .utf8))
            guard outcome.succeeded else { throw BenchFailure("cannot register bench companies: \(outcome.status)") }
        }
        await handler.store.pool.close()

        let port = try freePort()
        let serve = try ChildProcess.start(
            try ownExecutable(), ["serve", "--database-url", conninfo, "--http-port", String(port)],
            environment: ProcessInfo.processInfo.environment.filter { $0.key != "LEDGER_API_TOKEN" },
            mergeOutput: true)
        defer {
            serve.kill(SIGTERM)
            _ = serve.wait()
        }
        try await waitForHealth(port: port, serve: serve)

        let total = Int(Double(perSecond) * seconds)
        let next = Atomic<Int>(0)
        let latencies = Mutex<[Double]>([])
        let commandLatencies = Mutex<[Double]>([])
        let failures = Mutex<[String]>([])
        let start = ContinuousClock.now + .milliseconds(100)
        let threads = max(16, min(128, perSecond / 10))
        let finished = DispatchSemaphore(value: 0)
        for _ in 0..<threads {
            let thread = Thread {
                defer { finished.signal() }
                var client: HTTPClient?
                while true {
                    let index = next.add(1, ordering: .relaxed).oldValue
                    if index >= total { break }
                    let scheduled = start + .microseconds(Int64(index) * 1_000_000 / Int64(perSecond))
                    let wait = scheduled - ContinuousClock.now
                    if wait > .zero {
                        Thread.sleep(
                            forTimeInterval: Double(wait.components.attoseconds) / 1e18
                                + Double(wait.components.seconds))
                    }
                    do {
                        if client == nil { client = try HTTPClient(port: port) }
                        let body =
                            #"{"command":"AdjustCoupons","commandId":"\#(UUID())","actor":\#(staff),"tradeRegNo":"\#(company(index))","delta":1,"reason":"bench"}"#
                        let reply = try client!.request("POST", "/v1/commands", body: body)
                        guard reply.status == 200, let position = Self.position(in: reply.body) else {
                            throw BenchFailure("command answered \(reply.status): \(reply.body.prefix(200))")
                        }
                        let answered = ContinuousClock.now - scheduled
                        commandLatencies.withLock {
                            $0.append(
                                Double(answered.components.seconds) * 1000 + Double(answered.components.attoseconds)
                                    / 1e15)
                        }
                        let read = try client!.request(
                            "GET", "/v1/companies/\(company(index))/coupon-balance?atLeastPosition=\(position)")
                        guard read.status == 200 else {
                            throw BenchFailure("read answered \(read.status): \(read.body.prefix(200))")
                        }
                        let elapsed = ContinuousClock.now - scheduled
                        latencies.withLock {
                            $0.append(
                                Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds)
                                    / 1e15)
                        }
                    } catch {
                        client = nil
                        failures.withLock { $0.append("\(error)") }
                    }
                }
            }
            thread.start()
        }
        for _ in 0..<threads {
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    finished.wait()
                    continuation.resume()
                }
            }
        }
        let elapsed = ContinuousClock.now - start
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rss = peakRSSMegabytes(pid: serve.pid)
        let sorted = latencies.withLock { $0 }.sorted()
        func percentile(_ p: Double, of sorted: [Double]) -> Double { Workloads.percentile(p, of: sorted) }
        func percentile(_ p: Double) -> Double { percentile(p, of: sorted) }
        let commandsSorted = commandLatencies.withLock { $0 }.sorted()
        let failed = failures.withLock { $0 }
        if let first = failed.first {
            FileHandle.standardError.write(
                Data("bench: \(failed.count) latency requests failed; first: \(first)\n".utf8))
        }
        return Result(
            targetPerSecond: perSecond, achievedPerSecond: Double(sorted.count) / wall, completed: sorted.count,
            failed: failed.count, p50: percentile(0.5), p99: percentile(0.99), max: sorted.last ?? 0,
            serveRSSMegabytes: rss, commandP50: percentile(0.5, of: commandsSorted),
            commandP99: percentile(0.99, of: commandsSorted))
    }

    /// The `"position"` number of a command result.
    static func position(in body: String) -> Int64? {
        guard let range = body.range(of: "\"position\":") else { return nil }
        let digits = body[range.upperBound...].drop { $0 == " " }.prefix { $0.isNumber }
        return Int64(digits)
    }

    static func waitForHealth(port: Int, serve: ChildProcess.Running) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if waitpid(serve.pid, nil, WNOHANG) == serve.pid { throw BenchFailure("ledger serve exited at start") }
            if let client = try? HTTPClient(port: port), let reply = try? client.request("GET", "/health"),
                reply.status == 200
            {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchFailure("ledger serve did not answer /health within 60 s")
    }

    /// Peak resident set (VmHWM) of a running process, in MiB.
    static func peakRSSMegabytes(pid: Int32) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kilobytes / 1024
    }

    static func ownExecutable() throws -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { throw BenchFailure("cannot find the ledger executable") }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(socket, pointer, length) == 0 && getsockname(socket, pointer, &length) == 0
            }
        }
        guard bound else { throw BenchFailure("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
