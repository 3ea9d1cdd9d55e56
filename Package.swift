// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "ansinh",
    products: [
        .executable(name: "ansinh", targets: ["ansinh"]),
        .library(name: "AnSinhCore", targets: ["AnSinhCore"]),
    ],
    dependencies: [
        // Property-based tests of the kernels (Tests/AnSinhCoreTests/KernelPropertyTests.swift).
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // libedit, through a module map and non-variadic C wrappers (see Sources/CEditLine/shim.h).
        .systemLibrary(
            name: "CEditLine",
            path: "Sources/CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // Language, engine, dataset and renderers. No terminal code and no printing.
        .target(
            name: "AnSinhCore",
            // Exclusivity is enforced at compile time; the run-time checks cost a third of the
            // CSV loader's instructions (PERFORMANCE.md §7) and guard nothing the compiler misses
            // in this code, so release builds leave them out.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))],
            plugins: ["EmbedDatasetPlugin"]
        ),
        // The shell: command line, REPL (libedit when stdin and stdout are terminals), exit codes.
        .executableTarget(
            name: "ansinh",
            dependencies: ["AnSinhCore", "CEditLine"]
        ),
        // Build-time tool: turns datasets/*.csv into Swift string literals, so the binary carries its data.
        .executableTarget(name: "EmbedDataset", path: "Sources/EmbedDataset"),
        .plugin(
            name: "EmbedDatasetPlugin",
            capability: .buildTool(),
            dependencies: ["EmbedDataset"],
            path: "Plugins/EmbedDatasetPlugin"
        ),
        // Cases/ holds the language cases, Fixtures/ the sample exports (files read at test time by path, not resources).
        .testTarget(
            name: "AnSinhCoreTests",
            dependencies: ["AnSinhCore", .product(name: "PropertyBased", package: "swift-property-based")],
            exclude: ["Cases", "Fixtures"]
        ),
    ]
)
