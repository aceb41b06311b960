import ServiceLifecycle

/// Several services run side by side as one entry of a `ServiceGroup`, so that graceful shutdown
/// reaches them all at once (a group stops its entries one after another, and each worker may
/// take up to its poll interval to notice). Each child still handles graceful shutdown itself;
/// the first to throw ends the others.
struct ConcurrentServices: Service {
    let services: [any Service]

    func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            for service in services {
                group.addTask { try await service.run() }
            }
        }
    }
}
