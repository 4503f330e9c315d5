/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A BSN is nine digits that pass the elfproef:
 * 9·d1 + 8·d2 + … + 2·d8 − 1·d9 ≡ 0 (mod 11), and not all zeros.
 * Eight-digit numbers are read with a leading zero, as the registry does.
 * Spaces, dots and hyphens between digits are ignored. */
gboolean  rr_bsn_is_valid   (const char *text);
/* Returns the nine-digit form, or NULL when @text is not a valid BSN. */
char     *rr_bsn_normalise  (const char *text);

G_END_DECLS
