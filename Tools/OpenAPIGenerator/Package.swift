// swift-tools-version:6.2
import PackageDescription

// Builds swift-openapi-generator's command-line tool, which `scripts/openapi.sh` runs to turn
// `Sources/MedLedgerHTTPInterface/openapi.json` into the committed server and client code.
// A package of its own so that the main build never compiles the generator (see
// docs/adr/0008-generated-http-interface.md).
let package = Package(
    name: "OpenAPIGenerator",
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-generator.git", exact: "1.14.3")
    ]
)
