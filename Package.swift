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
