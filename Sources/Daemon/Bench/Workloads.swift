import Commands
import Crypto
import EventStore
import Foundation
import Projections
import Synchronization

/// The benchmark's workloads. Each returns its rate and latencies; baselines use plain libpq.
enum Workloads {
    struct Result {
        var rate: Double
        var p50: Double
        var p99: Double
        var lost: Int = 0
        var retries = 0
    }

    /// Runs `clients` loops of `body` for `seconds`; returns operations/s and latency percentiles
    /// of the operations for which `body` returned true.
    static func timed(clients: Int, seconds: Double, _ body: @escaping @Sendable (Int, Int) async throws -> Bool)
        async throws -> Result
    {
        try await timedRounds(clients: clients, seconds: seconds) { client, n in
            let begin = ContinuousClock.now
            return try await body(client, n) ? [milliseconds(ContinuousClock.now - begin)] : []
        }
    }

    /// Runs `clients` loops of rounds for `seconds`; each round returns the latencies (ms) of the
    /// operations it completed. Returns operations/s and latency percentiles.
    static func timedRounds(
        clients: Int, seconds: Double,
        _ body: @escaping @Sendable (Int, Int) async throws -> [Double]
    ) async throws -> Result {
        let end = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        let started = ContinuousClock.now
        let samples = try await withThrowingTaskGroup(of: [Double].self) { group in
            for client in 0..<clients {
                group.addTask {
                    var latencies: [Double] = []
                    var round = 0
                    while ContinuousClock.now < end {
                        latencies += try await body(client, round)
                        round += 1
                    }
                    return latencies
                }
            }
            return try await group.reduce(into: [Double]()) { $0 += $1 }.sorted()
        }
        let wall = milliseconds(ContinuousClock.now - started) / 1000
        return Result(
            rate: Double(samples.count) / wall, p50: percentile(0.5, of: samples), p99: percentile(0.99, of: samples))
    }

    /// The `p` quantile of sorted samples (0 when there are none).
    static func percentile(_ p: Double, of sorted: [Double]) -> Double {
        sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    static let data =
        #"{"delta": 1, "reason": "bench", "staffId": "staff1", "chamberId": "kamikochi", "balanceAfter": 1}"#
    static let metadata = #"{"actor": {"id": "staff1", "kind": "chamberStaff"}, "command": "AdjustCoupons"}"#

    /// Single-event appends through the event store, each its own transaction, distinct streams.
    static func append(conninfo: String, clients: Int, seconds: Double) async throws -> Result {
        let pool = ConnectionPool(.init(conninfo: conninfo, maximumConnections: clients))
        let store = PostgresEventStore(pool: pool)
        let run = UUID().uuidString.prefix(8)
        let result = try await timed(clients: clients, seconds: seconds) { client, _ in
            try await store.append(
                [NewEvent(eventType: "BenchAppended", data: data, metadata: metadata)],
                to: StreamName("bench-\(run)_\(client)")!, expected: .any)
            return true
        }
        await pool.close()
        return result
    }

    /// The baseline: the same rows by a plain prepared INSERT into a copy of the table.
    static func rawInsert(conninfo: String, clients: Int, seconds: Double) async throws -> Result {
        var connections: [PGConnection] = []
        for _ in 0..<clients { connections.append(try await PGConnection.connect(conninfo)) }
        let run = UUID().uuidString.prefix(8)
        let all = connections
        let result = try await timed(clients: clients, seconds: seconds) { client, n in
            try await all[client].query(
                """
                INSERT INTO bench_raw (stream_id, stream_version, event_id, event_type, data, metadata, occurred_at)
                VALUES ($1, $2, $3, 'BenchAppended', $4::jsonb, $5::jsonb, clock_timestamp())
                """, ["bench-\(run)_\(client)", n + 1, UUID(), data, metadata])
            return true
        }
        for connection in connections { await connection.close() }
        return result
    }

    /// AdjustCoupons through the handler from `clients` clients on `companies` companies; checks
    /// that every accepted command is in the balances ("none lost").
    static func commands(conninfo: String, clients: Int, companies: Int, seconds: Double) async throws -> Result {
        let pool = ConnectionPool(.init(conninfo: conninfo, maximumConnections: clients))
        let handler = CommandHandler(store: PostgresEventStore(pool: pool))
        let staff = #"{"kind":"chamberStaff","id":"bench","chamberId":"kamikochi"}"#
        let prefix = Int.random(in: 100...999)
        for company in 0..<companies {
            _ = await handler.execute(
                line: Data(
                    #"{"command":"RegisterCompany","commandId":"\#(UUID())","actor":\#(staff),"tradeRegNo":"\#(prefix)\#(String(format: "%07d", company))","companyName":"bench","chamberId":"kamikochi","membership":"member","paymentMethods":[]}"#
                        .utf8))
        }
        let accepted = Mutex(0)
        var result = try await timed(clients: clients, seconds: seconds) { client, _ in
            let company = "\(prefix)\(String(format: "%07d", client % companies))"
            let outcome = await handler.execute(
                line: Data(
                    #"{"command":"AdjustCoupons","commandId":"\#(UUID())","actor":\#(staff),"tradeRegNo":"\#(company)","delta":1,"reason":"bench"}"#
                        .utf8))
            if outcome.status == .ok { accepted.withLock { $0 += 1 } }
            return outcome.status == .ok
        }
        let total = try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT coalesce(sum((data ->> 'delta')::int), 0) FROM ledger.events
                 WHERE event_type = 'CouponsAdjustedByChamber' AND stream_id LIKE $1
                """, ["company-\(prefix)%"]
            ).singleRow().decode(Int.self, 0)
        }
        result.lost = accepted.withLock { $0 } - total
        result.retries = handler.conflictRetries.value
        await pool.close()
        return result
    }

    /// Fills the store with `events` chamber adjustments (by SQL) over 1,000 companies.
    static func fill(_ setup: PGConnection, events: Int) async throws {
        try await setup.query(
            """
            INSERT INTO ledger.events (stream_id, stream_version, event_id, event_type, data, metadata, occurred_at)
            SELECT 'company-9' || lpad((g % 1000)::text, 9, '0'), (g / 1000) + 1, gen_random_uuid(), 'CouponsAdjustedByChamber',
                   jsonb_build_object('adjustmentId', gen_random_uuid(), 'delta', 1, 'staffId', 'staff1',
                                      'chamberId', 'kamikochi', 'reason', 'bench ' || g, 'balanceAfter', (g / 1000) + 1),
                   jsonb_build_object('actor', jsonb_build_object('kind', 'chamberStaff', 'id', 'staff1')),
                   now()
              FROM generate_series(0, $1 - 1) g
            """, [events])
    }

    /// Peak RSS of a projection worker process rebuilding coupon_balance over the filled events.
    static func workerPeakRSS(conninfo: String) throws -> Double {
        let child = try ChildProcess.start(
            try LatencyWorkload.ownExecutable(),
            ["project", "--rebuild", "coupon_balance", "--database-url", conninfo], mergeOutput: true)
        var status: Int32 = 0
        var usage = rusage()
        while wait4(child.pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let result = child.wait()
        guard (status & 0x7f) == 0, (status >> 8) & 0xff == 0 else {
            throw BenchFailure("ledger project --rebuild failed: \(result.output.suffix(500))")
        }
        return Double(usage.ru_maxrss) / 1024
    }

    /// Rebuilds coupon_balance over the filled events; the baseline reads the same events with a
    /// plain gap-free read.
    static func catchup(conninfo: String, setup: PGConnection, events: Int) async throws -> BenchReport.Catchup {
        let total = try await setup.query(
            "SELECT count(*) FROM ledger.events WHERE event_type = 'CouponsAdjustedByChamber'"
        )
        .singleRow().decode(Int.self, 0)
        let pool = ConnectionPool(.init(conninfo: conninfo, maximumConnections: 4))
        let store = PostgresEventStore(pool: pool)
        let clock = ContinuousClock()
        let projections: [any Projection] = [CouponBalanceProjection(), CouponHistoryProjection()]
        var byProjection: [BenchReport.Catchup.Projection] = []
        var read = 0
        var plain = Duration.zero
        for projection in projections {
            var count = 0
            let duration = try await clock.measure {
                count = try await ProjectionRebuild(projection: projection, store: store, conninfo: conninfo).run()
            }
            byProjection.append(.init(name: projection.name, events: count, eventsPerSecond: rate(count, duration)))
            // The baseline right after the first rebuild, as before: the later rebuilds write a
            // row per event (WAL, checkpoints, autovacuum) and would slow it.
            guard read == 0 else { continue }
            plain = try await clock.measure {
                var cursor = SubscriptionCursor.start
                while true {
                    let batch = try await store.read(
                        after: cursor, filter: .eventTypes(["CouponsAdjustedByChamber"]), limit: 5_000)
                    guard let last = batch.last else { break }
                    read += batch.count
                    cursor = last.cursor
                }
            }
        }
        let applied = byProjection[0].events
        let together = try await clock.measure {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for projection in projections {
                    group.addTask {
                        try await ProjectionRebuild(projection: projection, store: store, conninfo: conninfo).run()
                    }
                }
                try await group.waitForAll()
            }
        }
        await pool.close()
        return .init(
            events: max(applied, total), eventsPerSecond: byProjection[0].eventsPerSecond,
            plainReadEventsPerSecond: rate(read, plain), byProjection: byProjection,
            allProjectionsEventsPerSecond: rate(total, together))
    }

    static func rate(_ count: Int, _ duration: Duration) -> Double {
        Double(count) / (Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    /// Journals the store, then times `ledger verify`; the baseline hashes the same number of
    /// canonical event texts of typical size in a tight loop.
    static func verify(conninfo: String, events: Int) async throws -> BenchReport.Verify {
        let pool = ConnectionPool(.init(conninfo: conninfo, maximumConnections: 2))
        let store = PostgresEventStore(pool: pool)
        _ = try await JournalSequencer(store: store, conninfo: conninfo).catchUp()
        let report = try await Verifier(conninfo: conninfo).run()
        let sample = try await store.read(afterPosition: 0, limit: 100)
        await pool.close()
        let texts = sample.map { Data(EventHash.canonical($0).utf8) }
        let clock = ContinuousClock()
        let count = max(report.eventsVerified, 1)
        var sink: UInt8 = 0
        let hashing = clock.measure {
            for n in 0..<Int(count) {
                let digest = SHA256.hash(data: texts[n % max(texts.count, 1)])
                sink ^= digest.withUnsafeBytes { $0.first ?? 0 }
            }
        }
        _ = sink
        let seconds = Double(hashing.components.seconds) + Double(hashing.components.attoseconds) / 1e18
        return .init(eventsPerSecond: report.eventsPerSecond, sha256EventsPerSecond: Double(count) / max(seconds, 1e-9))
    }
}
