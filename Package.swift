// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "sapro",
    products: [
        .executable(name: "sapro", targets: ["sapro"]),
        .library(name: "SaproCore", targets: ["SaproCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        .systemLibrary(
            name: "CMarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(
            name: "SaproCore",
            dependencies: ["CMarkGFM", "CSQLite", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .target(
            name: "SaproCLI",
            dependencies: [
                "SaproCore",
                "CEditLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "sapro",
            dependencies: ["SaproCLI"]
        ),
        .testTarget(
            name: "SaproCoreTests",
            dependencies: ["SaproCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "SaproCLITests",
            dependencies: ["SaproCLI", "SaproCore"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["SaproCore"],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
