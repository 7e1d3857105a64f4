// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "GenomeGate",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "genomegate", targets: ["genomegate"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.20.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
    ],
    targets: [
        // System OpenSSL 3 (libssl-dev), found through pkg-config.
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        // Functions for the OpenSSL macros Swift cannot import.
        .target(name: "COpenSSLShim", dependencies: ["COpenSSL"]),
        // Identifiers, shared value types and error codes used by every module.
        .target(name: "GatewayCore", swiftSettings: strict),
        // TLS termination on OpenSSL: context, NIO handler, peer identity, reload.
        .target(
            name: "GatewayTLS",
            dependencies: [
                "COpenSSL", "COpenSSLShim", "GatewayCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // System htslib (libhts-dev) for VCF/BCF, and functions for its macros.
        .systemLibrary(name: "CHTSlib", pkgConfig: "htslib", providers: [.apt(["libhts-dev"])]),
        .target(name: "CHTSlibShim", dependencies: ["CHTSlib"]),
        // Sample registry, VCF/BCF ingest (htslib), per-allele sample bitsets in SQLite, queries;
        // OpenSSL for the SHA-256 that recognises a file ingested before.
        .target(
            name: "VariantStore",
            dependencies: ["GatewayCore", "CHTSlib", "CHTSlibShim", "COpenSSL", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        // Deterministic synthetic cohorts (VCF + sample sheet) for demos, tests and benchmarks.
        .target(name: "DemoCohort", dependencies: ["GatewayCore"], swiftSettings: strict),
        // Pure output checks: small-cell suppression, complementary suppression, minimums.
        .target(name: "DisclosureControl", dependencies: ["GatewayCore"], swiftSettings: strict),
        // The disclosure ledger: what each approval and member has been told, budgets, the
        // differencing (partition) rule; durable in an append-only file (GRDB only imports the
        // SQLite store of earlier builds).
        .target(
            name: "PrivacyLedger",
            dependencies: ["GatewayCore", "VariantStore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        // The visiting analysis environment (README "Visiting analyses"): vetted analyses run
        // inside the gateway; only airlock-checked output leaves.
        .target(
            name: "VisitingAnalyses",
            dependencies: [
                "GatewayCore", "VariantStore", "DisclosureControl", "PrivacyLedger", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // The web console's pages: templates, languages and the headers every page carries.
        .target(
            name: "WebConsole",
            dependencies: ["GatewayCore", .product(name: "Mustache", package: "swift-mustache")],
            swiftSettings: strict
        ),
        // Pure policy decisions and the member model.
        .target(name: "GatewayPolicy", dependencies: ["GatewayCore"], swiftSettings: strict),
        // The policy database (SQLite: versions, history, snapshots) and its YAML/CSV import.
        .target(
            name: "PolicyStore",
            dependencies: [
                "GatewayPolicy", "GatewayCore",
                .product(name: "Yams", package: "Yams"), .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        // The audit log: records, hash chain, signed checkpoints, group-commit writer, export, verify.
        .target(
            name: "AuditLog",
            dependencies: ["GatewayCore", "COpenSSL", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        // Operations: Prometheus metrics, the health checks, the JSON log format and the
        // plain-HTTP listener that serves /metrics, /healthz and /readyz.
        .target(
            name: "GatewayOperations",
            dependencies: [
                "GatewayCore",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // Routes, request context, the request pipeline and the services.
        .target(
            name: "GatewayServer",
            dependencies: [
                "GatewayCore", "GatewayTLS", "GatewayPolicy", "PolicyStore", "VariantStore", "DisclosureControl", "PrivacyLedger", "AuditLog", "COpenSSL",
                "VisitingAnalyses", "WebConsole", "GatewayOperations",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "genomegate",
            dependencies: [
                "GatewayServer", "GatewayCore", "GatewayPolicy", "PolicyStore", "AuditLog", "DemoCohort", "VariantStore", "PrivacyLedger", "VisitingAnalyses",
                "GatewayOperations",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Test support: a blocking OpenSSL client, subprocess helpers, dev certificates.
        .target(
            name: "GatewayTestSupport",
            dependencies: ["COpenSSL", "COpenSSLShim"],
            path: "Tests/GatewayTestSupport",
            swiftSettings: strict
        ),
        // libFuzzer targets for every parser (scripts/fuzz builds it with -sanitize=fuzzer);
        // a plain build replays inputs: `GatewayFuzz TARGET FILE...`. Not a product.
        .executableTarget(
            name: "GatewayFuzz",
            dependencies: [
                "GatewayServer", "GatewayCore", "GatewayPolicy", "PolicyStore", "VariantStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Tests/GatewayFuzz",
            exclude: ["Corpus"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "GatewayCoreTests",
            dependencies: ["GatewayCore"]
        ),
        .testTarget(
            name: "GatewayTLSTests",
            dependencies: ["GatewayTLS", "GatewayTestSupport"]
        ),
        .testTarget(
            name: "VariantStoreTests",
            dependencies: ["VariantStore", "GatewayTestSupport"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "DemoCohortTests",
            dependencies: ["DemoCohort", "GatewayTestSupport"]
        ),
        .testTarget(
            name: "DisclosureControlTests",
            dependencies: ["DisclosureControl", "GatewayCore"]
        ),
        .testTarget(name: "WebConsoleTests", dependencies: ["WebConsole", "GatewayCore"]),
        .testTarget(
            name: "VisitingAnalysesTests",
            dependencies: [
                "VisitingAnalyses", "VariantStore", "DisclosureControl", "PrivacyLedger", "GatewayCore", "GatewayPolicy",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["scipy-reference.py", "scipy-agreement.py"]
        ),
        .testTarget(
            name: "PrivacyLedgerTests",
            dependencies: ["PrivacyLedger", "VariantStore", "GatewayCore", "GatewayTestSupport"]
        ),
        .testTarget(
            name: "GatewayPolicyTests",
            dependencies: ["GatewayPolicy", "PolicyStore"]
        ),
        .testTarget(
            name: "AuditLogTests",
            dependencies: [
                "AuditLog", "GatewayCore", "GatewayTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "PolicyStoreTests",
            dependencies: ["PolicyStore", "GatewayPolicy", "GatewayCore", "GatewayTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "GatewayServerTests",
            dependencies: [
                "GatewayServer", "GatewayTestSupport", "genomegate", "DisclosureControl", "VariantStore", "GatewayPolicy", "PolicyStore", "AuditLog", "VisitingAnalyses",
                "GatewayOperations",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Browser"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "GatewayOperationsTests",
            dependencies: [
                "GatewayOperations", "GatewayTestSupport",
                .product(name: "Logging", package: "swift-log"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ]
)
