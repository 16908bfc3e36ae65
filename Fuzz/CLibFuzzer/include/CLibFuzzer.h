#ifndef MEDLEDGER_CLIBFUZZER_H
#define MEDLEDGER_CLIBFUZZER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver, for programs that have a `main` of their own (SwiftPM gives every
/// executable target one, so libFuzzer's `main` cannot be used). Defined by the libFuzzer
/// runtime that `-sanitize=fuzzer` links in.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
