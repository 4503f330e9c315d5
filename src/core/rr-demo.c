/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-demo"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "rr-demo.h"
#include "rr-error.h"

gboolean
rr_demo_generate (RrStore        *store,
                  guint           n_decisions,
                  guint64         seed,
                  RrProgressFunc  progress,
                  gpointer        user_data,
                  GCancellable   *cancellable,
                  GError        **error)
{
  g_set_error (error, RR_ERROR, RR_ERROR_INVALID, "demo generator pending");
  return FALSE;
}
