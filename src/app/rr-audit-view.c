/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-audit-view"
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "rr-audit-view.h"

struct _RrAuditView
{
  GtkWidget       parent_instance;

  /* template */
  GtkLabel       *checkpoint_label;
  GtkButton      *copy_button;
  GtkEntry       *from_entry;
  GtkEntry       *to_entry;
  GtkCheckButton *personal_check;
  GtkButton      *export_button;
  GtkButton      *mdto_button;
  GtkLabel       *export_label;
  GtkEntry       *kept_entry;
  GtkButton      *verify_button;
  GtkLabel       *verify_label;
  GtkLabel       *trail_checkpoint_label;
  GtkWidget      *progress_box;
  GtkProgressBar *progress_bar;
  GtkButton      *cancel_button;

  /* owned */
  RrStore        *store;
  char           *login;
  GCancellable   *cancellable;   /* of the running job, NULL when idle */
  guint           pulse_id;
  guint           generation;    /* tells the running job's progress from stale ones */
  gboolean        disposed;
};

G_DEFINE_FINAL_TYPE (RrAuditView, rr_audit_view, GTK_TYPE_WIDGET)

typedef enum {
  JOB_TRAIL,
  JOB_MDTO,
  JOB_VERIFY,
} JobKind;

/* Everything the thread needs, copied: it never touches the view's
 * widgets or the main connection. */
typedef struct {
  JobKind         kind;
  RrAuditView    *view;          /* (unowned: the callback holds a ref) for progress only */
  guint           generation;
  char           *db_path;
  char           *login;
  char           *from;
  char           *to;
  gboolean        with_personal_data;
  char           *output;
  RrCheckpoint   *kept;
  double          last_posted;   /* thread only */
  /* results */
  guint           n_written;
  RrVerifyResult  verify;
} Job;

static void
job_free (Job *job)
{
  g_free (job->db_path);
  g_free (job->login);
  g_free (job->from);
  g_free (job->to);
  g_free (job->output);
  g_clear_pointer (&job->kept, rr_checkpoint_free);
  rr_verify_result_clear (&job->verify);
  g_free (job);
}

static void
show_message (GtkLabel   *label,
              const char *text,
              gboolean    refusal)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_remove_css_class (GTK_WIDGET (label), "rr-refusal");
  gtk_widget_remove_css_class (GTK_WIDGET (label), "rr-success");
  gtk_widget_add_css_class (GTK_WIDGET (label), refusal ? "rr-refusal" : "rr-success");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
}

static char *
entry_text (GtkEntry *entry)
{
  char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

/* Progress, from the worker to the main thread. */

typedef struct {
  RrAuditView *view;   /* (owned) */
  guint        generation;
  double       fraction;
} ProgressMessage;

static gboolean
post_progress_main (gpointer data)
{
  ProgressMessage *message = data;
  RrAuditView *self = message->view;

  if (!self->disposed && self->cancellable != NULL && message->generation == self->generation)
    gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (message->fraction, 0.0, 1.0));
  return G_SOURCE_REMOVE;
}

static void
progress_message_free (gpointer data)
{
  ProgressMessage *message = data;

  /* Runs in the main thread: the last unref of the view may happen here. */
  g_object_unref (message->view);
  g_free (message);
}

static void
on_job_progress (double   fraction,
                 gpointer user_data)
{
  Job *job = user_data;
  ProgressMessage *message;

  /* At most a hundred updates: the main loop is not flooded. */
  if (fraction < 1.0 && fraction - job->last_posted < 0.01)
    return;
  job->last_posted = fraction;
  message = g_new0 (ProgressMessage, 1);
  message->view = g_object_ref (job->view);
  message->generation = job->generation;
  message->fraction = fraction;
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, post_progress_main, message,
                              progress_message_free);
}

/* The worker */

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (job->kind == JOB_VERIFY)
    {
      if (!rr_trail_verify_file (job->output, job->kept, &job->verify, cancellable, &error))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_boolean (task, TRUE);
      return;
    }

  /* Its own connection: one SQLite connection is never shared between threads. */
  store = rr_store_open (job->db_path, RR_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (job->kind == JOB_TRAIL)
    {
      RrTrailOptions options = {
        .from = job->from,
        .to = job->to,
        .with_personal_data = job->with_personal_data,
      };

      if (!rr_trail_export (store, job->login, &options, job->output, on_job_progress, job,
                            cancellable, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  else
    {
      /* The core's MDTO export takes no cancellable: it runs to its end. */
      if (!rr_mdto_export (store, job->login, job->from, job->to, job->output,
                           &job->n_written, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  g_task_return_boolean (task, TRUE);
}

static gboolean
pulse_progress (gpointer data)
{
  RrAuditView *self = data;

  gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

static void
set_busy (RrAuditView *self,
          gboolean     busy,
          gboolean     pulse,
          gboolean     can_cancel)
{
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mdto_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->verify_button), !busy);
  gtk_widget_set_visible (self->progress_box, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), busy && can_cancel);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_progress_bar_set_text (self->progress_bar, NULL);
  if (busy && pulse)
    self->pulse_id = g_timeout_add (100, pulse_progress, self);
}

static void
on_job_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  /* The ref start_job() took: dropped here, in the main thread. */
  g_autoptr(RrAuditView) self = user_data;
  GTask *task = G_TASK (result);
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (task, &error);
  g_autofree char *text = NULL;

  if (self->disposed)
    return;
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE, FALSE, FALSE);

  if (job->kind == JOB_VERIFY)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->trail_checkpoint_label), FALSE);
      if (!ok)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            show_message (self->verify_label, _("The verification was cancelled."), TRUE);
          else
            show_message (self->verify_label, error->message, TRUE);
          return;
        }
      if (job->verify.ok)
        text = g_strdup_printf (ngettext ("ok: %" PRId64 " event, the trail is intact.",
                                          "ok: %" PRId64 " events, the trail is intact.",
                                          (unsigned long) job->verify.n_events),
                                job->verify.n_events);
      else
        text = g_strdup_printf (_("Broken at event %" PRId64 ": %s"),
                                job->verify.first_bad_seq,
                                job->verify.problem != NULL ? job->verify.problem : "");
      show_message (self->verify_label, text, !job->verify.ok);
      if (job->verify.head != NULL)
        {
          g_autofree char *head = rr_checkpoint_format (job->verify.head);
          g_autofree char *line = g_strdup_printf (_("Checkpoint of this trail: %s"), head);

          gtk_label_set_text (self->trail_checkpoint_label, line);
          gtk_widget_set_visible (GTK_WIDGET (self->trail_checkpoint_label), TRUE);
        }
      return;
    }

  /* The export added an event through its own connection. */
  rr_audit_view_reload (self);
  if (!ok)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (self->export_label, _("The export was cancelled; nothing was written."),
                      TRUE);
      else
        show_message (self->export_label, error->message, TRUE);
      return;
    }
  if (job->kind == JOB_TRAIL)
    text = g_strdup_printf (_("The trail was exported to ‘%s’."), job->output);
  else
    text = g_strdup_printf (ngettext ("%u MDTO document was written to ‘%s’.",
                                      "%u MDTO documents were written to ‘%s’.",
                                      job->n_written),
                            job->n_written, job->output);
  show_message (self->export_label, text, FALSE);
}

static void
start_job (RrAuditView *self,
           Job         *job)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (self->cancellable == NULL);
  self->generation++;
  job->view = self;
  job->generation = self->generation;
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE, job->kind != JOB_TRAIL, job->kind != JOB_MDTO);
  /* Not the source object: the worker thread may drop the task's last
   * ref after the callback, and a widget must never die in a thread. */
  task = g_task_new (NULL, self->cancellable, on_job_done, g_object_ref (self));
  g_task_set_source_tag (task, start_job);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, job_thread);
}

static Job *
new_export_job (RrAuditView *self,
                JobKind      kind,
                const char  *output)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->db_path = g_strdup (rr_store_get_path (self->store));
  job->login = g_strdup (self->login);
  job->from = entry_text (self->from_entry);
  job->to = entry_text (self->to_entry);
  job->with_personal_data = gtk_check_button_get_active (self->personal_check);
  job->output = g_strdup (output);
  return job;
}

void
rr_audit_view_export_to (RrAuditView *self,
                         const char  *path)
{
  g_return_if_fail (RR_IS_AUDIT_VIEW (self));
  g_return_if_fail (path != NULL);

  if (self->cancellable != NULL)
    return;
  show_message (self->export_label, NULL, FALSE);
  start_job (self, new_export_job (self, JOB_TRAIL, path));
}

void
rr_audit_view_export_mdto_to (RrAuditView *self,
                              const char  *folder)
{
  g_return_if_fail (RR_IS_AUDIT_VIEW (self));
  g_return_if_fail (folder != NULL);

  if (self->cancellable != NULL)
    return;
  show_message (self->export_label, NULL, FALSE);
  start_job (self, new_export_job (self, JOB_MDTO, folder));
}

void
rr_audit_view_verify_file (RrAuditView *self,
                           const char  *path)
{
  g_autofree char *kept_text = NULL;
  g_autoptr(RrCheckpoint) kept = NULL;
  g_autoptr(GError) error = NULL;
  Job *job;

  g_return_if_fail (RR_IS_AUDIT_VIEW (self));
  g_return_if_fail (path != NULL);

  if (self->cancellable != NULL)
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->trail_checkpoint_label), FALSE);
  kept_text = entry_text (self->kept_entry);
  if (kept_text != NULL)
    {
      kept = rr_checkpoint_parse (kept_text, &error);
      if (kept == NULL)
        {
          show_message (self->verify_label, error->message, TRUE);
          gtk_widget_grab_focus (GTK_WIDGET (self->kept_entry));
          return;
        }
    }
  show_message (self->verify_label, NULL, FALSE);
  job = g_new0 (Job, 1);
  job->kind = JOB_VERIFY;
  job->output = g_strdup (path);
  job->kept = g_steal_pointer (&kept);
  start_job (self, job);
}

gboolean
rr_audit_view_is_busy (RrAuditView *self)
{
  g_return_val_if_fail (RR_IS_AUDIT_VIEW (self), FALSE);
  return self->cancellable != NULL;
}

/* The file choosers (GTK 4.8: GtkFileChooserNative). */

typedef void (*ChosenFunc) (RrAuditView *self, const char *path);

static void
on_chooser_response (GtkNativeDialog *native,
                     int              response,
                     gpointer         user_data)
{
  RrAuditView *self = user_data;
  ChosenFunc func = g_object_get_data (G_OBJECT (native), "rr-chosen-func");

  if (response == GTK_RESPONSE_ACCEPT && !self->disposed)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        func (self, path);
    }
  gtk_native_dialog_destroy (native);
  g_object_unref (native);
  g_object_unref (self);
}

static void
choose (RrAuditView          *self,
        const char           *title,
        GtkFileChooserAction  action,
        const char           *accept,
        const char           *current_name,
        ChosenFunc            func)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *native;

  native = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        action, accept, _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  if (current_name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), current_name);
  g_object_set_data (G_OBJECT (native), "rr-chosen-func", func);
  g_signal_connect (native, "response", G_CALLBACK (on_chooser_response),
                    g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
on_export_clicked (RrAuditView *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  /* A file name, not shown as a sentence: not translated. */
  g_autofree char *name = g_strdup_printf ("trail-%s.xml", date);

  choose (self, _("Export the Trail"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), name,
          rr_audit_view_export_to);
}

static void
on_mdto_clicked (RrAuditView *self)
{
  choose (self, _("Choose a Folder for the MDTO Export"), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
          _("_Export"), NULL, rr_audit_view_export_mdto_to);
}

static void
on_verify_clicked (RrAuditView *self)
{
  g_autofree char *kept_text = entry_text (self->kept_entry);

  /* A malformed checkpoint is said at once, before choosing a file. */
  if (kept_text != NULL)
    {
      g_autoptr(RrCheckpoint) kept = NULL;
      g_autoptr(GError) error = NULL;

      kept = rr_checkpoint_parse (kept_text, &error);
      if (kept == NULL)
        {
          show_message (self->verify_label, error->message, TRUE);
          gtk_widget_grab_focus (GTK_WIDGET (self->kept_entry));
          return;
        }
    }
  choose (self, _("Choose a Trail to Verify"), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Verify"), NULL,
          rr_audit_view_verify_file);
}

static void
on_cancel_clicked (RrAuditView *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
on_copy_clicked (RrAuditView *self)
{
  const char *text = gtk_label_get_text (self->checkpoint_label);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
}

void
rr_audit_view_reload (RrAuditView *self)
{
  g_autoptr(RrCheckpoint) checkpoint = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (RR_IS_AUDIT_VIEW (self));

  checkpoint = rr_ledger_checkpoint (self->store, &error);
  if (checkpoint == NULL)
    {
      gtk_label_set_text (self->checkpoint_label,
                          error != NULL ? error->message : _("The ledger is empty."));
      gtk_widget_set_sensitive (GTK_WIDGET (self->copy_button), FALSE);
      return;
    }
  text = rr_checkpoint_format (checkpoint);
  gtk_label_set_text (self->checkpoint_label, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->copy_button), TRUE);
}

static void
rr_audit_view_dispose (GObject *object)
{
  RrAuditView *self = RR_AUDIT_VIEW (object);
  GtkWidget *child;

  /* A running job ends on its own; its result is then dropped. */
  self->disposed = TRUE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), RR_TYPE_AUDIT_VIEW);
  /* 4.8 unparents only the children bound by name; the rest go here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (rr_audit_view_parent_class)->dispose (object);
}

static void
rr_audit_view_finalize (GObject *object)
{
  RrAuditView *self = RR_AUDIT_VIEW (object);

  g_free (self->login);
  G_OBJECT_CLASS (rr_audit_view_parent_class)->finalize (object);
}

static void
rr_audit_view_class_init (RrAuditViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rr_audit_view_dispose;
  object_class->finalize = rr_audit_view_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/regelruimte/Regelruimte/ui/rr-audit-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, RrAuditView, checkpoint_label);
  gtk_widget_class_bind_template_child (widget_class, RrAuditView, copy_button);
  gtk_widget_class_bind_template_child (widget_class, RrAuditView, from_entry);
  gtk_widget_class_bind_template_child (widget_class, RrAuditView, to_entry);
  gtk_widget_class_bind_template_child (widget_class, RrAuditView, personal_check);
  gtk_widget_class_bind_template_child (widget_class, RrAuditView, export_button);
  gtk_widget_class_bind_template_child (widget_class, RrAuditView, mdto_button);
  gtk_widget_class_bind_template_child (widget_class, RrAuditView, export_label);
  gtk_widget_class_bind_template_child (widget_class, RrAuditView, kept_entry);
  gtk_widget_class_bind_template_child (widget_class, RrAuditView, verify_button);
  gtk_widget_class_bind_template_child (widget_class, RrAuditView, verify_label);
  gtk_widget_class_bind_template_child (widget_class, RrAuditView, trail_checkpoint_label);
  gtk_widget_class_bind_template_child (widget_class, RrAuditView, progress_box);
  gtk_widget_class_bind_template_child (widget_class, RrAuditView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, RrAuditView, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_mdto_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_verify_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
}

static void
rr_audit_view_init (RrAuditView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
rr_audit_view_new (RrStore    *store,
                   const char *login)
{
  RrAuditView *self;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);
  g_return_val_if_fail (login != NULL, NULL);

  self = g_object_new (RR_TYPE_AUDIT_VIEW, NULL);
  self->store = g_object_ref (store);
  self->login = g_strdup (login);
  /* Every change in this connection adds to the ledger. */
  g_signal_connect_swapped (store, "changed", G_CALLBACK (rr_audit_view_reload), self);
  rr_audit_view_reload (self);
  return GTK_WIDGET (self);
}
