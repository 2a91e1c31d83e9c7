// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "SmartContent",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "LMDB", targets: ["LMDB"]),
        .library(name: "EventLog", targets: ["EventLog"]),
        .library(name: "SmartContentDomain", targets: ["SmartContentDomain"]),
        .library(name: "SmartContent", targets: ["SmartContent"]),
        .library(name: "SmartContentTesting", targets: ["SmartContentTesting"]),
        .library(name: "SmartContentServer", targets: ["SmartContentServer"]),
        .executable(name: "smartcontent", targets: ["smartcontent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        // `swift package generate-documentation --target SmartContent`: the DocC catalog.
        .package(url: "https://github.com/apple/swift-docc-plugin", from: "1.4.0"),
        // Tests only: parse and validate the OpenAPI document the server serves.
        .package(url: "https://github.com/mattpolzin/OpenAPIKit", from: "6.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        // Hardware CRC-32C (SSE 4.2, with a portable fallback): record checksums sit on the
        // read path of every event, so they must cost nanoseconds. And getrandom(2) in bulk.
        .target(name: "CEventLogSupport"),
        // Deliveries over libcurl's multi interface (Debian: libcurl4-openssl-dev): one
        // thread drives every request on kept-alive connections.
        .target(
            name: "CDeliveryClient",
            linkerSettings: [.linkedLibrary("curl")]
        ),
        // The safe LMDB layer. A module of its own because the projections, the key vault
        // and the session store open environments of their own, not only the log.
        .target(
            name: "LMDB",
            dependencies: ["CLMDB"],
            swiftSettings: strict
        ),
        .target(
            name: "EventLog",
            dependencies: ["LMDB", "CEventLogSupport"],
            swiftSettings: strict
        ),
        // The event catalog, commands, validation and decisions: pure Swift, no I/O.
        .target(
            name: "SmartContentDomain",
            dependencies: ["EventLog"],
            swiftSettings: strict
        ),
        // Every read model: one file per projection, a pure fold plus its LMDB tables.
        .target(
            name: "SmartContentProjections",
            dependencies: [
                "LMDB", "EventLog", "SmartContentDomain",
                // The runner is a service of the server's group, stopped on graceful shutdown.
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Projections",
            swiftSettings: strict
        ),
        // The embedded engine: log, domain and projections behind one API.
        .target(
            name: "SmartContent",
            dependencies: [
                "LMDB", "EventLog", "SmartContentDomain", "SmartContentProjections", "CEventLogSupport", "CDeliveryClient",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/SmartContentEngine",
            swiftSettings: strict
        ),
        // For users' tests: an engine on a temporary directory, given/when/then.
        .target(
            name: "SmartContentTesting",
            dependencies: ["SmartContent", "EventLog", "SmartContentDomain", "SmartContentProjections"],
            swiftSettings: strict
        ),
        // The HTTP endpoint: Hummingbird 2 over the embedded engine.
        .target(
            name: "SmartContentServer",
            dependencies: [
                "EventLog", "SmartContentDomain", "SmartContentProjections", "SmartContent",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // Served as /openapi.yaml: data, not a Swift string the compiler must read.
            resources: [.copy("Resources/openapi.yaml")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "smartcontent",
            dependencies: [
                "LMDB",
                "EventLog",
                "SmartContentDomain",
                "SmartContentProjections",
                "SmartContent",
                "SmartContentServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/SmartContentCLI",
            swiftSettings: strict
        ),
        // Appends concurrently and prints every acknowledged event; the crash tests kill it.
        .executableTarget(
            name: "CrashWriter",
            dependencies: ["EventLog"],
            path: "Tests/CrashWriter",
            swiftSettings: strict
        ),
        // Folds projections in small batches; the crash tests kill it.
        .executableTarget(
            name: "ProjectionWorker",
            dependencies: ["EventLog", "SmartContent", "SmartContentProjections"],
            path: "Tests/ProjectionWorker",
            swiftSettings: strict
        ),
        // For every test target: temporary folders and the seeds of randomized tests.
        .target(
            name: "TestSupport",
            path: "Tests/TestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "LMDBTests",
            dependencies: ["LMDB", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "EventLogTests",
            dependencies: ["EventLog", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SmartContentDomainTests",
            dependencies: ["SmartContentDomain", "TestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SmartContentProjectionsTests",
            dependencies: ["SmartContentProjections", "SmartContentDomain", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SmartContentTests",
            dependencies: [
                "SmartContent", "SmartContentTesting", "SmartContentDomain", "SmartContentProjections", "EventLog", "TestSupport",
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                // Verifies webhook signatures independently of the engine's signer.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SmartContentServerTests",
            dependencies: [
                "SmartContentServer", "SmartContent", "SmartContentTesting", "SmartContentDomain", "SmartContentProjections", "EventLog",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                .product(name: "OpenAPIKit30", package: "OpenAPIKit"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        // End-to-end tests: they run the built `smartcontent` and `CrashWriter` executables.
        .testTarget(
            name: "CLITests",
            dependencies: ["LMDB", "EventLog", "SmartContent", "SmartContentProjections", "SmartContentTesting", "smartcontent", "CrashWriter",
                           "ProjectionWorker", "TestSupport"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
