/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The application benchmark of DESIGN §8, on the reference data set:
 *
 *  - time to the first frame of the real window opened on the database,
 *    beside a bare GTK window measured the same way in the same run (each a
 *    fresh process, from the moment it is spawned to the frame clock's first
 *    "after-paint"; the median of RR_BENCH_RUNS, default 5);
 *  - resident memory after scrolling the whole Logboek: the real window's
 *    column view scrolled from top to bottom a frame at a time, then every
 *    row of its model fetched in order, as scrolling through all of it
 *    would; beside the bare window's memory;
 *  - a page of the log fetched through RrDecisionListModel at random
 *    positions, beside a bare SQLite select of the same rows by id;
 *  - the keystrokes and clicks to record an applied decision for a known
 *    client and rule, and a deviation apart from its typed text: real key
 *    presses and button clicks (XTest, into the X server) on the real
 *    decision editor, counted as they are sent; the decisions must then be
 *    in the database.
 *
 * The parts with a window need an X display: `xvfb-run -a bench-app`, or
 * `meson test -C BUILD --benchmark app`, which wraps it in xvfb-run.
 * Usage: bench-app [N] (or RR_BENCH_DECISIONS=N; default 1,000,000).
 * RR_BENCH_DB=PATH uses (or makes, when missing) a demo database at PATH;
 * RR_BENCH_DIR keeps a made one in that folder. A window without a frame
 * after RR_BENCH_FRAME_TIMEOUT seconds (default 120) is stopped and counts
 * as that long; the Logboek is then scrolled as an RrLogView on its own.
 * Exits 0 whether targets are met or not; non-zero only when something
 * fails to run. */
#include "config.h"

#include <dlfcn.h>
#include <locale.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <gdk/x11/gdkx.h>
#include <X11/XKBlib.h>
#include <sqlite3.h>

#include "rr-application.h"
#include "rr-core.h"
#include "rr-decision-editor.h"
#include "rr-decision-item.h"
#include "rr-decision-list-model.h"
#include "rr-log-view.h"
#include "rr-store-private.h"
#include "rr-window.h"

#define N_PAGES      200
#define SCROLL_STEPS 1000
#define RULE_CODE    "PW-18-1"

static gint64 main_start_us;

static void
die (const char *what,
     GError     *error)
{
  fprintf (stderr, "bench-app: %s: %s\n", what, error != NULL ? error->message : "failed");
  exit (2);
}

static long
status_kb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, field);
  return line != NULL ? atol (line + strlen (field)) : -1;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y ? 1 : 0;
}

static double
percentile (GArray *values,
            double  p)
{
  guint i;

  if (values->len == 0)
    return NAN;
  g_array_sort (values, compare_doubles);
  i = (guint) (p / 100.0 * (values->len - 1) + 0.5);
  return g_array_index (values, double, MIN (i, values->len - 1));
}

static double
elapsed_ms (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static char *
raw_text (sqlite3    *db,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *out = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      fprintf (stderr, "bench-app: %s: %s\n", sql, sqlite3_errmsg (db));
      exit (2);
    }
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    out = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return out;
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (g_type_is_a (G_OBJECT_TYPE (widget), type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* ------------------------------------------------------ the child: frames */

/* What a window process does at its first frame: "frame" prints the times
 * and quits, "scroll" goes on to scroll the Logboek. */
static const char *child_mode;
static GApplication *child_app;
static RrStore *child_store;
static GMainLoop *child_loop;

static void scroll_start (GtkWidget *log);

static void
child_quit (void)
{
  if (child_app != NULL)
    g_application_quit (child_app);
  else
    g_main_loop_quit (child_loop);
}

static void
print_memory (const char *prefix)
{
  printf ("%s_rss_kb=%ld\n%s_hwm_kb=%ld\n", prefix, status_kb ("VmRSS:"), prefix,
          status_kb ("VmHWM:"));
}

/* Where the resident memory is: anonymous (heap, renderer buffers) or
 * file-backed (libraries, fonts), and of the heap what malloc hands out
 * and what it holds free. */
static void
print_memory_parts (const char *prefix)
{
  g_autofree char *rollup = NULL;
  struct mallinfo2 info = mallinfo2 ();
  const char *line;
  long anon = -1, file = -1;

  if (g_file_get_contents ("/proc/self/smaps_rollup", &rollup, NULL, NULL))
    {
      if ((line = strstr (rollup, "\nAnonymous:")) != NULL)
        anon = atol (line + strlen ("\nAnonymous:"));
      if ((line = strstr (rollup, "\nRss:")) != NULL && anon >= 0)
        file = atol (line + strlen ("\nRss:")) - anon;
    }
  printf ("%s_anon_kb=%ld\n%s_file_kb=%ld\n%s_malloc_used_kb=%zu\n%s_malloc_free_kb=%zu\n",
          prefix, anon, prefix, file, prefix, (info.uordblks + info.hblkhd) / 1024, prefix,
          info.fordblks / 1024);
}

static void
on_after_paint (GdkFrameClock *clock,
                GtkWidget     *window)
{
  gint64 now = g_get_monotonic_time ();

  g_signal_handlers_disconnect_by_func (clock, on_after_paint, window);
  printf ("frame_us=%" G_GINT64_FORMAT "\nmain_us=%" G_GINT64_FORMAT "\n", now, main_start_us);
  {
    GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));

    /* Which renderer GTK chose, so that every memory figure names it. */
    printf ("renderer=%s\n", renderer != NULL ? G_OBJECT_TYPE_NAME (renderer) : "none");
  }
  print_memory ("frame");
  print_memory_parts ("frame");
  fflush (stdout);
  if (g_str_equal (child_mode, "scroll") && RR_IS_WINDOW (window))
    {
      child_store = rr_window_get_store (RR_WINDOW (window));
      rr_window_show_view (RR_WINDOW (window), "log");
      scroll_start (rr_window_get_page (RR_WINDOW (window), "log"));
    }
  else if (g_str_equal (child_mode, "scroll-log"))
    scroll_start (gtk_window_get_child (GTK_WINDOW (window)));
  else
    child_quit ();
}

static void
on_realize (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_after_paint), window);
}

static void
on_window_added (GtkApplication *app,
                 GtkWindow      *window)
{
  if (!RR_IS_WINDOW (window))
    {
      fprintf (stderr, "bench-app: the application opened a %s, not its main window\n",
               G_OBJECT_TYPE_NAME (window));
      exit (3);
    }
  g_signal_connect_after (window, "realize", G_CALLBACK (on_realize), NULL);
}

static void
on_bare_activate (GtkApplication *app)
{
  GtkWidget *window = gtk_application_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_set_title (GTK_WINDOW (window), "Bare");
  g_signal_connect_after (window, "realize", G_CALLBACK (on_realize), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

/* Scrolls the Logboek's column view top to bottom, one step a frame, then
 * fetches every row of its model in order. */
typedef struct {
  GtkAdjustment       *adjustment;
  GListModel          *model;
  RrDecisionListModel *rows;
  guint                steps;
  gint64               start;
} Scroll;

static Scroll scroll;

/* What the store's connection holds in its page cache now. */
static gint64
sqlite_cache_bytes (void)
{
  int used = 0, high = 0;

  if (child_store == NULL
      || sqlite3_db_status (_rr_store_get_db (child_store), SQLITE_DBSTATUS_CACHE_USED, &used,
                            &high, FALSE) != SQLITE_OK)
    return -1;
  return used;
}

static void
scroll_finish (void)
{
  guint n = g_list_model_get_n_items (scroll.model);
  gint64 start;

  printf ("scroll_steps=%u\nscroll_ms=%.0f\nscroll_pages=%u\nscroll_value=%.0f\nscroll_upper=%.0f\n",
          scroll.steps, elapsed_ms (scroll.start),
          rr_decision_list_model_get_n_pages_fetched (scroll.rows),
          gtk_adjustment_get_value (scroll.adjustment),
          gtk_adjustment_get_upper (scroll.adjustment));
  print_memory ("view");

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      GObject *item = g_list_model_get_item (scroll.model, i);

      if (item == NULL)
        {
          fprintf (stderr, "bench-app: no row at %u of %u\n", i, n);
          exit (3);
        }
      g_object_unref (item);
    }
  printf ("walk_rows=%u\nwalk_ms=%.0f\nwalk_pages=%u\nwalk_resident=%u\nwalk_sqlite_kb=%lld\n",
          n, elapsed_ms (start), rr_decision_list_model_get_n_pages_fetched (scroll.rows),
          rr_decision_list_model_get_n_pages_resident (scroll.rows),
          (long long) (sqlite_cache_bytes () / 1024));
  print_memory ("walk");
  print_memory_parts ("walk");
  fflush (stdout);
  child_quit ();
}

static gboolean
scroll_tick (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  double upper = gtk_adjustment_get_upper (scroll.adjustment);
  double page = gtk_adjustment_get_page_size (scroll.adjustment);
  double value = gtk_adjustment_get_value (scroll.adjustment);
  double step = MAX (page, (upper - page) / SCROLL_STEPS);

  /* The Logboek's list of ids comes from a worker thread: scrolling starts
   * once it is in. */
  if (rr_decision_list_model_is_loading (scroll.rows))
    return G_SOURCE_CONTINUE;
  if (scroll.steps == 0 && scroll.start == 0)
    {
      scroll.start = g_get_monotonic_time ();
      printf ("rows=%u\n", g_list_model_get_n_items (scroll.model));
      /* Memory with the Logboek shown and its ids in, before scrolling. */
      print_memory ("loaded");
      fflush (stdout);
    }
  if (page <= 0)
    return G_SOURCE_CONTINUE;
  if (value >= upper - page - 0.5 || scroll.steps >= 4 * SCROLL_STEPS)
    {
      scroll_finish ();
      return G_SOURCE_REMOVE;
    }
  gtk_adjustment_set_value (scroll.adjustment, MIN (value + step, upper - page));
  scroll.steps++;
  return G_SOURCE_CONTINUE;
}

static void
scroll_start (GtkWidget *log)
{
  GtkWidget *view = log != NULL ? find_descendant (log, GTK_TYPE_COLUMN_VIEW) : NULL;
  GtkSelectionModel *selection;

  if (view == NULL)
    {
      fprintf (stderr, "bench-app: the window has no Logboek\n");
      exit (3);
    }
  selection = gtk_column_view_get_model (GTK_COLUMN_VIEW (view));
  scroll.model = G_LIST_MODEL (selection);
  scroll.rows = GTK_IS_SINGLE_SELECTION (selection)
                ? RR_DECISION_LIST_MODEL (gtk_single_selection_get_model (
                                            GTK_SINGLE_SELECTION (selection)))
                : NULL;
  if (scroll.rows == NULL)
    {
      fprintf (stderr, "bench-app: the Logboek does not show an RrDecisionListModel\n");
      exit (3);
    }
  /* RR_BENCH_MAX_PAGES: another bound on the pages the model keeps, to
   * compare memory and time against the default. */
  if (g_getenv ("RR_BENCH_MAX_PAGES") != NULL)
    rr_decision_list_model_set_max_pages (scroll.rows,
                                          (guint) atoi (g_getenv ("RR_BENCH_MAX_PAGES")));
  scroll.adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
  scroll.start = 0;
  gtk_widget_add_tick_callback (view, scroll_tick, NULL, NULL);
}

static int
child_window (const char *mode,
              const char *db)
{
  g_autoptr(GApplication) app = NULL;

  child_mode = mode;
  /* The application's windows start as its main () does; the bare one as
   * any GTK program. */
  if (!g_str_equal (mode, "bare"))
    rr_core_init_memory ();
  if (g_str_equal (mode, "scroll-log"))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RrStore) store = NULL;
      GtkWindow *window;

      /* The Logboek on its own, for when the whole window takes too long. */
      gtk_init ();
      store = rr_store_open (db, RR_STORE_OPEN_DEFAULT, &error);
      if (store == NULL)
        die ("open", error);
      window = GTK_WINDOW (gtk_window_new ());
      gtk_window_set_default_size (window, 1200, 760);
      gtk_window_set_child (window, rr_log_view_new (store, g_get_user_name ()));
      child_store = store;
      g_signal_connect_after (window, "realize", G_CALLBACK (on_realize), NULL);
      child_loop = g_main_loop_new (NULL, FALSE);
      gtk_window_present (window);
      g_main_loop_run (child_loop);
      gtk_window_destroy (window);
      g_main_loop_unref (child_loop);
      return 0;
    }
  if (g_str_equal (mode, "bare"))
    {
      app = G_APPLICATION (gtk_application_new ("nl.regelruimte.Bench", G_APPLICATION_NON_UNIQUE));
      g_signal_connect (app, "activate", G_CALLBACK (on_bare_activate), NULL);
      child_app = app;
      return g_application_run (app, 0, NULL);
    }
  else
    {
      char *args[] = { (char *) "regelruimte", (char *) "--database", (char *) db, NULL };

      textdomain (GETTEXT_PACKAGE);
      app = G_APPLICATION (rr_application_new ());
      g_signal_connect (app, "window-added", G_CALLBACK (on_window_added), NULL);
      child_app = app;
      return g_application_run (app, 3, args);
    }
}

/* ------------------------------------------------------ the child: input */

typedef int (*FakeKeyFunc) (Display *, unsigned int, Bool, unsigned long);
typedef int (*FakeButtonFunc) (Display *, unsigned int, Bool, unsigned long);
typedef int (*FakeMotionFunc) (Display *, int, int, int, unsigned long);

typedef struct {
  Display          *xd;
  FakeKeyFunc       fake_key;
  FakeButtonFunc    fake_button;
  FakeMotionFunc    fake_motion;
  RrStore          *store;
  const char       *login;
  GtkWindow        *window;
  RrDecisionEditor *editor;
  guint             keys;        /* presses of a key (a chord counts once) */
  guint             text_keys;   /* of these, the typed free text */
  guint             clicks;
} Input;

/* Lets the X server deliver what was sent and the widgets handle it. */
static void
settle (Input *in,
        guint  ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  XSync (in->xd, False);
  do
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }
  while (g_get_monotonic_time () < end);
}

static void
press (Input  *in,
       KeySym  keysym,
       Bool    down)
{
  KeyCode code = XKeysymToKeycode (in->xd, keysym);

  if (code == 0)
    {
      fprintf (stderr, "bench-app: no key for keysym 0x%lx\n", (unsigned long) keysym);
      exit (3);
    }
  in->fake_key (in->xd, code, down, CurrentTime);
}

/* One key press (with @modifiers held, and Shift when the symbol needs it):
 * one keystroke. */
static void
key (Input           *in,
     KeySym           keysym,
     GdkModifierType  modifiers)
{
  KeyCode code = XKeysymToKeycode (in->xd, keysym);
  gboolean shift = (modifiers & GDK_SHIFT_MASK) != 0
                   || (code != 0 && XkbKeycodeToKeysym (in->xd, code, 0, 0) != keysym
                       && XkbKeycodeToKeysym (in->xd, code, 0, 1) == keysym);

  if (modifiers & GDK_CONTROL_MASK)
    press (in, XK_Control_L, True);
  if (modifiers & GDK_ALT_MASK)
    press (in, XK_Alt_L, True);
  if (shift)
    press (in, XK_Shift_L, True);
  press (in, keysym, True);
  press (in, keysym, False);
  if (shift)
    press (in, XK_Shift_L, False);
  if (modifiers & GDK_ALT_MASK)
    press (in, XK_Alt_L, False);
  if (modifiers & GDK_CONTROL_MASK)
    press (in, XK_Control_L, False);
  in->keys++;
  settle (in, 10);
}

static void
type (Input      *in,
      const char *text,
      gboolean    free_text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      key (in, c == ' ' ? XK_space : (KeySym) gdk_unicode_to_keyval (c), 0);
      if (free_text)
        in->text_keys++;
    }
}

static gboolean
focus_within (Input     *in,
              GtkWidget *target)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (in->window));

  return focus != NULL && (focus == target || gtk_widget_is_ancestor (focus, target));
}

/* Tab (Ctrl+Tab out of a text view) until the focus is in @target. */
static void
tab_to (Input     *in,
        GtkWidget *target)
{
  for (guint i = 0; !focus_within (in, target); i++)
    {
      GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (in->window));

      if (i > 40)
        {
          fprintf (stderr, "bench-app: Tab does not reach %s\n", gtk_widget_get_name (target));
          exit (3);
        }
      key (in, XK_Tab, focus != NULL && GTK_IS_TEXT_VIEW (focus) ? GDK_CONTROL_MASK : 0);
    }
}

/* Where the middle of @widget is on the screen. */
static void
locate (Input     *in,
        GtkWidget *widget,
        int       *x,
        int       *y)
{
  GtkNative *native = gtk_widget_get_native (widget);
  graphene_point_t middle = GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.0f,
                                                 gtk_widget_get_height (widget) / 2.0f);
  graphene_point_t at;
  double dx, dy;
  Window child;

  if (native == NULL || !gtk_widget_compute_point (widget, GTK_WIDGET (native), &middle, &at))
    {
      fprintf (stderr, "bench-app: cannot place a click on a %s\n", G_OBJECT_TYPE_NAME (widget));
      exit (3);
    }
  gtk_native_get_surface_transform (native, &dx, &dy);
  XTranslateCoordinates (in->xd, gdk_x11_surface_get_xid (gtk_native_get_surface (native)),
                         DefaultRootWindow (in->xd), (int) (at.x + dx), (int) (at.y + dy),
                         x, y, &child);
}

/* One click of the first button in the middle of @widget, once it stays
 * where it is (the form makes room for the precedents as they come in). */
static void
click (Input     *in,
       GtkWidget *widget)
{
  int x, y, was_x = -1, was_y = -1;

  for (guint i = 0; i < 50; i++)
    {
      locate (in, widget, &x, &y);
      if (x == was_x && y == was_y)
        break;
      in->fake_motion (in->xd, -1, x, y, CurrentTime);
      settle (in, 60);
      was_x = x;
      was_y = y;
    }
  in->fake_button (in->xd, 1, True, CurrentTime);
  in->fake_button (in->xd, 1, False, CurrentTime);
  in->clicks++;
  settle (in, 60);
}

static GtkWidget *
find_label (GtkWidget  *widget,
            GtkNative  *not_in,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_is_drawable (widget)
      && gtk_widget_get_native (widget) != not_in
      && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, not_in, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A drop-down's choice by mouse: a click to open it, one on the term. */
static void
choose (Input       *in,
        const char  *name,
        RrVocab      vocab,
        const char  *code)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (gtk_widget_get_template_child (
                                           GTK_WIDGET (in->editor), RR_TYPE_DECISION_EDITOR, name));
  g_autoptr(GPtrArray) terms = rr_vocab_list (in->store, vocab, NULL);
  const char *label = NULL;
  guint index = 0;
  GtkWidget *item;

  for (guint i = 0; terms != NULL && i < terms->len; i++)
    if (g_str_equal (((RrTerm *) g_ptr_array_index (terms, i))->code, code))
      {
        label = ((RrTerm *) g_ptr_array_index (terms, i))->label;
        index = i;
      }
  if (label == NULL)
    {
      fprintf (stderr, "bench-app: no term %s\n", code);
      exit (3);
    }
  if (gtk_drop_down_get_selected (dropdown) == index)
    return;
  click (in, GTK_WIDGET (dropdown));
  settle (in, 150);
  item = find_label (GTK_WIDGET (dropdown), gtk_widget_get_native (GTK_WIDGET (dropdown)), label);
  if (item == NULL)
    {
      fprintf (stderr, "bench-app: the list of %s does not show ‘%s’\n", name, label);
      exit (3);
    }
  click (in, item);
  settle (in, 100);
  {
    GtkWidget *popover = find_descendant (GTK_WIDGET (dropdown), GTK_TYPE_POPOVER);

    for (guint i = 0; i < 50 && popover != NULL && gtk_widget_get_mapped (popover); i++)
      settle (in, 20);
  }
  if (gtk_drop_down_get_selected (dropdown) != index)
    {
      fprintf (stderr, "bench-app: clicking ‘%s’ did not choose it\n", label);
      exit (3);
    }
}

static gpointer
editor_child (Input      *in,
              const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (in->editor), RR_TYPE_DECISION_EDITOR, name);
}

/* Type-ahead: types @code a character at a time until the suggestions put
 * it first (the editor asks the same search), then Enter picks it. */
static void
type_ahead (Input      *in,
            const char *name,
            const char *code,
            gboolean    is_rule)
{
  GtkWidget *entry = editor_child (in, name);
  g_autofree char *today = rr_date_today ();
  glong len = g_utf8_strlen (code, -1);

  for (glong k = 1; k <= len; k++)
    {
      g_autofree char *prefix = g_utf8_substring (code, 0, k);
      g_autofree char *one = g_utf8_substring (code, k - 1, k);
      g_autoptr(GPtrArray) found = NULL;
      const char *first = NULL;

      type (in, one, FALSE);
      found = is_rule ? rr_rules_search (in->store, prefix, today, 10, NULL)
                      : rr_clients_search (in->store, in->login, prefix, 10, NULL);
      if (found != NULL && found->len > 0)
        first = is_rule ? ((RrRule *) g_ptr_array_index (found, 0))->code
                        : ((RrClient *) g_ptr_array_index (found, 0))->dossier;
      if (k == len)
        break;
      if (first != NULL && g_ascii_strcasecmp (first, code) == 0)
        {
          key (in, XK_Return, 0);
          break;
        }
    }
  if (g_ascii_strcasecmp (gtk_editable_get_text (GTK_EDITABLE (entry)), code) != 0)
    {
      fprintf (stderr, "bench-app: %s holds ‘%s’, not ‘%s’\n", name,
               gtk_editable_get_text (GTK_EDITABLE (entry)), code);
      exit (3);
    }
}

static void
record_and_check (Input         *in,
                  const char    *client,
                  RrOutcomeKind  outcome,
                  const char    *what)
{
  g_autoptr(RrDecision) decision = NULL;
  g_autoptr(GError) error = NULL;
  const char *number;

  key (in, XK_Return, GDK_CONTROL_MASK);
  settle (in, 300);
  number = rr_decision_editor_get_last_number (in->editor);
  if (number == NULL)
    {
      fprintf (stderr, "bench-app: %s was not recorded: %s\n", what,
               gtk_label_get_text (editor_child (in, "refusal_label")));
      exit (3);
    }
  decision = rr_decisions_get (in->store, in->login, number, 0, &error);
  if (decision == NULL)
    die ("the recorded decision", error);
  if (g_strcmp0 (decision->client_dossier, client) != 0
      || g_strcmp0 (decision->rule_code, RULE_CODE) != 0
      || decision->input->outcome != outcome)
    {
      fprintf (stderr, "bench-app: %s %s has the wrong client, rule or outcome\n", what, number);
      exit (3);
    }
  printf ("%s_number=%s\n", what, number);
}

static int
child_input (const char *db,
             const char *login,
             const char *client)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrStore) store = NULL;
  GdkDisplay *display;
  Input in = { 0 };
  void *xtst;

  textdomain (GETTEXT_PACKAGE);
  gtk_init ();
  display = gdk_display_get_default ();
  if (!GDK_IS_X11_DISPLAY (display))
    {
      fprintf (stderr, "bench-app: counting keystrokes needs an X display (GDK_BACKEND=x11)\n");
      return 3;
    }
  xtst = dlopen ("libXtst.so.6", RTLD_NOW);
  if (xtst == NULL)
    {
      fprintf (stderr, "bench-app: %s\n", dlerror ());
      return 3;
    }
  in.fake_key = (FakeKeyFunc) dlsym (xtst, "XTestFakeKeyEvent");
  in.fake_button = (FakeButtonFunc) dlsym (xtst, "XTestFakeButtonEvent");
  in.fake_motion = (FakeMotionFunc) dlsym (xtst, "XTestFakeMotionEvent");
  if (in.fake_key == NULL || in.fake_button == NULL || in.fake_motion == NULL)
    {
      fprintf (stderr, "bench-app: libXtst lacks the XTest calls\n");
      return 3;
    }
  in.xd = gdk_x11_display_get_xdisplay (display);

  store = rr_store_open (db, RR_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    die ("open", error);
  in.store = store;
  in.login = login;
  in.editor = RR_DECISION_EDITOR (rr_decision_editor_new (store, login));
  in.window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (in.window, 1200, 760);
  gtk_window_set_child (in.window, GTK_WIDGET (in.editor));
  gtk_window_present (in.window);
  settle (&in, 300);
  XSetInputFocus (in.xd, gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (in.window))),
                  RevertToParent, CurrentTime);
  settle (&in, 200);

  /* (a) Applied, for a known client and rule: from the empty form with the
   * cursor in its first field (as Ctrl+N leaves it). */
  gtk_widget_activate_action (GTK_WIDGET (in.editor), "editor.clear", NULL);
  settle (&in, 50);
  type_ahead (&in, "client_entry", client, FALSE);
  tab_to (&in, editor_child (&in, "rule_entry"));
  type_ahead (&in, "rule_entry", RULE_CODE, TRUE);
  choose (&in, "kind_dropdown", RR_VOCAB_KIND, "which-rule");
  if (!gtk_toggle_button_get_active (editor_child (&in, "applied_button")))
    key (&in, XK_a, GDK_ALT_MASK);
  tab_to (&in, editor_child (&in, "summary_entry"));
  type (&in, "Bijstand afgestemd op de gezinssituatie", TRUE);
  record_and_check (&in, client, RR_OUTCOME_APPLIED, "applied");
  printf ("applied_keys=%u\napplied_text_keys=%u\napplied_clicks=%u\n", in.keys, in.text_keys,
          in.clicks);

  /* (b) A deviation of the same rule for the same client, with its text. */
  in.keys = in.text_keys = in.clicks = 0;
  if (!focus_within (&in, editor_child (&in, "client_entry")))
    {
      fprintf (stderr, "bench-app: after recording, the cursor is not back in the first field\n");
      return 3;
    }
  type_ahead (&in, "client_entry", client, FALSE);
  tab_to (&in, editor_child (&in, "rule_entry"));
  type_ahead (&in, "rule_entry", RULE_CODE, TRUE);
  choose (&in, "kind_dropdown", RR_VOCAB_KIND, "rule-does-not-fit");
  /* Its mnemonic, Alt+D (under Xvfb without a window manager the first
   * click after a drop-down's list closes is lost). */
  if (!gtk_toggle_button_get_active (editor_child (&in, "deviated_button")))
    key (&in, XK_d, GDK_ALT_MASK);
  if (!gtk_toggle_button_get_active (editor_child (&in, "deviated_button")))
    {
      fprintf (stderr, "bench-app: Alt+D did not choose ‘Departed from’\n");
      return 3;
    }
  /* The fields slide in: wait for them, as a person would. */
  for (guint i = 0; i < 100 && !gtk_revealer_get_child_revealed (
                                  editor_child (&in, "deviation_revealer")); i++)
    settle (&in, 20);
  tab_to (&in, editor_child (&in, "summary_entry"));
  type (&in, "Geen verlaging bij dreigende huisuitzetting", TRUE);
  tab_to (&in, editor_child (&in, "circumstances_view"));
  type (&in, "Klant heeft hoge schulden, mantelzorg voor moeder en huurachterstand; "
             "huisuitzetting dreigt binnen een maand.", TRUE);
  tab_to (&in, editor_child (&in, "explanation_view"));
  type (&in, "Verlagen zou de huisuitzetting zeker maken; de kosten van dakloosheid en de "
             "schade voor de kinderen staan niet in verhouding tot het doel.", TRUE);
  choose (&in, "reason_dropdown", RR_VOCAB_REASON, "disproportionate");
  record_and_check (&in, client, RR_OUTCOME_DEVIATED, "deviated");
  printf ("deviated_keys=%u\ndeviated_text_keys=%u\ndeviated_clicks=%u\n", in.keys,
          in.text_keys, in.clicks);
  fflush (stdout);

  gtk_window_destroy (in.window);
  settle (&in, 50);
  return 0;
}

/* ------------------------------------------------------------- the parent */

static char *self_exe;

typedef struct {
  gboolean  done;
  char     *out;
  char     *err;
  GError   *error;
} Talk;

static void
on_talked (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Talk *talk = data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &talk->out, &talk->err,
                                        &talk->error);
  talk->done = TRUE;
}

static gboolean child_timed_out;

static gboolean
on_child_timeout (gpointer data)
{
  child_timed_out = TRUE;
  g_subprocess_force_exit (data);
  return G_SOURCE_REMOVE;
}

/* Runs this program again as a child; returns its key=value output, or
 * NULL when it took longer than @timeout seconds (it is stopped then). */
static GHashTable *
run_child_with (const char * const *args,
                const char         *renderer,
                double             *spawn_to_frame_ms,
                guint               timeout)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  GHashTable *values;
  Talk talk = { 0 };
  gint64 start;
  guint source;

  g_ptr_array_add (argv, self_exe);
  g_ptr_array_add (argv, (char *) "--child");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* NULL: GTK's own choice (or what GSK_RENDERER says in our environment). */
  if (renderer != NULL)
    g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", renderer, TRUE);
  start = g_get_monotonic_time ();
  child = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  if (child == NULL)
    die ("starting a child", error);
  g_subprocess_communicate_utf8_async (child, NULL, NULL, on_talked, &talk);
  child_timed_out = FALSE;
  source = g_timeout_add_seconds (timeout, on_child_timeout, child);
  while (!talk.done)
    g_main_context_iteration (NULL, TRUE);
  if (child_timed_out)
    {
      g_subprocess_wait (child, NULL, NULL);
      g_free (talk.out);
      g_free (talk.err);
      g_clear_error (&talk.error);
      return NULL;
    }
  g_source_remove (source);
  if (talk.error != NULL || !g_subprocess_wait_check (child, NULL, &error))
    {
      fprintf (stderr, "bench-app: the %s child failed: %s\n%s", args[0],
               talk.error != NULL ? talk.error->message : error != NULL ? error->message : "",
               talk.err != NULL ? talk.err : "");
      exit (2);
    }
  values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  lines = g_strsplit (talk.out != NULL ? talk.out : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *eq = strchr (lines[i], '=');

      if (eq != NULL)
        g_hash_table_insert (values, g_strndup (lines[i], eq - lines[i]), g_strdup (eq + 1));
    }
  if (spawn_to_frame_ms != NULL)
    {
      const char *frame = g_hash_table_lookup (values, "frame_us");

      if (frame == NULL)
        {
          fprintf (stderr, "bench-app: the %s child showed no frame\n%s", args[0],
                   talk.err != NULL ? talk.err : "");
          exit (2);
        }
      *spawn_to_frame_ms = (g_ascii_strtoll (frame, NULL, 10) - start) / 1000.0;
    }
  g_free (talk.out);
  g_free (talk.err);
  return values;
}

static GHashTable *
run_child (const char * const *args,
           double             *spawn_to_frame_ms,
           guint               timeout)
{
  return run_child_with (args, NULL, spawn_to_frame_ms, timeout);
}

static double
value (GHashTable *values,
       const char *name)
{
  const char *text = g_hash_table_lookup (values, name);

  return text != NULL ? g_ascii_strtod (text, NULL) : NAN;
}

typedef struct {
  char       *what;
  double      value;
  double      baseline;
  double      target;
  const char *note;
} Row;

static GArray *rows;

static void
add_row (const char *what,
         double      measured,
         double      baseline,
         double      target,
         const char *note)
{
  Row row = { g_strdup (what), measured, baseline, target, note };

  g_array_append_val (rows, row);
}

/* The account the window opens as is the system login: give it every role
 * so the window shows every view, the Logboek over all decisions. */
static void
prepare_login (RrStore *store,
               sqlite3 *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrUser) me = NULL;
  g_autofree char *admin = raw_text (db, "SELECT u.login FROM users u JOIN user_roles r"
                                         " ON r.user_id = u.id AND r.role = 'beheerder'"
                                         " WHERE u.active = 1 ORDER BY u.id LIMIT 1");
  g_autoptr(RrUser) admin_user = NULL;
  const char *login = g_get_user_name ();
  RrRoles all = RR_ROLE_KLANTMANAGER | RR_ROLE_TEAMLEIDER | RR_ROLE_AUDITOR | RR_ROLE_BEHEERDER;

  if (admin == NULL || (admin_user = rr_users_lookup (store, admin, &error)) == NULL)
    die ("no beheerder in the database", error);
  me = rr_users_lookup (store, login, NULL);
  if (me == NULL)
    {
      if (!rr_users_add (store, admin, login, login, admin_user->team, all, &error))
        die ("adding the system login", error);
      return;
    }
  for (RrRoles role = RR_ROLE_KLANTMANAGER; role <= RR_ROLE_BEHEERDER; role <<= 1)
    if ((me->roles & role) == 0 && !rr_users_grant (store, admin, login, role, &error))
      die ("granting a role", error);
  if (!me->active && !rr_users_set_active (store, admin, login, TRUE, &error))
    die ("activating the system login", error);
}

/* A page of the log through the model as the view asks for it, at random
 * pages, beside a bare select of the same rows by id. */
static void
measure_pages (RrStore    *store,
               const char *path,
               const char *login)
{
  g_autoptr(RrDecisionListModel) model = NULL;
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) base_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  GString *sql = g_string_new ("SELECT * FROM decisions WHERE id IN (");
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n, n_pages;
  gint64 start;
  double load_ms;

  /* The page cache the window's connection has. */
  rr_store_set_cache_size (store, RR_APP_CACHE_KIB);
  start = g_get_monotonic_time ();
  model = rr_decision_list_model_new (store, login);
  load_ms = elapsed_ms (start);
  if (rr_decision_list_model_get_error (model) != NULL)
    die ("the Logboek's model", (GError *) rr_decision_list_model_get_error (model));
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  n_pages = (n + RR_DECISION_LIST_PAGE_SIZE - 1) / RR_DECISION_LIST_PAGE_SIZE;
  if (n == 0)
    die ("the Logboek is empty", NULL);

  for (guint i = 0; i < RR_DECISION_LIST_PAGE_SIZE; i++)
    g_string_append_printf (sql, "%s?%u", i > 0 ? ", " : "", i + 1);
  g_string_append (sql, ")");
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
    die ("bare select", NULL);
  g_string_free (sql, TRUE);

  /* The first page comes with the window (and prepares the statements):
   * measure the ones scrolling brings. */
  g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), 0));
  g_hash_table_add (seen, GUINT_TO_POINTER (0));

  for (guint i = 0; i < N_PAGES && g_hash_table_size (seen) < n_pages; i++)
    {
      guint page, first, count, fetched;
      GObject *item;
      double t;

      do
        page = g_rand_int_range (rand, 0, n_pages);
      while (g_hash_table_contains (seen, GUINT_TO_POINTER (page)));
      g_hash_table_add (seen, GUINT_TO_POINTER (page));
      first = page * RR_DECISION_LIST_PAGE_SIZE;
      count = MIN (RR_DECISION_LIST_PAGE_SIZE, n - first);
      fetched = rr_decision_list_model_get_n_pages_fetched (model);

      start = g_get_monotonic_time ();
      item = g_list_model_get_item (G_LIST_MODEL (model),
                                    first + g_rand_int_range (rand, 0, count));
      t = elapsed_ms (start);
      if (item == NULL || rr_decision_list_model_get_n_pages_fetched (model) != fetched + 1)
        die ("a page of the Logboek", (GError *) rr_decision_list_model_get_error (model));
      g_object_unref (item);
      g_array_append_val (ms, t);

      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      for (guint j = 0; j < count; j++)
        {
          g_autoptr(RrDecisionItem) row = g_list_model_get_item (G_LIST_MODEL (model), first + j);

          sqlite3_bind_int64 (stmt, j + 1, rr_decision_item_get_row (row)->id);
        }
      start = g_get_monotonic_time ();
      while (sqlite3_step (stmt) == SQLITE_ROW)
        for (int c = 0; c < sqlite3_column_count (stmt); c++)
          (void) sqlite3_column_text (stmt, c);
      t = elapsed_ms (start);
      g_array_append_val (base_ms, t);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  add_row ("Logboek model load, all ids (ms)", load_ms, NAN, NAN,
           "once per filter, off the main thread");
  add_row ("page fetch p50 (ms)", percentile (ms, 50), percentile (base_ms, 50), NAN,
           "100 rows by id");
  add_row ("page fetch p95 (ms)", percentile (ms, 95), percentile (base_ms, 95), 8,
           "baseline: bare SELECT of the same ids");
}

static double
median (GArray *values)
{
  return percentile (values, 50);
}

/* "GskGLRenderer" → "GL", "GskCairoRenderer" → "Cairo". */
static char *
renderer_name (GHashTable *values)
{
  const char *type = g_hash_table_lookup (values, "renderer");
  const char *name = type != NULL && g_str_has_prefix (type, "Gsk") ? type + 3 : type;

  if (name == NULL)
    return g_strdup ("?");
  if (g_str_has_suffix (name, "Renderer"))
    return g_strndup (name, strlen (name) - strlen ("Renderer"));
  return g_strdup (name);
}

/* Scrolls the whole Logboek in the real window (or an RrLogView on its own
 * when the window is too slow) in a fresh process with @renderer (NULL:
 * the application's own choice), and adds its memory beside the bare
 * window's with the same renderer (@names: the renderers the bare windows
 * were measured with, @bare_mb their memory, @bare_parts its parts).
 * Returns the renderer it used. */
static char *
scroll_log (const char         *path,
            const char         *renderer,
            const char         *label,
            char              **names,
            const double       *bare_mb_of,
            GHashTable        **bare_parts_of,
            gboolean            window_too_slow,
            guint               frame_timeout)
{
  const char *args[] = { "scroll", path, NULL };
  const char *log_args[] = { "scroll-log", path, NULL };
  g_autoptr(GHashTable) scrolled = NULL;
  g_autofree char *used = NULL;
  GHashTable *bare_parts = NULL;
  double bare_mb = NAN;
  double ignored;
  char what[128];

  if (!window_too_slow)
    scrolled = run_child_with (args, renderer, &ignored, frame_timeout + 3600);
  else
    {
      fprintf (stderr, "bench-app: scrolling the Logboek on its own (RrLogView in a window)\n");
      scrolled = run_child_with (log_args, renderer, &ignored, frame_timeout + 3600);
    }
  if (scrolled == NULL)
    die ("scrolling the Logboek took more than an hour", NULL);
  used = renderer_name (scrolled);
  if (label != NULL && g_strcmp0 (used, label) != 0)
    {
      fprintf (stderr, "bench-app: the scroll child used %s, the bare window %s\n", used, label);
      exit (2);
    }
  for (guint r = 0; r < 2; r++)
    if (g_strcmp0 (names[r], used) == 0)
      {
        bare_mb = bare_mb_of[r];
        bare_parts = bare_parts_of[r];
      }
  if (bare_parts == NULL)
    {
      fprintf (stderr, "bench-app: no bare window was measured with %s\n", used);
      exit (2);
    }
  g_snprintf (what, sizeof what, "%s scroll, %s: frames",
              window_too_slow ? "Logboek (RrLogView alone)" : "Logboek view", used);
  add_row (what, value (scrolled, "scroll_steps"), NAN, NAN,
           renderer == NULL ? "the application's own renderer; one step a frame"
                            : renderer[0] == 'g' ? "GSK_RENDERER=gl; one step a frame"
                                                 : "GSK_RENDERER=cairo; one step a frame");
  add_row ("  pages fetched by the view", value (scrolled, "scroll_pages"), NAN, NAN, "");
  add_row ("  time a scroll step takes (ms)",
           value (scrolled, "scroll_ms") / MAX (1.0, value (scrolled, "scroll_steps")), NAN, NAN,
           "fetch, bind and draw a page, frame to frame");
  add_row ("  RSS with the list in, unscrolled (MB)", value (scrolled, "loaded_rss_kb") / 1024.0,
           bare_mb, NAN, "the Logboek shown, its ids loaded");
  g_snprintf (what, sizeof what, "  RSS after scrolling the view, %s (MB)", used);
  add_row (what, value (scrolled, "view_rss_kb") / 1024.0, bare_mb, 150,
           "baseline: bare window peak RSS, same renderer");
  add_row ("  every row fetched in order (ms)", value (scrolled, "walk_ms"), NAN, NAN,
           "g_list_model_get_item over all rows");
  g_snprintf (what, sizeof what, "RSS after scrolling all rows, %s (MB)", used);
  add_row (what, value (scrolled, "walk_rss_kb") / 1024.0, bare_mb, 150,
           "baseline: bare window peak RSS, same renderer");
  add_row ("  pages held by the model at the end", value (scrolled, "walk_resident"), NAN,
           RR_DECISION_LIST_MAX_PAGES, "its bound");
  add_row ("  peak RSS, scroll process (MB)", value (scrolled, "walk_hwm_kb") / 1024.0, bare_mb,
           NAN, "");
  add_row ("  of it SQLite's page cache (MB)", value (scrolled, "walk_sqlite_kb") / 1024.0, NAN,
           NAN, "at most the store's cache_size");
  add_row ("  of it anonymous (MB)", value (scrolled, "walk_anon_kb") / 1024.0,
           value (bare_parts, "frame_anon_kb") / 1024.0, NAN, "heap, renderer buffers");
  add_row ("    malloc in use (MB)", value (scrolled, "walk_malloc_used_kb") / 1024.0,
           value (bare_parts, "frame_malloc_used_kb") / 1024.0, NAN, "");
  add_row ("    malloc free, kept (MB)", value (scrolled, "walk_malloc_free_kb") / 1024.0,
           value (bare_parts, "frame_malloc_free_kb") / 1024.0, NAN, "");
  add_row ("  of it file-backed (MB)", value (scrolled, "walk_file_kb") / 1024.0,
           value (bare_parts, "frame_file_kb") / 1024.0, NAN, "libraries, fonts");
  add_row ("  RSS above the bare window (MB)", value (scrolled, "walk_rss_kb") / 1024.0 - bare_mb,
           NAN, NAN, "what the app adds to a bare window");
  return g_steal_pointer (&used);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RrStore) store = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *km = NULL;
  g_autofree char *km_client = NULL;
  g_autoptr(GArray) bare_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) app_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) bare_in = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) app_in = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) bare_kb = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) app_kb = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GHashTable) input = NULL;
  g_autofree char *default_renderer = NULL;
  g_autofree char *app_renderer = NULL;
  /* GSK_RENDERER for both windows, as named, and as the children report
   * it, their bare window's memory and its parts. */
  const char *forced[] = { "gl", "cairo" };
  char *forced_name[G_N_ELEMENTS (forced)] = { NULL };
  double forced_bare_mb[G_N_ELEMENTS (forced)] = { NAN, NAN };
  GHashTable *forced_parts[G_N_ELEMENTS (forced)] = { NULL };
  const char *timeout_env = g_getenv ("RR_BENCH_FRAME_TIMEOUT");
  guint frame_timeout = timeout_env != NULL ? MAX (1, atoi (timeout_env)) : 120;
  gboolean window_too_slow = FALSE;
  const char *env = g_getenv ("RR_BENCH_DECISIONS");
  const char *kept = g_getenv ("RR_BENCH_DB");
  const char *runs_env = g_getenv ("RR_BENCH_RUNS");
  guint n = 1000000;
  guint runs = runs_env != NULL ? MAX (1, atoi (runs_env)) : 5;
  gboolean made_dir = FALSE;
  sqlite3 *db = NULL;
  gint64 n_decisions;

  main_start_us = g_get_monotonic_time ();
  setlocale (LC_ALL, "");
  rr_core_init_i18n ();

  /* Settings of the children: the schema in the build tree, nothing kept. */
  g_setenv ("GSETTINGS_SCHEMA_DIR", RR_SCHEMA_DIR, FALSE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", FALSE);
  g_setenv ("GDK_BACKEND", "x11", FALSE);

  if (argc >= 3 && g_str_equal (argv[1], "--child"))
    {
      if (g_str_equal (argv[2], "input") && argc == 6)
        return child_input (argv[3], argv[4], argv[5]);
      return child_window (argv[2], argc > 3 ? argv[3] : NULL);
    }

  if (argc > 1)
    n = (guint) g_ascii_strtoull (argv[1], NULL, 10);
  else if (env != NULL)
    n = (guint) g_ascii_strtoull (env, NULL, 10);
  if (n < 1000)
    n = 1000;
  if (g_getenv ("DISPLAY") == NULL)
    {
      fprintf (stderr, "bench-app: no X display: run it as `xvfb-run -a bench-app`\n");
      return 2;
    }

  if (kept != NULL)
    path = g_strdup (kept);
  else
    {
      if (g_getenv ("RR_BENCH_DIR") != NULL)
        {
          dir = g_strdup (g_getenv ("RR_BENCH_DIR"));
          g_mkdir_with_parents (dir, 0700);
        }
      else if ((dir = g_dir_make_tmp ("rr-bench-app-XXXXXX", &error)) == NULL)
        die ("temporary folder", error);
      else
        made_dir = TRUE;
      path = g_build_filename (dir, "bench-app.db", NULL);
    }
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      gint64 start = g_get_monotonic_time ();

      store = rr_store_open (path, RR_STORE_OPEN_CREATE | RR_STORE_OPEN_BULK, &error);
      if (store == NULL || !rr_store_initialise (store, "beheer", "Beheer", "Gemeente Bench",
                                                 "Team Noord", &error))
        die ("create", error);
      if (!rr_demo_generate (store, n, 1, NULL, NULL, NULL, &error))
        die ("demo", error);
      g_clear_object (&store);
      printf ("generated %u decisions in %.1f s\n", n, (g_get_monotonic_time () - start) / 1e6);
    }

  store = rr_store_open (path, RR_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    die ("open", error);
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    die ("open raw", NULL);
  prepare_login (store, db);
  {
    g_autofree char *count = raw_text (db, "SELECT count (*) FROM decisions");

    n_decisions = g_ascii_strtoll (count, NULL, 10);
  }
  km = raw_text (db, "SELECT u.login FROM users u JOIN user_roles r ON r.user_id = u.id"
                     " AND r.role = 'klantmanager' JOIN clients c ON c.owner_id = u.id"
                     " AND c.active = 1 WHERE u.login <> 'beheer'"
                     " GROUP BY u.id ORDER BY count (*) DESC LIMIT 1");
  if (km != NULL)
    {
      char *sql = sqlite3_mprintf ("SELECT c.dossier FROM clients c JOIN users u"
                                   " ON u.id = c.owner_id WHERE u.login = '%q' AND c.active = 1"
                                   " ORDER BY c.id LIMIT 1", km);
      km_client = raw_text (db, sql);
      sqlite3_free (sql);
    }
  sqlite3_close (db);
  if (km == NULL || km_client == NULL)
    die ("no klantmanager with a client in the demo data", NULL);
  fprintf (stderr, "bench-app: %s (%" G_GINT64_FORMAT " decisions), window as %s, editor as %s\n",
           path, n_decisions, g_get_user_name (), km);

  rows = g_array_new (FALSE, FALSE, sizeof (Row));
  /* This very program, even when the build replaces the file meanwhile. */
  self_exe = (char *) "/proc/self/exe";

  /* 1. First frame: bare and real, alternating, each a fresh process, each
   * with the renderer it picks itself (the application prefers cairo to GL
   * drawn in software; the bare window takes GTK's default). */
  for (guint i = 0; i < runs; i++)
    {
      const char *bare_args[] = { "bare", NULL };
      const char *app_args[] = { "frame", path, NULL };
      g_autoptr(GHashTable) bare = NULL;
      g_autoptr(GHashTable) app = NULL;
      double b, a, v;

      bare = run_child (bare_args, &b, frame_timeout);
      if (bare == NULL)
        die ("a bare GTK window showed no frame in time", NULL);
      g_array_append_val (bare_ms, b);
      v = (value (bare, "frame_us") - value (bare, "main_us")) / 1000.0;
      g_array_append_val (bare_in, v);
      v = value (bare, "frame_hwm_kb") / 1024.0;
      g_array_append_val (bare_kb, v);
      g_free (default_renderer);
      default_renderer = renderer_name (bare);
      app = run_child (app_args, &a, frame_timeout);
      if (app == NULL)
        {
          /* One is enough to know: a lower bound, and no more runs. */
          fprintf (stderr, "bench-app: the window showed no frame within %u s\n", frame_timeout);
          window_too_slow = TRUE;
          a = frame_timeout * 1000.0;
          g_array_append_val (app_ms, a);
          break;
        }
      g_array_append_val (app_ms, a);
      v = (value (app, "frame_us") - value (app, "main_us")) / 1000.0;
      g_array_append_val (app_in, v);
      v = value (app, "frame_hwm_kb") / 1024.0;
      g_array_append_val (app_kb, v);
      g_free (app_renderer);
      app_renderer = renderer_name (app);
      fprintf (stderr, "bench-app: first frame, run %u: bare %.0f ms (%s), app %.0f ms (%s)\n",
               i + 1, b, default_renderer, a, app_renderer);
    }
  {
    double bare = median (bare_ms), app = median (app_ms);
    g_autofree char *what = g_strdup_printf ("first frame, spawn→frame, median of %u (ms)",
                                             app_ms->len);
    g_autofree char *note = g_strdup_printf ("baseline: a bare GtkApplicationWindow; app %s,"
                                             " bare %s, each its own choice",
                                             app_renderer != NULL ? app_renderer : "?",
                                             default_renderer);

    add_row (what, app, bare, NAN, window_too_slow ? "NO FRAME in time: at least this" : note);
    add_row ("first frame ratio app / bare", app / bare, 1.0, 1.5,
             window_too_slow ? "at least" : "");
    if (!window_too_slow)
      {
        add_row ("first frame, main→frame, median (ms)", median (app_in), median (bare_in), NAN,
                 "in-process part");
        g_autofree char *rss = g_strdup_printf ("peak RSS at first frame, app %s (MB)",
                                                app_renderer);

        add_row (rss, median (app_kb), median (bare_kb), NAN,
                 "each its own renderer; baseline: bare window");
      }
  }

  /* 1b. The same with one renderer for both, named in GSK_RENDERER (which
   * the application keeps): what each renderer costs the real window
   * against the bare one. */
  for (guint r = 0; r < G_N_ELEMENTS (forced); r++)
    {
      const char *bare_args[] = { "bare", NULL };
      const char *app_args[] = { "frame", path, NULL };
      g_autoptr(GArray) f_bare_ms = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) f_app_ms = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) f_bare_kb = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) f_app_kb = g_array_new (FALSE, FALSE, sizeof (double));
      g_autofree char *what = NULL;

      for (guint i = 0; i < runs; i++)
        {
          g_autoptr(GHashTable) bare = NULL;
          g_autoptr(GHashTable) app = NULL;
          double b, a, v;

          bare = run_child_with (bare_args, forced[r], &b, frame_timeout);
          if (bare == NULL)
            die ("a bare GTK window showed no frame in time", NULL);
          g_array_append_val (f_bare_ms, b);
          v = value (bare, "frame_hwm_kb") / 1024.0;
          g_array_append_val (f_bare_kb, v);
          g_free (forced_name[r]);
          forced_name[r] = renderer_name (bare);
          g_clear_pointer (&forced_parts[r], g_hash_table_unref);
          forced_parts[r] = g_hash_table_ref (bare);
          if (window_too_slow)
            continue;
          app = run_child_with (app_args, forced[r], &a, frame_timeout);
          if (app == NULL)
            continue;
          g_array_append_val (f_app_ms, a);
          v = value (app, "frame_hwm_kb") / 1024.0;
          g_array_append_val (f_app_kb, v);
          fprintf (stderr, "bench-app: first frame, GSK_RENDERER=%s, run %u: bare %.0f ms,"
                   " app %.0f ms\n", forced[r], i + 1, b, a);
        }
      forced_bare_mb[r] = median (f_bare_kb);
      if (f_app_ms->len > 0)
        {
          what = g_strdup_printf ("  first frame, %s, median of %u (ms)", forced_name[r],
                                  f_app_ms->len);
          add_row (what, median (f_app_ms), median (f_bare_ms), NAN,
                   forced[r][0] == 'g' ? "GSK_RENDERER=gl for both"
                                       : "GSK_RENDERER=cairo for both");
          g_clear_pointer (&what, g_free);
          what = g_strdup_printf ("  first frame ratio, %s for both", forced_name[r]);
          add_row (what, median (f_app_ms) / median (f_bare_ms), 1.0, NAN, "");
          g_clear_pointer (&what, g_free);
        }
      what = g_strdup_printf ("peak RSS at first frame, %s (MB)", forced_name[r]);
      add_row (what, f_app_kb->len > 0 ? median (f_app_kb) : NAN, forced_bare_mb[r], NAN,
               "baseline: bare window, same renderer");
    }

  /* 2. Scrolling the whole Logboek in the real window: with the renderer
   * the application picks, then with each renderer named (unless it is
   * the one picked). Each beside the bare window with the same renderer. */
  {
    g_autofree char *used = scroll_log (path, NULL, NULL, forced_name, forced_bare_mb,
                                        forced_parts, window_too_slow, frame_timeout);

    for (guint r = 0; r < G_N_ELEMENTS (forced); r++)
      if (g_strcmp0 (used, forced_name[r]) != 0)
        g_free (scroll_log (path, forced[r], forced_name[r], forced_name, forced_bare_mb,
                            forced_parts, window_too_slow, frame_timeout));
  }

  /* 3. Page fetch through the model. */
  measure_pages (store, path, g_get_user_name ());
  g_clear_object (&store);

  /* 4. Keystrokes and clicks in the real editor. */
  {
    const char *args[] = { "input", path, km, km_client, NULL };

    input = run_child (args, NULL, 600);
    if (input == NULL)
      die ("recording in the editor took more than 10 minutes", NULL);
    add_row ("record applied: keystrokes", value (input, "applied_keys"), NAN, NAN,
             "incl. the summary");
    add_row ("  of which typed free text", value (input, "applied_text_keys"), NAN, NAN, "");
    add_row ("  without free text", value (input, "applied_keys")
                                    - value (input, "applied_text_keys"), NAN, NAN, "");
    add_row ("  clicks", value (input, "applied_clicks"), NAN, NAN, "");
    add_row ("record deviation: keystrokes", value (input, "deviated_keys"), NAN, NAN,
             "incl. its three texts");
    add_row ("  of which typed free text", value (input, "deviated_text_keys"), NAN, NAN, "");
    add_row ("  without free text", value (input, "deviated_keys")
                                    - value (input, "deviated_text_keys"), NAN, NAN, "");
    add_row ("  clicks", value (input, "deviated_clicks"), NAN, NAN, "");
  }

  printf ("\nRegelruimte application benchmark: %" G_GINT64_FORMAT " decisions in %s\n\n",
          n_decisions, path);
  printf ("%-44s %10s %10s %8s  %s\n", "what", "measured", "baseline", "target", "");
  for (guint i = 0; i < rows->len; i++)
    {
      Row *r = &g_array_index (rows, Row, i);
      char base[32] = "-", target[32] = "-";

      if (!isnan (r->baseline))
        g_snprintf (base, sizeof base, "%.2f", r->baseline);
      if (!isnan (r->target))
        g_snprintf (target, sizeof target, "≤%.1f", r->target);
      printf ("%-44s %10.2f %10s %8s  %-4s %s\n", r->what, r->value, base, target,
              isnan (r->target) ? "" : r->value <= r->target ? "PASS" : "FAIL", r->note);
      g_free (r->what);
    }
  printf ("\nrecorded %s (applied) and %s (deviation) for client %s, rule %s, as %s\n",
          (char *) g_hash_table_lookup (input, "applied_number"),
          (char *) g_hash_table_lookup (input, "deviated_number"), km_client, RULE_CODE, km);
  printf ("GSK renderer: the first frame rows and the first Logboek scroll with each window's own"
          " choice (GSK_RENDERER %s; the application prefers cairo to GL drawn in software, the"
          " bare window takes GTK's default); the rows marked %s and %s with GSK_RENDERER=%s and"
          " =%s for both. Each memory baseline is the bare window with the same renderer: GTK's"
          " own share with it.\n",
          g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "unset",
          forced_name[0], forced_name[1], forced[0], forced[1]);
  printf ("keystrokes: each key pressed counts once, with the modifiers it is held with; the form"
          " starts empty with the cursor in its first field\n");
  g_array_unref (rows);
  for (guint r = 0; r < G_N_ELEMENTS (forced); r++)
    {
      g_free (forced_name[r]);
      g_clear_pointer (&forced_parts[r], g_hash_table_unref);
    }

  if (made_dir)
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      g_unlink (path);
      g_unlink (wal);
      g_unlink (shm);
      g_rmdir (dir);
    }
  return 0;
}
