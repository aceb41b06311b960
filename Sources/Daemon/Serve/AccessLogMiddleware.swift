import EventStore
import HTTPTypes
import Hummingbird
import Logging

/// The HTTP access log: one line per request on `ledger.http` (docs/operations.md, Logs), with
/// `method`, `route` (the route template, e.g. `/v1/orders/{orderNo}`, or `NotFound`; never the
/// raw path, which holds ids), `status`, `durationMs` and `credential` (the name of the credential
/// the request authenticated with, when it carried a valid one). Never a header value, a query,
/// a secret or a body. A request that failed with an error, not an answer, also gets the cause
/// (`error`, `sqlstate`) and is logged at error, unless the database is away: the pool logs that
/// outage once (`DatabaseAvailability`), so these lines stay at info.
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger
    /// The name of the credential a request authenticates with, if any.
    let credential: @Sendable (Request) -> String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context, status: response.status, started: started, error: nil)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            log(request, context, status: status, started: started, error: status.code >= 500 ? error : nil)
            throw error
        }
    }

    func log(
        _ request: Request, _ context: Context, status: HTTPResponse.Status, started: ContinuousClock.Instant,
        error: (any Error)?
    ) {
        let elapsed = (ContinuousClock.now - started).components
        let milliseconds = Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15
        let route = context.endpointPath ?? "NotFound"
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue), "route": .string(route),
            "status": .stringConvertible(status.code),
            "durationMs": .stringConvertible((milliseconds * 1000).rounded() / 1000),
        ]
        if let name = credential(request) { metadata["credential"] = .string(name) }
        var level = Logger.Level.info
        if let error {
            metadata.merge(.cause(error)) { _, new in new }
            if !DatabaseError.isUnavailable(error) { level = .error }
        }
        logger.log(level: level, "\(request.method.rawValue) \(route) \(status.code)", metadata: metadata)
    }
}
