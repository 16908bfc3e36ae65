import CLibFuzzer
import Foundation

// libFuzzer's driver runs `fuzzFHIRBody` on every input (see FuzzAPIBody/main.swift).
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzFHIRBody(data, size) })
