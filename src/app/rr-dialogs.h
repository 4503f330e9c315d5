/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* GTK 4.8 has no GtkAlertDialog or GtkFileDialog: these wrappers are the one
 * place a later port has to touch. */
typedef void (*RrChooseFunc) (const char *path, gpointer user_data);

void rr_dialogs_show_error     (GtkWindow    *parent,
                                const char   *primary,
                                const GError *error);
/* Shows why a database could not be opened and offers to choose another
 * file; @func gets the chosen path, or NULL when the person gives up. */
void rr_dialogs_database_error (GtkWindow    *parent,
                                const char   *path,
                                const GError *error,
                                RrChooseFunc  func,
                                gpointer      user_data);
void rr_dialogs_choose_database (GtkWindow   *parent,
                                 RrChooseFunc func,
                                 gpointer     user_data);

G_END_DECLS
