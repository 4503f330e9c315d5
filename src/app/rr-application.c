/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-application"
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "rr-application.h"
#include "rr-core.h"
#include "rr-dialogs.h"
#include "rr-renderer.h"
#include "rr-window.h"

#define DEMO_DECISIONS 10000
#define DEMO_TEAM "Team Noord"

struct _RrApplication
{
  GtkApplication  parent_instance;

  /* owned */
  GSettings      *settings;
  GDBusProxy     *portal;
  GCancellable   *cancellable;
  char           *database;      /* --database */
  char           *demo_dir;      /* removed at shutdown */
  gboolean        demo;

  /* the demo's progress, while it runs */
  GtkWidget      *progress_window;
  GtkProgressBar *progress_bar;
};

G_DEFINE_FINAL_TYPE (RrApplication, rr_application, GTK_TYPE_APPLICATION)

static void open_database (RrApplication *self, const char *path);

/* ------------------------------------------------------------- helpers */

static const char *
acting_user (void)
{
  /* Identity is the operating-system login; there is no way to act as
   * someone else (DESIGN §2). */
  return g_get_user_name ();
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_remove (child);
    }
  g_dir_close (dir);
  g_rmdir (path);
}

static void
apply_color_scheme (RrApplication *self,
                    GVariant      *value)
{
  GtkSettings *settings = gtk_settings_get_default ();
  g_autoptr(GVariant) inner = g_variant_ref (value);
  guint32 scheme = 0;

  /* The portal wraps the value in one or two variants, by version. */
  while (g_variant_is_of_type (inner, G_VARIANT_TYPE_VARIANT))
    {
      GVariant *next = g_variant_get_variant (inner);

      g_variant_unref (inner);
      inner = next;
    }
  if (g_variant_is_of_type (inner, G_VARIANT_TYPE_UINT32))
    scheme = g_variant_get_uint32 (inner);
  if (settings != NULL)
    g_object_set (settings, "gtk-application-prefer-dark-theme", scheme == 1, NULL);
}

/* ----------------------------------------------------------- callbacks */

static void
on_portal_signal (GDBusProxy *proxy,
                  const char *sender,
                  const char *signal,
                  GVariant   *parameters,
                  gpointer    user_data)
{
  const char *ns = NULL;
  const char *key = NULL;
  g_autoptr(GVariant) value = NULL;

  if (g_strcmp0 (signal, "SettingChanged") != 0
      || !g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ssv)")))
    return;
  g_variant_get (parameters, "(&s&sv)", &ns, &key, &value);
  if (g_strcmp0 (ns, "org.freedesktop.appearance") == 0
      && g_strcmp0 (key, "color-scheme") == 0)
    apply_color_scheme (user_data, value);
}

static void
on_portal_read (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(RrApplication) self = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;

  /* No portal, or an old one: keep the default style, silently. */
  reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, NULL);
  if (reply == NULL)
    return;
  g_variant_get (reply, "(v)", &value);
  apply_color_scheme (self, value);
}

static void
on_portal_proxy (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(RrApplication) self = user_data;
  GDBusProxy *proxy = g_dbus_proxy_new_for_bus_finish (result, NULL);

  if (proxy == NULL)
    return;
  self->portal = proxy;
  g_signal_connect (proxy, "g-signal", G_CALLBACK (on_portal_signal), self);
  g_dbus_proxy_call (proxy, "Read",
                     g_variant_new ("(ss)", "org.freedesktop.appearance", "color-scheme"),
                     G_DBUS_CALL_FLAGS_NONE, 2000, self->cancellable,
                     on_portal_read, g_object_ref (self));
}

static void
on_database_chosen (const char *path,
                    gpointer    user_data)
{
  RrApplication *self = user_data;

  if (path != NULL)
    open_database (self, path);
  g_application_release (G_APPLICATION (self));
}

static gboolean
start_check (gpointer window)
{
  rr_window_check_database (window);
  return G_SOURCE_REMOVE;
}

static void
show_window (RrApplication *self,
             RrStore       *store)
{
  RrWindow *window;

  /* The window reads a page of rows at a time, from a file the system
   * caches anyway: a small page cache costs the log nothing and keeps the
   * window's memory down (the store's default is sized for bulk work). */
  rr_store_set_cache_size (store, RR_APP_CACHE_KIB);
  window = rr_window_new (GTK_APPLICATION (self), store, acting_user ());

  gtk_window_present (GTK_WINDOW (window));
  /* The check of the whole file waits until the window is drawn. */
  g_timeout_add_seconds_full (G_PRIORITY_LOW, 1, start_check, g_object_ref (window),
                              g_object_unref);
}

typedef struct {
  RrApplication *app;
  RrStore       *store;
  GtkEntry      *name;
  GtkEntry      *team;
  GtkEntry      *organisation;
  GtkLabel      *error;
} Setup;

static void
setup_free (Setup *setup)
{
  g_object_unref (setup->store);
  g_free (setup);
}

static void
on_setup_response (GtkDialog *dialog,
                   int        response,
                   gpointer   user_data)
{
  Setup *setup = user_data;
  g_autoptr(GError) error = NULL;

  if (response != GTK_RESPONSE_OK)
    {
      gtk_window_destroy (GTK_WINDOW (dialog));
      g_application_release (G_APPLICATION (setup->app));
      setup_free (setup);
      return;
    }
  if (!rr_store_initialise (setup->store, acting_user (),
                            gtk_editable_get_text (GTK_EDITABLE (setup->name)),
                            gtk_editable_get_text (GTK_EDITABLE (setup->organisation)),
                            gtk_editable_get_text (GTK_EDITABLE (setup->team)),
                            &error))
    {
      /* Keep the dialog and what was typed; say what is wrong. */
      gtk_label_set_text (setup->error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (setup->error), TRUE);
      return;
    }
  show_window (setup->app, setup->store);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_application_release (G_APPLICATION (setup->app));
  setup_free (setup);
}

static GtkEntry *
add_setup_row (GtkGrid    *grid,
               int         row,
               const char *label,
               const char *text)
{
  GtkWidget *l = gtk_label_new_with_mnemonic (label);
  GtkWidget *entry = gtk_entry_new ();

  gtk_label_set_xalign (GTK_LABEL (l), 1);
  gtk_label_set_mnemonic_widget (GTK_LABEL (l), entry);
  gtk_widget_set_hexpand (entry, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (entry), text != NULL ? text : "");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, l, NULL, -1);
  gtk_grid_attach (grid, l, 0, row, 1, 1);
  gtk_grid_attach (grid, entry, 1, row, 1, 1);
  return GTK_ENTRY (entry);
}

/* First run: a new database asks who the first person is. */
static void
show_setup (RrApplication *self,
            RrStore       *store)
{
  GtkWidget *dialog;
  GtkWidget *grid;
  GtkWidget *intro;
  Setup *setup = g_new0 (Setup, 1);

  setup->app = self;
  setup->store = g_object_ref (store);
  dialog = gtk_dialog_new_with_buttons (_("Set Up Regelruimte"), NULL, GTK_DIALOG_USE_HEADER_BAR,
                                        _("_Cancel"), GTK_RESPONSE_CANCEL,
                                        _("_Start"), GTK_RESPONSE_OK, NULL);
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_OK);
  grid = gtk_grid_new ();
  g_object_set (grid, "row-spacing", 12, "column-spacing", 12, "margin-top", 18,
                "margin-bottom", 18, "margin-start", 18, "margin-end", 18, NULL);
  intro = gtk_label_new (_("This database is new. You become its first beheerder and "
                           "klantmanager; you can add colleagues later."));
  gtk_label_set_wrap (GTK_LABEL (intro), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (intro), 50);
  gtk_label_set_xalign (GTK_LABEL (intro), 0);
  gtk_grid_attach (GTK_GRID (grid), intro, 0, 0, 2, 1);
  setup->name = add_setup_row (GTK_GRID (grid), 1, _("Your _name"), g_get_real_name ());
  setup->team = add_setup_row (GTK_GRID (grid), 2, _("_Team"), "");
  setup->organisation = add_setup_row (GTK_GRID (grid), 3, _("_Organisation"), "");
  setup->error = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (setup->error, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (setup->error), "rr-refusal");
  gtk_widget_set_visible (GTK_WIDGET (setup->error), FALSE);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (setup->error), 0, 4, 2, 1);
  gtk_box_append (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (dialog))), grid);
  g_signal_connect (dialog, "response", G_CALLBACK (on_setup_response), setup);
  g_application_hold (G_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_database (RrApplication *self,
               const char    *path)
{
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = rr_store_open (path, RR_STORE_OPEN_CREATE, &error);
  if (store == NULL)
    {
      g_application_hold (G_APPLICATION (self));
      rr_dialogs_database_error (NULL, path, error, on_database_chosen, self);
      return;
    }
  if (!rr_store_is_initialised (store))
    {
      show_setup (self, store);
      return;
    }
  show_window (self, store);
}

/* ---------------------------------------------------------------- demo */

typedef struct {
  RrApplication *app;
  double         fraction;
} Progress;

static gboolean
update_progress (gpointer data)
{
  Progress *progress = data;

  if (progress->app->progress_bar != NULL)
    gtk_progress_bar_set_fraction (progress->app->progress_bar, progress->fraction);
  return G_SOURCE_REMOVE;
}

static void
on_demo_progress (double   fraction,
                  gpointer user_data)
{
  Progress *progress = g_new0 (Progress, 1);

  progress->app = user_data;
  progress->fraction = fraction;
  g_idle_add_full (G_PRIORITY_DEFAULT, update_progress, progress, g_free);
}

static void
generate_demo (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  const char *path = task_data;
  const char *login = acting_user ();
  g_autoptr(RrStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *name = g_get_real_name ();

  /* Its own connection, in bulk mode: a throw-away file needs no fsync. */
  store = rr_store_open (path, RR_STORE_OPEN_CREATE | RR_STORE_OPEN_BULK, &error);
  if (store == NULL
      || !rr_store_initialise (store, login,
                               name != NULL && g_strcmp0 (name, "Unknown") != 0 ? name : login,
                               _("Demo municipality"), DEMO_TEAM, &error)
      || !rr_demo_generate (store, DEMO_DECISIONS, 1, on_demo_progress, source,
                            cancellable, &error)
      /* A first look should show everything: the team's queue and the
       * whole record. */
      || !rr_users_grant (store, login, login, RR_ROLE_TEAMLEIDER, &error)
      || !rr_users_grant (store, login, login, RR_ROLE_AUDITOR, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_demo_ready (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  RrApplication *self = RR_APPLICATION (source);
  GTask *task = G_TASK (result);
  g_autoptr(GError) error = NULL;

  if (self->progress_window != NULL)
    gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->progress_window)));
  self->progress_bar = NULL;
  if (!g_task_propagate_boolean (task, &error))
    rr_dialogs_show_error (NULL, _("The demo data could not be made"), error);
  else
    open_database (self, g_task_get_task_data (task));
  g_application_release (G_APPLICATION (self));
}

static void
start_demo (RrApplication *self)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *box;
  GtkWidget *label;

  self->demo_dir = g_dir_make_tmp ("regelruimte-demo-XXXXXX", &error);
  if (self->demo_dir == NULL)
    {
      rr_dialogs_show_error (NULL, _("The demo data could not be made"), error);
      return;
    }

  self->progress_window = gtk_window_new ();
  gtk_window_set_application (GTK_WINDOW (self->progress_window), GTK_APPLICATION (self));
  gtk_window_set_title (GTK_WINDOW (self->progress_window), _("Regelruimte Demo"));
  gtk_window_set_default_size (GTK_WINDOW (self->progress_window), 360, -1);
  gtk_window_set_deletable (GTK_WINDOW (self->progress_window), FALSE);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  g_object_set (box, "margin-top", 24, "margin-bottom", 24, "margin-start", 24,
                "margin-end", 24, NULL);
  label = gtk_label_new (_("Making a demo database with realistic data…"));
  self->progress_bar = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress_bar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Progress"), -1);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->progress_bar));
  gtk_window_set_child (GTK_WINDOW (self->progress_window), box);
  gtk_window_present (GTK_WINDOW (self->progress_window));

  g_application_hold (G_APPLICATION (self));
  task = g_task_new (self, self->cancellable, on_demo_ready, NULL);
  g_task_set_task_data (task, g_build_filename (self->demo_dir, "demo.db", NULL), g_free);
  g_task_run_in_thread (task, generate_demo);
}

/* ------------------------------------------------------------- actions */

static void
on_quit (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       user_data)
{
  GList *windows = gtk_application_get_windows (user_data);

  /* Closing each window lets it save its draft and size. */
  while (windows != NULL)
    {
      GList *next = windows->next;

      gtk_window_close (windows->data);
      windows = next;
    }
}

static void
on_new_decision (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (user_data);

  if (RR_IS_WINDOW (window))
    {
      rr_window_show_view (RR_WINDOW (window), "record");
      gtk_window_present (window);
    }
}

static void
on_about (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  const char *authors[] = { _("The Regelruimte developers"), NULL };

  gtk_show_about_dialog (gtk_application_get_active_window (user_data),
                         "program-name", "Regelruimte",
                         "logo-icon-name", APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("A logbook for professional discretion: "
                                       "comply or explain."),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", authors,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
on_database_changed (const char *path,
                     gpointer    user_data)
{
  RrApplication *self = user_data;

  if (path != NULL)
    g_settings_set_string (self->settings, "database", path);
}

static void
on_choose_clicked (GtkButton *button,
                   gpointer   user_data)
{
  rr_dialogs_choose_database (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (button))),
                              on_database_changed, user_data);
}

static void
on_preferences (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  RrApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *window = gtk_window_new ();
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *label;
  GtkWidget *spin;
  GtkWidget *path;
  GtkWidget *choose;

  gtk_window_set_application (GTK_WINDOW (window), GTK_APPLICATION (self));
  gtk_window_set_title (GTK_WINDOW (window), _("Preferences"));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  g_object_set (grid, "row-spacing", 12, "column-spacing", 12, "margin-top", 18,
                "margin-bottom", 18, "margin-start", 18, "margin-end", 18, NULL);

  label = gtk_label_new_with_mnemonic (_("Default _follow-up (months)"));
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  spin = gtk_spin_button_new_with_range (1, 24, 1);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), spin);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  label, NULL, -1);
  g_settings_bind (self->settings, "follow-up-months", spin, "value", G_SETTINGS_BIND_DEFAULT);
  gtk_grid_attach (GTK_GRID (grid), label, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), spin, 1, 0, 2, 1);

  label = gtk_label_new (_("Database"));
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  path = gtk_label_new (NULL);
  gtk_label_set_ellipsize (GTK_LABEL (path), PANGO_ELLIPSIZE_START);
  gtk_label_set_xalign (GTK_LABEL (path), 0);
  gtk_widget_set_hexpand (path, TRUE);
  g_settings_bind (self->settings, "database", path, "label", G_SETTINGS_BIND_GET);
  choose = gtk_button_new_with_mnemonic (_("_Choose…"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (choose), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Choose the database"), -1);
  g_signal_connect (choose, "clicked", G_CALLBACK (on_choose_clicked), self);
  gtk_grid_attach (GTK_GRID (grid), label, 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), path, 1, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), choose, 2, 1, 1, 1);
  label = gtk_label_new (_("A new database location is used the next time Regelruimte starts."));
  gtk_widget_add_css_class (label, "dim-label");
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_grid_attach (GTK_GRID (grid), label, 0, 2, 3, 1);

  gtk_window_set_child (GTK_WINDOW (window), grid);
  gtk_window_present (GTK_WINDOW (window));
}

static const GActionEntry app_actions[] = {
  { "quit", on_quit, NULL, NULL, NULL },
  { "new-decision", on_new_decision, NULL, NULL, NULL },
  { "about", on_about, NULL, NULL, NULL },
  { "preferences", on_preferences, NULL, NULL, NULL },
};

/* ----------------------------------------------------------- overrides */

static int
rr_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  RrApplication *self = RR_APPLICATION (app);
  g_autofree char *database = NULL;

  if (g_variant_dict_lookup (options, "database", "^ay", &database))
    self->database = g_steal_pointer (&database);
  g_variant_dict_lookup (options, "demo", "b", &self->demo);
  return -1;
}

static void
rr_application_startup (GApplication *app)
{
  RrApplication *self = RR_APPLICATION (app);
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *new_accels[] = { "<Control>n", NULL };
  const char *prefs_accels[] = { "<Control>comma", NULL };
  const char *help_accels[] = { "<Control>question", NULL };
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  G_APPLICATION_CLASS (rr_application_parent_class)->startup (app);

  /* Before any window is realized: cairo instead of GL drawn in software
   * (rr-renderer.c says why). */
  rr_renderer_apply (gdk_display_get_default ());

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.new-decision", new_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", prefs_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay",
                                         help_accels);

  gtk_css_provider_load_from_resource (css, "/nl/regelruimte/Regelruimte/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/nl/regelruimte/Regelruimte/icons");
  gtk_window_set_default_icon_name (APPLICATION_ID);

  self->settings = g_settings_new (APPLICATION_ID);
  g_dbus_proxy_new_for_bus (G_BUS_TYPE_SESSION, G_DBUS_PROXY_FLAGS_NONE, NULL,
                            "org.freedesktop.portal.Desktop",
                            "/org/freedesktop/portal/desktop",
                            "org.freedesktop.portal.Settings",
                            self->cancellable, on_portal_proxy, g_object_ref (self));
}

static void
rr_application_activate (GApplication *app)
{
  RrApplication *self = RR_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autofree char *path = NULL;

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }
  if (self->demo)
    {
      start_demo (self);
      return;
    }
  if (self->database != NULL)
    path = g_strdup (self->database);
  else
    path = g_settings_get_string (self->settings, "database");
  if (path == NULL || *path == '\0')
    {
      g_autofree char *dir = NULL;

      g_free (path);
      path = rr_store_default_path ();
      dir = g_path_get_dirname (path);
      g_mkdir_with_parents (dir, 0700);
    }
  open_database (self, path);
}

static void
rr_application_shutdown (GApplication *app)
{
  RrApplication *self = RR_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);
  G_APPLICATION_CLASS (rr_application_parent_class)->shutdown (app);
  /* The demo is throw-away: nothing of it stays behind. */
  if (self->demo_dir != NULL)
    remove_tree (self->demo_dir);
}

static void
rr_application_finalize (GObject *object)
{
  RrApplication *self = RR_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->portal);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->database, g_free);
  g_clear_pointer (&self->demo_dir, g_free);
  G_OBJECT_CLASS (rr_application_parent_class)->finalize (object);
}

static void
rr_application_class_init (RrApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = rr_application_finalize;
  app_class->handle_local_options = rr_application_handle_local_options;
  app_class->startup = rr_application_startup;
  app_class->activate = rr_application_activate;
  app_class->shutdown = rr_application_shutdown;
}

static void
rr_application_init (RrApplication *self)
{
  const GOptionEntry options[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Open the database FILE"), N_("FILE") },
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Open a throw-away database filled with demo data"), NULL },
    G_OPTION_ENTRY_NULL
  };

  self->cancellable = g_cancellable_new ();
  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

RrApplication *
rr_application_new (void)
{
  return g_object_new (RR_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/nl/regelruimte/Regelruimte",
                       NULL);
}
