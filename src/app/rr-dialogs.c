/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-dialogs"
#include "config.h"

#include <glib/gi18n.h>

#include "rr-core.h"
#include "rr-dialogs.h"

typedef struct {
  RrChooseFunc func;
  gpointer     user_data;
  GtkWindow   *parent;
} Choice;

static void
on_error_response (GtkDialog *dialog,
                   int        response,
                   gpointer   user_data)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
}

void
rr_dialogs_show_error (GtkWindow    *parent,
                       const char   *primary,
                       const GError *error)
{
  GtkWidget *dialog;

  dialog = gtk_message_dialog_new (parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE, "%s", primary);
  if (error != NULL)
    gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", error->message);
  g_signal_connect (dialog, "response", G_CALLBACK (on_error_response), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_chooser_response (GtkNativeDialog *native,
                     int              response,
                     gpointer         user_data)
{
  Choice *choice = user_data;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

      if (file != NULL)
        path = g_file_get_path (file);
    }
  choice->func (path, choice->user_data);
  g_object_unref (native);
  g_free (choice);
}

void
rr_dialogs_choose_database (GtkWindow   *parent,
                            RrChooseFunc func,
                            gpointer     user_data)
{
  GtkFileChooserNative *native;
  Choice *choice = g_new0 (Choice, 1);

  choice->func = func;
  choice->user_data = user_data;
  /* SAVE lets the person name a new file as well as pick an existing one. */
  native = gtk_file_chooser_native_new (_("Choose a Database"), parent,
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Open"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), "regelruimte.db");
  g_signal_connect (native, "response", G_CALLBACK (on_chooser_response), choice);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

enum {
  RESPONSE_CHOOSE = 1,
};

static void
on_database_error_response (GtkDialog *dialog,
                            int        response,
                            gpointer   user_data)
{
  Choice *choice = user_data;

  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response == RESPONSE_CHOOSE)
    rr_dialogs_choose_database (choice->parent, choice->func, choice->user_data);
  else
    choice->func (NULL, choice->user_data);
  g_free (choice);
}

static const char *
primary_for_error (const GError *error)
{
  if (error != NULL && error->domain == RR_STORE_ERROR)
    switch ((RrStoreError) error->code)
      {
      case RR_STORE_ERROR_BUSY:
        return _("The database is in use");
      case RR_STORE_ERROR_CORRUPT:
        return _("The database is damaged");
      case RR_STORE_ERROR_FULL:
        return _("The disk is full");
      case RR_STORE_ERROR_READ_ONLY:
        return _("The database cannot be written to");
      case RR_STORE_ERROR_NOT_OURS:
        return _("This is not a Regelruimte database");
      case RR_STORE_ERROR_TOO_NEW:
        return _("The database is from a newer Regelruimte");
      case RR_STORE_ERROR_NOT_FOUND:
        return _("The database was not found");
      case RR_STORE_ERROR_NO_MEMORY:
        return _("Not enough memory");
      case RR_STORE_ERROR_FAILED:
      case RR_STORE_ERROR_NOT_INITIALISED:
      case RR_STORE_ERROR_EXISTS:
      default:
        break;
      }
  return _("The database could not be opened");
}

void
rr_dialogs_database_error (GtkWindow    *parent,
                           const char   *path,
                           const GError *error,
                           RrChooseFunc  func,
                           gpointer      user_data)
{
  GtkWidget *dialog;
  Choice *choice = g_new0 (Choice, 1);

  choice->func = func;
  choice->user_data = user_data;
  choice->parent = parent;
  dialog = gtk_message_dialog_new (parent, GTK_DIALOG_MODAL, GTK_MESSAGE_ERROR, GTK_BUTTONS_NONE,
                                   "%s", primary_for_error (error));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s",
                                            error != NULL ? error->message : path);
  gtk_dialog_add_buttons (GTK_DIALOG (dialog),
                          _("_Quit"), GTK_RESPONSE_CLOSE,
                          _("_Choose Another File…"), RESPONSE_CHOOSE,
                          NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), RESPONSE_CHOOSE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_database_error_response), choice);
  gtk_window_present (GTK_WINDOW (dialog));
}
