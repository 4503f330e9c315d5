/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-window"
#include "config.h"

#include <glib/gi18n.h>

#include "rr-admin-view.h"
#include "rr-audit-view.h"
#include "rr-caseload-view.h"
#include "rr-decision-editor.h"
#include "rr-dialogs.h"
#include "rr-followup-view.h"
#include "rr-log-view.h"
#include "rr-reflections-view.h"
#include "rr-reports-view.h"
#include "rr-review-view.h"
#include "rr-rules-view.h"
#include "rr-window.h"

struct _RrWindow
{
  GtkApplicationWindow  parent_instance;

  /* template */
  GtkLabel             *user_label;
  GtkStack             *stack;
  GtkStackSidebar      *sidebar;

  /* owned */
  RrStore              *store;
  char                 *login;
  GSettings            *settings;
  GCancellable         *check;   /* the quick check of the file, while it runs */
};

G_DEFINE_FINAL_TYPE (RrWindow, rr_window, GTK_TYPE_APPLICATION_WINDOW)

static GSettings *
new_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* Uninstalled runs without the schema still work, with defaults. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    return NULL;
  return g_settings_new (APPLICATION_ID);
}

static void
add_page (RrWindow   *self,
          GtkWidget  *page,
          const char *name,
          const char *title)
{
  gtk_stack_add_titled (self->stack, page, name, title);
}

static void
on_new_version (RrLogView  *log,
                const char *number,
                RrWindow   *self)
{
  GtkWidget *editor = gtk_stack_get_child_by_name (self->stack, "record");
  g_autoptr(GError) error = NULL;

  if (editor == NULL)
    return;
  if (!rr_decision_editor_start_new_version (RR_DECISION_EDITOR (editor), number, &error))
    {
      rr_dialogs_show_error (GTK_WINDOW (self), _("The decision could not be opened"), error);
      return;
    }
  rr_window_show_view (self, "record");
}

/* Views other than the editor are made the first time they are shown or
 * asked for: each reads its data when it is made, and the window's first
 * frame should wait only for the view it shows (DESIGN §8). Until then the
 * stack holds an empty box for it, so the sidebar lists it. */
typedef GtkWidget *(*ViewNewFunc) (RrWindow *self);

static GtkWidget *
new_log (RrWindow *self)
{
  GtkWidget *log = rr_log_view_new (self->store, self->login);

  g_signal_connect_object (log, "new-version", G_CALLBACK (on_new_version), self, 0);
  return log;
}

static GtkWidget *
new_review (RrWindow *self)
{
  return rr_review_view_new (self->store, self->login);
}

static GtkWidget *
new_followup (RrWindow *self)
{
  return rr_followup_view_new (self->store, self->login);
}

static GtkWidget *
new_caseload (RrWindow *self)
{
  return rr_caseload_view_new (self->store, self->login);
}

static GtkWidget *
new_reports (RrWindow *self)
{
  return rr_reports_view_new (self->store, self->login);
}

static GtkWidget *
new_rules (RrWindow *self)
{
  return rr_rules_view_new (self->store);
}

static GtkWidget *
new_reflections (RrWindow *self)
{
  return rr_reflections_view_new (self->store, self->login);
}

static GtkWidget *
new_audit (RrWindow *self)
{
  return rr_audit_view_new (self->store, self->login);
}

static GtkWidget *
new_admin (RrWindow *self)
{
  return rr_admin_view_new (self->store, self->login);
}

static void
add_lazy_page (RrWindow    *self,
               ViewNewFunc  view_new,
               const char  *name,
               const char  *title)
{
  GtkWidget *slot = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  g_object_set_data (G_OBJECT (slot), "rr-view-new", view_new);
  add_page (self, slot, name, title);
}

/* The view a page of the stack shows, made now if it was not yet. */
static GtkWidget *
ensure_view (RrWindow  *self,
             GtkWidget *page)
{
  ViewNewFunc view_new;
  GtkWidget *view;

  if (page == NULL)
    return NULL;
  view_new = g_object_get_data (G_OBJECT (page), "rr-view-new");
  if (view_new == NULL)
    return page;
  view = gtk_widget_get_first_child (page);
  if (view == NULL)
    {
      view = view_new (self);
      gtk_widget_set_hexpand (view, TRUE);
      gtk_widget_set_vexpand (view, TRUE);
      gtk_box_append (GTK_BOX (page), view);
    }
  return view;
}

static void
on_stack_visible_child (GtkStack   *stack,
                        GParamSpec *pspec,
                        RrWindow   *self)
{
  ensure_view (self, gtk_stack_get_visible_child (stack));
}

static void
add_views (RrWindow *self)
{
  g_autoptr(RrUser) user = NULL;
  g_autoptr(GError) error = NULL;
  RrRoles roles;
  RrRoles sees_decisions = RR_ROLE_KLANTMANAGER | RR_ROLE_TEAMLEIDER | RR_ROLE_AUDITOR;

  user = rr_users_lookup (self->store, self->login, &error);
  if (user == NULL || !user->active)
    {
      GtkWidget *label = gtk_label_new (NULL);
      g_autofree char *text =
        g_strdup_printf (_("You (‘%s’) have no active account in this database. Ask a "
                           "beheerder to add you."), self->login);

      gtk_label_set_text (GTK_LABEL (label), text);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      add_page (self, label, "none", _("Welcome"));
      return;
    }
  roles = user->roles;
  {
    g_autofree char *who = g_strdup_printf ("%s · %s", user->display_name, user->team);

    gtk_label_set_text (self->user_label, who);
  }

  if (roles & RR_ROLE_KLANTMANAGER)
    {
      GtkWidget *editor = rr_decision_editor_new (self->store, self->login);

      g_autoptr(GVariant) months = NULL;

      /* The organisation's default stands unless the person chose their own. */
      if (self->settings != NULL)
        months = g_settings_get_user_value (self->settings, "follow-up-months");
      if (months != NULL)
        rr_decision_editor_set_follow_up_months (RR_DECISION_EDITOR (editor),
                                                 g_variant_get_int32 (months));
      add_page (self, editor, "record", _("Record"));
    }
  if (roles & sees_decisions)
    add_lazy_page (self, new_log, "log", _("Logbook"));
  if (roles & (RR_ROLE_KLANTMANAGER | RR_ROLE_TEAMLEIDER))
    {
      add_lazy_page (self, new_review, "review", _("Review"));
      add_lazy_page (self, new_followup, "follow-up", C_("view", "Follow-up"));
    }
  if (roles & sees_decisions)
    add_lazy_page (self, new_caseload, "caseload", _("Caseload"));
  /* Every role: what each may see in a report is the core's decision. */
  add_lazy_page (self, new_reports, "reports", _("Reports"));
  add_lazy_page (self, new_rules, "rules", _("Rules"));
  /* Reflections are the learning layer: not for the auditor (DESIGN §2). */
  if (roles & (RR_ROLE_KLANTMANAGER | RR_ROLE_TEAMLEIDER))
    add_lazy_page (self, new_reflections, "reflections", _("Reflections"));
  if (roles & RR_ROLE_AUDITOR)
    add_lazy_page (self, new_audit, "audit", _("Audit trail"));
  if (roles & RR_ROLE_BEHEERDER)
    add_lazy_page (self, new_admin, "admin", C_("view", "Administration"));
  ensure_view (self, gtk_stack_get_visible_child (self->stack));
}

static gboolean
rr_window_close_request (GtkWindow *window)
{
  RrWindow *self = RR_WINDOW (window);
  GtkWidget *editor = gtk_stack_get_child_by_name (self->stack, "record");
  int width;
  int height;

  if (editor != NULL)
    rr_decision_editor_save_draft (RR_DECISION_EDITOR (editor));
  if (self->settings != NULL)
    {
      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
      g_settings_set_boolean (self->settings, "window-maximized",
                              gtk_window_is_maximized (window));
    }
  return GTK_WINDOW_CLASS (rr_window_parent_class)->close_request (window);
}

/* DESIGN §6: PRAGMA quick_check after open, off the main thread, as it
 * reads the whole file (about a second per GB). Its own read-only
 * connection with a small page cache: it reads each page once. Only a
 * damaged file is worth a word; a file that cannot be opened a second
 * time just now (locked) was opened a moment ago and is checked next
 * time. */
#define CHECK_CACHE_KIB 1024

static void
check_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrStore) store = rr_store_open (task_data, RR_STORE_OPEN_READ_ONLY, &error);

  if (store != NULL)
    {
      rr_store_set_cache_size (store, CHECK_CACHE_KIB);
      rr_store_quick_check (store, &error);
    }
  if (error != NULL && g_error_matches (error, RR_STORE_ERROR, RR_STORE_ERROR_CORRUPT))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_checked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  RrWindow *self;

  if (g_task_propagate_boolean (G_TASK (result), &error)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Not cancelled: the window is still there (dispose cancels). */
  self = RR_WINDOW (user_data);
  g_clear_object (&self->check);
  rr_dialogs_show_error (GTK_WINDOW (self), _("The database is damaged"), error);
}

/**
 * rr_window_check_database:
 * @self: a window
 *
 * Checks the window's database file in the background and says so in a
 * dialog when it is damaged; the window stays as it is meanwhile.
 */
void
rr_window_check_database (RrWindow *self)
{
  g_autoptr(GTask) task = NULL;
  const char *path;

  g_return_if_fail (RR_IS_WINDOW (self));

  /* Closed meanwhile, already checking, or no file to check. */
  if (self->store == NULL || self->check != NULL
      || (path = rr_store_get_path (self->store)) == NULL)
    return;
  self->check = g_cancellable_new ();
  task = g_task_new (NULL, self->check, on_checked, self);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, check_in_thread);
}

static void
rr_window_dispose (GObject *object)
{
  RrWindow *self = RR_WINDOW (object);

  if (self->check != NULL)
    g_cancellable_cancel (self->check);
  g_clear_object (&self->check);
  gtk_widget_dispose_template (GTK_WIDGET (self), RR_TYPE_WINDOW);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (rr_window_parent_class)->dispose (object);
}

static void
rr_window_finalize (GObject *object)
{
  RrWindow *self = RR_WINDOW (object);

  g_free (self->login);
  G_OBJECT_CLASS (rr_window_parent_class)->finalize (object);
}

static void
rr_window_class_init (RrWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = rr_window_dispose;
  object_class->finalize = rr_window_finalize;
  window_class->close_request = rr_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/regelruimte/Regelruimte/ui/rr-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RrWindow, user_label);
  gtk_widget_class_bind_template_child (widget_class, RrWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, RrWindow, sidebar);
}

static void
rr_window_init (RrWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = new_settings ();
  if (self->settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }
}

RrWindow *
rr_window_new (GtkApplication *application,
               RrStore        *store,
               const char     *login)
{
  RrWindow *self;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);
  g_return_val_if_fail (login != NULL, NULL);

  self = g_object_new (RR_TYPE_WINDOW, "application", application, NULL);
  self->store = g_object_ref (store);
  self->login = g_strdup (login);
  g_signal_connect_object (self->stack, "notify::visible-child",
                           G_CALLBACK (on_stack_visible_child), self, 0);
  add_views (self);
  return self;
}

RrStore *
rr_window_get_store (RrWindow *self)
{
  g_return_val_if_fail (RR_IS_WINDOW (self), NULL);
  return self->store;
}

void
rr_window_show_view (RrWindow   *self,
                     const char *name)
{
  GtkWidget *page;

  g_return_if_fail (RR_IS_WINDOW (self));
  page = gtk_stack_get_child_by_name (self->stack, name);
  if (page == NULL)
    return;
  gtk_stack_set_visible_child (self->stack, page);
  gtk_widget_grab_focus (ensure_view (self, page));
}

const char *
rr_window_get_view (RrWindow *self)
{
  g_return_val_if_fail (RR_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

GtkWidget *
rr_window_get_page (RrWindow   *self,
                    const char *name)
{
  g_return_val_if_fail (RR_IS_WINDOW (self), NULL);
  return ensure_view (self, gtk_stack_get_child_by_name (self->stack, name));
}
