import HTTPTypes
import Hummingbird
import Metrics

/// Counts and times every HTTP request by route template, method and status (`/metrics`). Labels
/// stay bounded: the route is the router's template (`/v1/orders/{orderNo}`, never the raw path),
/// `NotFound` for a path no route matches (Hummingbird's own name for it), and a method outside
/// the usual few is `other`.
struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    static var knownMethods: Set<HTTPRequest.Method> { [.get, .head, .post, .put, .delete, .patch, .options] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let started = ContinuousClock.now
        let method = Self.knownMethods.contains(request.method) ? request.method.rawValue : "other"
        do {
            let response = try await next(request, context)
            record(route: context.endpointPath, method: method, status: response.status.code, since: started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            record(route: context.endpointPath, method: method, status: status, since: started)
            throw error
        }
    }

    private func record(route: String?, method: String, status: Int, since started: ContinuousClock.Instant) {
        let route = route ?? "NotFound"
        Counter(
            label: MetricCatalog.httpRequests,
            dimensions: [("route", route), ("method", method), ("status", String(status))]
        ).increment()
        Timer(label: MetricCatalog.httpDuration, dimensions: [("route", route), ("method", method)])
            .record(duration: ContinuousClock.now - started)
    }
}
