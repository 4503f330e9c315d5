/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

/* The libFuzzer entry point; also driven by replay.c in normal builds. */
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
