import CLibFuzzer
import Foundation

// libFuzzer's driver runs `fuzzRequestAuth` (the LLVMFuzzerTestOneInput of this target) on
// every input; it reads libFuzzer's usual command-line flags. (A closure, not the function
// itself: referring to an @_cdecl function as a C pointer from another file emits its C
// symbol twice.)
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzRequestAuth(data, size) })
