// swift-tools-version: 6.1
// The target graph is the architecture: Daemon → Projections → Commands → EventStore → CLibPQ.
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
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(
            name: "EventStore",
            dependencies: ["CLibPQ", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "Commands",
            dependencies: ["EventStore"]
        ),
        .target(
            name: "Projections",
            dependencies: ["Commands", "EventStore"]
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
        .target(
            name: "TestSupport",
            dependencies: ["EventStore"],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "EventStoreTests",
            dependencies: ["EventStore", "TestSupport", "Daemon"]
        ),
        .testTarget(
            name: "ProjectionsTests",
            dependencies: ["Projections", "Commands", "TestSupport", "Daemon"]
        ),
        .testTarget(
            name: "CommandsTests",
            dependencies: ["Commands", "Projections", "TestSupport", "Daemon"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
