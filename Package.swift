// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "blogstats",
    products: [
        .executable(name: "blogstats", targets: ["blogstats"])
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(
            name: "CMicroHTTPD", pkgConfig: "libmicrohttpd",
            providers: [.apt(["libmicrohttpd-dev"])]),
        .systemLibrary(
            name: "CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),

        // glibc allocator tuning for the executable (no library: it is libc).
        .systemLibrary(name: "CMalloc"),

        .target(name: "BlogStatsCore", dependencies: ["CZlib"]),
        .target(name: "BlogStatsSQLite", dependencies: ["CSQLite"]),
        .target(name: "BlogStatsStore", dependencies: ["BlogStatsCore", "BlogStatsSQLite"]),
        .target(name: "BlogStatsHTTP", dependencies: ["CMicroHTTPD"]),
        .target(name: "BlogStatsWeb", dependencies: ["BlogStatsCore", "BlogStatsStore"]),
        .target(
            name: "BlogStatsServer",
            dependencies: ["BlogStatsCore", "BlogStatsStore", "BlogStatsHTTP", "BlogStatsWeb"]),
        .target(name: "BlogStatsCollector", dependencies: ["BlogStatsCore", "BlogStatsSQLite"]),
        .target(name: "BlogStatsImport", dependencies: ["BlogStatsCore", "BlogStatsStore"]),
        .executableTarget(
            name: "blogstats",
            dependencies: [
                "BlogStatsCore", "BlogStatsStore", "BlogStatsHTTP", "BlogStatsServer", "BlogStatsCollector", "BlogStatsImport",
                "CMalloc",
            ],
            // Linked statically (make build), FoundationNetworking needs libcurl named here.
            linkerSettings: [.linkedLibrary("curl")]),

        // `make bench`: a year of synthetic history written straight into a store, then queried.
        .executableTarget(
            name: "blogstats-query-bench", dependencies: ["BlogStatsCore", "BlogStatsStore", "BlogStatsSQLite"],
            path: "bench/QueryBench"),

        .testTarget(name: "BlogStatsCoreTests", dependencies: ["BlogStatsCore"]),
        .testTarget(name: "BlogStatsStoreTests", dependencies: ["BlogStatsStore", "BlogStatsCore", "BlogStatsSQLite"]),
        .testTarget(name: "BlogStatsHTTPTests", dependencies: ["BlogStatsHTTP"]),
        .testTarget(name: "BlogStatsWebTests", dependencies: ["BlogStatsWeb", "BlogStatsCore", "BlogStatsStore"]),
        .testTarget(
            name: "BlogStatsCollectorTests",
            dependencies: ["BlogStatsCollector", "BlogStatsCore", "BlogStatsSQLite", "blogstats"]),
        .testTarget(
            name: "BlogStatsImportTests", dependencies: ["BlogStatsImport", "BlogStatsCore", "BlogStatsStore"]),
        .testTarget(name: "EndToEndTests", dependencies: ["BlogStatsCore", "blogstats"]),
    ]
)

// One place for the settings every target shares (the style of swift-log).
for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(contentsOf: [
        .swiftLanguageMode(.v6),
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("InternalImportsByDefault"),
        .enableUpcomingFeature("MemberImportVisibility"),
    ])
    target.swiftSettings = settings
}
