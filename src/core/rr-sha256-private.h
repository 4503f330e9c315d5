/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RR_SHA256_LEN 32

/* SHA-256 on the processor's SHA extensions where it has them, else with
 * GLib; the same digest either way. RR_SHA256_PORTABLE=1 in the environment
 * forces GLib's. */
void     _rr_sha256             (const void *data,
                                 gsize       length,
                                 guint8      digest[RR_SHA256_LEN]);
void     _rr_sha256_hex_into    (const void *data,
                                 gsize       length,
                                 char        hex[RR_SHA256_LEN * 2 + 1]);
/* Always GLib's, for comparison in the tests. */
void     _rr_sha256_portable    (const void *data,
                                 gsize       length,
                                 guint8      digest[RR_SHA256_LEN]);
gboolean _rr_sha256_accelerated (void);

G_END_DECLS
