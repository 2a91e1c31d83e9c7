// swift-tools-version:6.1
// Benchmarks live in their own package so the main build and CI never compile the
// benchmark framework. Run from this folder: swift package benchmark
import Foundation
import PackageDescription

/// SwiftPM names a path dependency after its directory, whatever the clone is called.
let smartContent = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

let package = Package(
    name: "SmartContentBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "LogBenchmarks",
            dependencies: [
                .product(name: "EventLog", package: smartContent),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/LogBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "EngineBenchmarks",
            dependencies: [
                .product(name: "SmartContent", package: smartContent),
                .product(name: "SmartContentTesting", package: smartContent),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/EngineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // A load test, not a microbenchmark: deliveries to a receiver on loopback, checked.
        .executableTarget(
            name: "DeliveryLoad",
            dependencies: [
                .product(name: "SmartContent", package: smartContent),
                .product(name: "SmartContentTesting", package: smartContent),
            ],
            path: "Benchmarks/DeliveryLoad"
        ),
    ]
)
