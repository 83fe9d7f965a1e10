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

        // libcurl's headers only: CCurlLoader opens libcurl.so.4 at run time (dlopen), so the
        // executable does not link it and maps none of it until the first HTTP request.
        .target(name: "CCurlLoader", linkerSettings: [.linkedLibrary("dl")]),
        // A VFS that reads a read-only database scan a window at a time (`blogstats push`).
        .target(name: "CSQLiteReadAhead", dependencies: ["CSQLite"]),
        // The store's sealed sample blocks: the varint codec and the SQL functions that read it.
        .target(name: "CSampleBlocks", dependencies: ["CSQLite"]),

        .target(name: "BlogStatsCore", dependencies: ["CZlib"]),
        .target(name: "BlogStatsSQLite", dependencies: ["CSQLite"]),
        .target(name: "BlogStatsStore", dependencies: ["BlogStatsCore", "BlogStatsSQLite", "CSampleBlocks"]),
        .target(name: "BlogStatsHTTP", dependencies: ["CMicroHTTPD"]),
        .target(name: "BlogStatsWeb", dependencies: ["BlogStatsCore", "BlogStatsStore"]),
        .target(name: "BlogStatsMirror", dependencies: ["BlogStatsCore", "BlogStatsStore", "BlogStatsHTTPClient"]),
        .target(
            name: "BlogStatsServer",
            dependencies: ["BlogStatsCore", "BlogStatsStore", "BlogStatsHTTP", "BlogStatsWeb", "BlogStatsMirror"]),
        .target(name: "BlogStatsHTTPClient", dependencies: ["CCurlLoader"]),
        .target(
            name: "BlogStatsCollector",
            dependencies: ["BlogStatsCore", "BlogStatsSQLite", "BlogStatsHTTPClient", "CSQLiteReadAhead"]),
        .target(name: "BlogStatsImport", dependencies: ["BlogStatsCore", "BlogStatsStore", "BlogStatsHTTPClient"]),
        .executableTarget(
            name: "blogstats",
            dependencies: [
                "BlogStatsCore", "BlogStatsStore", "BlogStatsHTTP", "BlogStatsServer", "BlogStatsCollector",
                "BlogStatsHTTPClient", "BlogStatsMirror", "BlogStatsImport", "CMalloc",
            ],
            // Release: lld packs the ~70,000 relative relocations of the static Swift runtime and
            // Foundation into a few KB (DT_RELR, glibc 2.36+) instead of a 1.7 MB table that every
            // process maps at start: 2-3 MB less RSS for `serve` and `push`, still position-independent.
            linkerSettings: [
                .unsafeFlags(
                    ["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"],
                    .when(platforms: [.linux], configuration: .release))
            ]),

        // `make bench`: a year of synthetic history written straight into a store, then queried.
        .executableTarget(
            name: "blogstats-query-bench", dependencies: ["BlogStatsCore", "BlogStatsStore", "BlogStatsSQLite"],
            path: "bench/QueryBench"),

        .testTarget(name: "BlogStatsCoreTests", dependencies: ["BlogStatsCore"]),
        .testTarget(name: "BlogStatsStoreTests", dependencies: ["BlogStatsStore", "BlogStatsCore", "BlogStatsSQLite"]),
        .testTarget(name: "BlogStatsHTTPTests", dependencies: ["BlogStatsHTTP"]),
        .testTarget(
            name: "BlogStatsHTTPClientTests", dependencies: ["BlogStatsHTTPClient", "BlogStatsHTTP", "BlogStatsCore"]),
        .testTarget(
            name: "BlogStatsMirrorTests", dependencies: ["BlogStatsMirror", "BlogStatsStore", "BlogStatsCore"]),
        .testTarget(name: "BlogStatsWebTests", dependencies: ["BlogStatsWeb", "BlogStatsCore", "BlogStatsStore"]),
        .testTarget(
            name: "BlogStatsCollectorTests",
            dependencies: ["BlogStatsCollector", "BlogStatsCore", "BlogStatsSQLite", "blogstats"]),
        .testTarget(
            name: "BlogStatsImportTests", dependencies: ["BlogStatsImport", "BlogStatsCore", "BlogStatsStore"]),
        .testTarget(name: "EndToEndTests", dependencies: ["BlogStatsCore", "BlogStatsHTTP", "blogstats"]),
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
