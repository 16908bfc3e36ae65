import Foundation

let root = ProcessInfo.processInfo.environment["MEDLEDGER_ROOT"] ?? FileManager.default.currentDirectoryPath
writeSeeds(root: URL(fileURLWithPath: root))
