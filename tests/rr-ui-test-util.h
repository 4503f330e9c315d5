/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Helpers for the UI tests: run the main loop, find template children,
 * put a widget in a shown window. */

#include <gtk/gtk.h>

#include "rr-test-util.h"

static inline void
rr_ui_pump (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
rr_ui_wait_done (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static inline void
rr_ui_wait (guint milliseconds)
{
  gboolean done = FALSE;

  g_timeout_add (milliseconds, rr_ui_wait_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static inline gpointer
rr_ui_child (gpointer    widget,
             GType       type,
             const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (child);
  return child;
}

static inline GtkWindow *
rr_ui_show (GtkWidget *widget)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, 1200, 760);
  gtk_window_set_child (window, widget);
  gtk_window_present (window);
  rr_ui_pump ();
  return window;
}

static inline void
rr_ui_set_text_view (gpointer    view,
                     const char *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
}

static inline char *
rr_ui_get_text_view (gpointer view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* The position of @code in a vocabulary, as the editor's drop-downs list it. */
static inline guint
rr_ui_vocab_index (RrStore    *store,
                   RrVocab     vocab,
                   const char *code)
{
  g_autoptr(GPtrArray) terms = rr_vocab_list (store, vocab, NULL);

  for (guint i = 0; i < terms->len; i++)
    if (g_strcmp0 (((RrTerm *) g_ptr_array_index (terms, i))->code, code) == 0)
      return i;
  g_assert_not_reached ();
  return 0;
}

static inline void
rr_ui_init (int    *argc,
            char ***argv)
{
  setlocale (LC_ALL, "");
  rr_core_init_i18n ();
  textdomain (GETTEXT_PACKAGE);
  gtk_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
}
