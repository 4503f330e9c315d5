/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RR_ERROR (rr_error_quark ())

/**
 * RrError:
 * @RR_ERROR_INVALID: the input is incomplete or malformed
 * @RR_ERROR_NOT_FOUND: a named client, rule, user or decision does not exist
 * @RR_ERROR_PERMISSION: the acting user lacks the role for this command
 * @RR_ERROR_FOUR_EYES: the acting user may not review their own work
 * @RR_ERROR_IMMUTABLE: a recorded item cannot be changed in place
 * @RR_ERROR_CONFLICT: the item exists already or is in the wrong state
 * @RR_ERROR_XML: an XML document was refused
 *
 * Refusals by the core. Every message is a full, translated sentence.
 */
typedef enum {
  RR_ERROR_INVALID,
  RR_ERROR_NOT_FOUND,
  RR_ERROR_PERMISSION,
  RR_ERROR_FOUR_EYES,
  RR_ERROR_IMMUTABLE,
  RR_ERROR_CONFLICT,
  RR_ERROR_XML,
} RrError;

GQuark rr_error_quark (void);

G_END_DECLS
