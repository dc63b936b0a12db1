// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "shiftbridge",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "shiftbridge", targets: ["shiftbridge"]),
        .library(name: "PagerDutyKit", targets: ["PagerDutyKit"]),
        .library(name: "PagerDutyEmulator", targets: ["PagerDutyEmulator"]),
        .library(name: "SlackKit", targets: ["SlackKit"]),
        .library(name: "SlackEmulator", targets: ["SlackEmulator"]),
        .library(name: "BambooHREmulator", targets: ["BambooHREmulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/JohnSundell/Plot.git", from: "0.14.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Pure domain logic (rotation schedule maths, sync planning): no I/O, no framework.
        .target(name: "ShiftbridgeCore"),
        // One HTTP exchange with a deadline and a body cap: what every outside-service client sends through.
        .target(
            name: "HTTPTransport",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // PagerDuty REST + OAuth client. Deliberately free of Vapor.
        .target(
            name: "PagerDutyKit",
            dependencies: [
                "HTTPTransport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Slack Web API client (user groups, topics, messages, OAuth v2). Free of Vapor too.
        .target(
            name: "SlackKit",
            dependencies: [
                "HTTPTransport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What both emulators share: a JSON value, a controllable clock, fault plans.
        .target(name: "EmulatorSupport", dependencies: ["ShiftbridgeCore"]),
        // An in-memory PagerDuty account served over HTTP, for tests, the demo and benchmarks.
        .target(
            name: "PagerDutyEmulator",
            dependencies: [
                "EmulatorSupport",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // An in-memory Slack workspace served over HTTP, held to Slack's Web API.
        .target(
            name: "SlackEmulator",
            dependencies: [
                "EmulatorSupport",
                .product(name: "Vapor", package: "vapor"),
            ]
        ),
        // An in-memory BambooHR company served over HTTP: custom reports, the directory, changes.
        .target(
            name: "BambooHREmulator",
            dependencies: [
                "EmulatorSupport",
                .product(name: "Vapor", package: "vapor"),
            ]
        ),
        .target(
            name: "Shiftbridge",
            dependencies: [
                "ShiftbridgeCore",
                "PagerDutyKit",
                "SlackKit",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Plot", package: "plot"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Public"), .copy("OpenAPI")]
        ),
        // The demo, the emulator's command line and the benchmarks: what a developer runs
        // beside the app, kept out of the app library.
        .target(
            name: "ShiftbridgeDev",
            dependencies: [
                "Shiftbridge",
                "ShiftbridgeCore",
                "PagerDutyKit",
                "PagerDutyEmulator",
                "SlackKit",
                "SlackEmulator",
                "BambooHREmulator",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
            ]
        ),
        .executableTarget(name: "shiftbridge", dependencies: ["Shiftbridge", "ShiftbridgeDev"]),
        // Release-mode benchmarks that print figures (see BENCHMARKS.md).
        .executableTarget(name: "shiftbridge-bench", dependencies: ["PagerDutyKit", "PagerDutyEmulator", "ShiftbridgeDev"]),
        .testTarget(name: "ShiftbridgeCoreTests", dependencies: ["ShiftbridgeCore"]),
        .testTarget(
            name: "PagerDutyKitTests",
            dependencies: [
                "PagerDutyKit",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "PagerDutyEmulatorTests",
            dependencies: [
                "PagerDutyEmulator",
                "PagerDutyKit",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(
            name: "SlackEmulatorTests",
            dependencies: [
                "SlackEmulator",
                "SlackKit",
                "HTTPTransport",
            ]
        ),
        .testTarget(
            name: "ShiftbridgeTests",
            dependencies: [
                "Shiftbridge",
                "ShiftbridgeCore",
                "PagerDutyKit",
                "PagerDutyEmulator",
                "SlackKit",
                "SlackEmulator",
                "BambooHREmulator",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
    ]
)
