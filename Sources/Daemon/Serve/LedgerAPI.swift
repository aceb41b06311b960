import Commands
import EventStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import Projections
import Prometheus

/// The HTTP API of ARCHITECTURE.md: commands in, read models out, `/health`, `/metrics`.
struct LedgerAPI: Sendable {
    let store: PostgresEventStore
    let handler: CommandHandler
    let conninfo: String
    let token: String?
    let registry: PrometheusCollectorRegistry
    /// News of this process's workers' batches, so read-your-writes waits need not poll.
    let progress: ProjectionProgress
    /// The most a projection may lag (seconds) for `/health/ready` to say ready.
    var readyMaximumLagSeconds = 60
    /// The chambers with a printed name (`--chamber-name`), for the readiness warnings.
    var namedChambers: Set<String> = []
    /// The access log and the failures of requests (`ledger.http`).
    var logger = Logger(label: "ledger.http")
    /// Failures of the reads behind `/metrics`, logged once per run of them.
    let failures = FailureLogs(logger: Logger(label: "ledger.http"), level: .warning, recoveryLevel: .info)

    /// The name of the one credential there is today, the bearer token (`LEDGER_API_TOKEN`), in
    /// the access log's `credential`.
    static let tokenCredentialName = "api-token"

    /// How long `?atLeastPosition=` waits for the read model.
    static let readYourWritesLimit = Duration.seconds(5)
    static let maximumBodyBytes = CommandEnvelope.maximumBytes

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: HTTPMetricsMiddleware())
        router.add(middleware: AccessLogMiddleware(logger: logger) { request in credentialName(request) })
        router.post("/v1/commands") { request, context in try await command(request, context) }
        router.get("/v1/companies/:tradeRegNo/coupon-balance") { request, context in
            try await read(
                request, context, projection: "coupon_balance", sql: ReadSQL.couponBalance, key: "tradeRegNo",
                single: true)
        }
        router.get("/v1/companies/:tradeRegNo/coupon-history") { request, context in
            try await read(
                request, context, projection: "coupon_history", sql: ReadSQL.couponHistory, key: "tradeRegNo",
                single: false)
        }
        router.get("/v1/orders/:orderNo") { request, context in
            try await read(
                request, context, projection: "coupon_order", sql: ReadSQL.order, key: "orderNo", single: true)
        }
        router.get("/v1/applications/:receptionNo") { request, context in
            try await read(
                request, context, projection: "application_status", sql: ReadSQL.application, key: "receptionNo",
                single: true)
        }
        router.get("/v1/users/:userId/credit-statements") { request, context in
            try await statements(request, context)
        }
        router.get("/health/live") { _, _ in live() }
        router.get("/health/ready") { _, _ in try await ready() }
        // The probe before there were two: the readiness one.
        router.get("/health") { _, _ in try await ready() }
        router.get("/metrics") { _, _ in try await metrics() }
        return router
    }

    // MARK: Commands

    func command(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        if let refused = authenticate(request) { return refused }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maximumBodyBytes + 1)
        } catch {
            // Hummingbird's own 413 has no body: answer like any other refused command instead.
            let answer = JSONValue.object([
                "commandId": .null, "status": "rejected",
                "error": .object([
                    "code": .string(RejectionCode.invalidCommand.rawValue),
                    "message": .string("(body): a command may be at most \(Self.maximumBodyBytes) bytes"),
                    "details": .object(["field": "(body)"]),
                ]),
            ])
            return json(answer.jsonText, status: .contentTooLarge)
        }
        let started = ContinuousClock.now
        let outcome = await handler.execute(line: Data(buffer: body))
        let name = CommandNames.name(of: body)
        Counter(label: "ledger_commands_total", dimensions: [("command", name), ("status", outcome.status.rawValue)])
            .increment()
        Timer(label: "ledger_command_duration_seconds", dimensions: [("command", name)])
            .record(duration: ContinuousClock.now - started)
        if outcome.succeeded && !outcome.events.isEmpty {
            Counter(label: "ledger_events_appended_total").increment(by: outcome.events.count)
        }
        let status: HTTPResponse.Status =
            switch outcome.status {
            case .ok, .exists: .ok
            case .error: .serviceUnavailable
            case .rejected:
                [.invalidCommand, .cardDataRejected].contains(outcome.error?.code)
                    ? .badRequest
                    : outcome.error?.code == .forbidden ? .forbidden : .unprocessableContent
            }
        logFailure(outcome, command: name)
        return json(outcome.jsonLine, status: status)
    }

    /// A command the database failed is logged with its ids and cause (at debug while the
    /// database is away: `DatabaseAvailability` logs the outage once); rejections are answers.
    func logFailure(_ outcome: CommandOutcome, command: String) {
        guard outcome.status == .error, let cause = outcome.failureCause else { return }
        var metadata = Logger.Metadata.cause(cause)
        metadata["command"] = .string(command)
        if let id = outcome.commandId?.uuidString.lowercased() {
            metadata["commandId"] = .string(id)
            metadata["correlationId"] = .string(id)
        }
        logger.log(
            level: DatabaseError.isUnavailable(cause) ? .debug : .error, "command failed in the database",
            metadata: metadata)
    }

    // MARK: Reads

    func read(
        _ request: Request, _ context: BasicRequestContext, projection: String, sql: String, key: String, single: Bool
    ) async throws -> Response {
        if let refused = authenticate(request) { return refused }
        guard let value = context.parameters.get(key) else { return error(.badRequest, "missing \(key)") }
        if let waited = try await waitForPosition(request, projection: projection) { return waited }
        let rows = try await store.pool.withConnection { connection in
            try await connection.query(sql, [value]).rows.map { try $0.decode(String.self, 0) }
        }
        if single {
            guard let row = rows.first else {
                return error(.notFound, "no \(projection.replacingOccurrences(of: "_", with: " ")) for \(value)")
            }
            return json(row, status: .ok)
        }
        return json("[" + rows.joined(separator: ",") + "]", status: .ok)
    }

    /// Credit statements, for their payer only (R27): the authenticated front end names the user
    /// in `X-Ledger-User`, which must be the user in the path.
    func statements(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        if let refused = authenticate(request) { return refused }
        guard let user = context.parameters.get("userId") else { return error(.badRequest, "missing userId") }
        guard let acting = request.headers[HTTPField.Name("X-Ledger-User")!], acting == user else {
            return error(
                .forbidden,
                "credit statements are visible only to the user who paid (R27): "
                    + "send X-Ledger-User with the same user id as the path")
        }
        let month = request.uri.queryParameters.get("month")
        if let month, month.count != 7 || !month.allSatisfy({ $0.isNumber || $0 == "-" }) {
            return error(.badRequest, "month must be YYYY-MM")
        }
        if let waited = try await waitForPosition(request, projection: "credit_statement") { return waited }
        let rows = try await store.pool.withConnection { connection in
            try await connection.query(ReadSQL.statements, [user, month]).rows.map { try $0.decode(String.self, 0) }
        }
        return json("[" + rows.joined(separator: ",") + "]", status: .ok)
    }

    /// `?atLeastPosition=N`: waits (bounded) until `projection` has applied every event of its
    /// types up to the event at position N. Returns a response only when it cannot.
    func waitForPosition(_ request: Request, projection: String) async throws -> Response? {
        guard let text = request.uri.queryParameters.get("atLeastPosition") else { return nil }
        guard let position = Int64(text), position > 0 else {
            return error(.badRequest, "atLeastPosition must be a positive integer")
        }
        guard let types = ProjectionCatalog.named(projection)?.eventTypes else { return nil }
        let deadline = ContinuousClock.now + Self.readYourWritesLimit
        while ContinuousClock.now < deadline {
            let seen = await progress.generation(projection)
            let caughtUp = try await store.pool.withConnection { connection in
                try await connection.query(ReadSQL.caughtUp, [projection, PGTextArray(types), position]).singleRow()
                    .decode(Bool.self, 0)
            }
            if caughtUp { return nil }
            // Woken by this process's worker; the timeout covers a worker led by another daemon.
            await progress.wait(projection, after: seen, timeout: .milliseconds(20))
        }
        return error(.serviceUnavailable, "the read model has not reached position \(position) within 5 s; retry")
    }

    // MARK: Health and metrics

    // MARK: Helpers

    /// The name of the credential `request` authenticates with: `api-token` when it sends the
    /// configured bearer token; nil when none is configured or it sent none or another.
    func credentialName(_ request: Request) -> String? {
        guard let token, request.headers[.authorization] == "Bearer \(token)" else { return nil }
        return Self.tokenCredentialName
    }

    /// Nil when the request may go on; else the 401.
    func authenticate(_ request: Request) -> Response? {
        guard let token else { return nil }
        guard request.headers[.authorization] == "Bearer \(token)" else {
            return error(.unauthorized, "send Authorization: Bearer <LEDGER_API_TOKEN>")
        }
        return nil
    }

    func json(_ text: String, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        json(
            JSONValue.object([
                "status": "rejected",
                "error": .object([
                    "code": .string("http\(status.code)"),
                    "message": .string(message),
                ]),
            ]).jsonText,
            status: status)
    }
}
