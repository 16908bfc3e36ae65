import Foundation
import MedLedgerNode
let dir = DataDirectory(path: "/tmp/demo-debug")
_ = try await DemoStory(directory: dir, say: { print($0) }).run()
