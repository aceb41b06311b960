// swift-tools-version: 6.1
// The target graph is the architecture: Daemon → Projections → Commands → EventStore → CLibPQ,
// with the pure Domain (inside Sources/Commands) under Commands. docs/layout.md draws it.
import PackageDescription

let package = Package(
    name: "ledger",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ledger", targets: ["Daemon"]),
        .library(name: "EventStore", targets: ["EventStore"]),
        .library(name: "Commands", targets: ["Commands"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(
            name: "EventStore",
            dependencies: [
                "CLibPQ",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // schema/*.sql built into the binary (Migrator.builtIn): `ledger migrate` works from any folder.
            plugins: ["EmbedSchema"]
        ),
        // The build-time tool and plugin that embed schema/ into EventStore (docs/event-store.md).
        .executableTarget(name: "SchemaEmbedder"),
        .plugin(name: "EmbedSchema", capability: .buildTool(), dependencies: ["SchemaEmbedder"]),
        // The pure domain: value types, time, identifiers, card-data screening, JSON coding, and the
        // aggregates' decide/evolve. It lives inside Sources/Commands but is its own target so that
        // the compiler keeps it pure: it can see Foundation and nothing else (no database, no I/O).
        .target(
            name: "Domain",
            path: "Sources/Commands",
            sources: ["Values", "Time", "Identifiers", "Screening", "Coding", "Domain"]
        ),
        // The command handler: loads streams, runs the domain's deciders, appends (re-exports Domain).
        .target(
            name: "Commands",
            dependencies: ["Domain", "EventStore", .product(name: "Crypto", package: "swift-crypto")],
            path: "Sources/Commands",
            sources: ["Handling"]
        ),
        .target(
            name: "Projections",
            dependencies: [
                "Commands",
                "EventStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // The outbox's SMTP client.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "Daemon",
            dependencies: [
                "EventStore",
                "Commands",
                "Projections",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The test kit: a throwaway PostgreSQL, child processes, the `ledger` executable, seeded
        // randomness, and the DOMAIN.md §10 fixture. Shared by every test target.
        .target(
            name: "TestSupport",
            dependencies: ["EventStore", "Commands", "Projections"],
            path: "Tests/TestSupport",
            exclude: ["gateway_simulator.py"]
        ),
        // Library tests: each depends on its module and the kit, never on the executable.
        .testTarget(
            name: "EventStoreTests",
            dependencies: ["EventStore", "TestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "CommandsTests",
            dependencies: ["Commands", "Projections", "TestSupport"]
        ),
        .testTarget(
            name: "ProjectionsTests",
            dependencies: ["Projections", "Commands", "TestSupport"]
        ),
        // The executable's tests: CLI subcommands, serve, demo, and the reliability suite, each
        // against a real `ledger` child process.
        .testTarget(
            name: "DaemonTests",
            dependencies: ["Daemon", "EventStore", "Commands", "Projections", "TestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
