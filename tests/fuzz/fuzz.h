/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Each harness defines the libFuzzer entry point; fuzz-replay.c runs it
 * over saved inputs in the unit suite, without clang. */
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);
