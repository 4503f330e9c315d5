/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-renderer"
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "rr-application.h"
#include "rr-renderer.h"
#include "rr-ui-test-util.h"
#include "rr-window.h"

/* Which GSK renderer the application picks: cairo only for GL drawn in
 * software, never over GSK_RENDERER. */
static void
test_choose (void)
{
  const char *llvmpipe = "llvmpipe (LLVM 15.0.6, 256 bits)";
  const struct {
    const char *requested;
    const char *gl;
    const char *expected;
  } cases[] = {
    /* Mesa's software rasterisers (what a VDI desktop without a GPU has). */
    { NULL, llvmpipe, "cairo" },
    { "", llvmpipe, "cairo" },
    { NULL, "softpipe", "cairo" },
    { NULL, "Software Rasterizer", "cairo" },
    { NULL, "zink (llvmpipe (LLVM 15.0.6, 256 bits))", "cairo" },
    /* A renderer asked for stands, known to GTK or not. */
    { "gl", llvmpipe, NULL },
    { "ngl", llvmpipe, NULL },
    { "cairo", llvmpipe, NULL },
    { "vulkan", "softpipe", NULL },
    { "nonsense", llvmpipe, NULL },
    /* GPUs keep GL, also when their string names LLVM (radeonsi, SVGA3D). */
    { NULL, "Mesa Intel(R) UHD Graphics 620 (KBL GT2)", NULL },
    { NULL, "AMD Radeon RX 6600 (navi23, LLVM 15.0.6, DRM 3.49, 6.1.0-18-amd64)", NULL },
    { NULL, "SVGA3D; build: RELEASE;  LLVM;", NULL },
    { NULL, "virgl (Mesa Intel(R) UHD Graphics 620 (KBL GT2))", NULL },
    { NULL, "NVIDIA GeForce GTX 1050/PCIe/SSE2", NULL },
    /* No GL at all: GTK falls back to cairo by itself. */
    { NULL, NULL, NULL },
    { NULL, "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("GSK_RENDERER=%s, GL_RENDERER=%s",
                      cases[i].requested != NULL ? cases[i].requested : "(unset)",
                      cases[i].gl != NULL ? cases[i].gl : "(no GL)");
      g_assert_cmpstr (rr_renderer_choose (cases[i].requested, cases[i].gl), ==,
                       cases[i].expected);
    }
  g_assert_true (rr_renderer_is_software (llvmpipe));
  g_assert_false (rr_renderer_is_software ("Mesa Intel(R) Xe Graphics (TGL GT2)"));
  g_assert_false (rr_renderer_is_software (NULL));
}

static const char *
renderer_of (GtkWidget *window)
{
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));

  g_assert_nonnull (renderer);
  return G_OBJECT_TYPE_NAME (renderer);
}

/* The real application on this display: its main window draws with cairo
 * exactly when the display's GL is a software rasteriser, and GTK's GL
 * renderer otherwise (the X server of the tests, Xvfb, has Mesa's). */
static void
test_application (RrFixture *fx, gconstpointer data)
{
  g_autoptr(RrApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *gl = NULL;
  RrWindow *window;

  if (g_getenv ("GSK_RENDERER") != NULL)
    {
      g_test_skip ("GSK_RENDERER is set: the application keeps it");
      return;
    }
  gl = rr_renderer_probe_gl (gdk_display_get_default ());
  g_test_message ("GL_RENDERER: %s", gl != NULL ? gl : "(no GL)");

  app = rr_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  window = rr_window_new (GTK_APPLICATION (app), fx->store, "km1");
  gtk_window_present (GTK_WINDOW (window));
  rr_ui_pump ();
  if (gl == NULL)
    g_assert_cmpstr (renderer_of (GTK_WIDGET (window)), ==, "GskCairoRenderer");
  else if (rr_renderer_is_software (gl))
    g_assert_cmpstr (renderer_of (GTK_WIDGET (window)), ==, "GskCairoRenderer");
  else
    g_assert_cmpstr (renderer_of (GTK_WIDGET (window)), ==, "GskGLRenderer");
  /* It still shows its views. */
  g_assert_cmpstr (rr_window_get_view (window), ==, "record");
  gtk_window_destroy (GTK_WINDOW (window));
  rr_ui_pump ();
}

/* GSK_RENDERER=gl is kept even on a software rasteriser: the window draws
 * with GL. In a child, where no window was realized yet. */
static void
test_requested (RrFixture *fx, gconstpointer data)
{
  if (g_test_subprocess ())
    {
      g_autoptr(RrApplication) app = rr_application_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *gl = rr_renderer_probe_gl (gdk_display_get_default ());
      RrWindow *window;

      g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "gl");
      g_assert_null (rr_renderer_apply (gdk_display_get_default ()));
      g_application_register (G_APPLICATION (app), NULL, &error);
      g_assert_no_error (error);
      g_assert_null (g_object_get_data (G_OBJECT (gdk_display_get_default ()),
                                        "gsk-renderer"));
      window = rr_window_new (GTK_APPLICATION (app), fx->store, "km1");
      gtk_window_present (GTK_WINDOW (window));
      rr_ui_pump ();
      g_assert_cmpstr (renderer_of (GTK_WIDGET (window)), ==,
                       gl != NULL ? "GskGLRenderer" : "GskCairoRenderer");
      gtk_window_destroy (GTK_WINDOW (window));
      rr_ui_pump ();
      return;
    }
  g_setenv ("GSK_RENDERER", "gl", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("GSK_RENDERER");
  g_test_trap_assert_passed ();
}

int
main (int argc, char *argv[])
{
  rr_ui_init (&argc, &argv);

  g_test_add_func ("/rr/renderer/choose", test_choose);
  g_test_add ("/rr/renderer/requested", RrFixture, NULL, rr_fixture_setup, test_requested,
              rr_fixture_teardown);
  g_test_add ("/rr/renderer/application", RrFixture, NULL, rr_fixture_setup, test_application,
              rr_fixture_teardown);
  return g_test_run ();
}
