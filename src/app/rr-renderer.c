/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-renderer"
#include "config.h"

#include <string.h>
#include <epoxy/gl.h>

#include "rr-renderer.h"

/* Which GSK renderer the windows use.
 *
 * Municipal workplaces often run on virtual desktops (VDI, Citrix) without
 * a GPU. GTK 4.8 then still picks its GL renderer, and GL there is Mesa's
 * software rasteriser (llvmpipe): every shader the renderer needs is
 * compiled by LLVM at run time and every pixel is drawn by the CPU. GTK's
 * cairo renderer draws the same widgets on the CPU directly, with less
 * memory, a faster first frame and faster scrolling (tests/bench/README.md
 * has the figures). So when, and only when, the GL that GTK would use is a
 * software rasteriser, the windows get the cairo renderer. A GPU keeps GL.
 *
 * Later GTK versions make the same test (gsk/gskrenderer.c: "renderer is
 * llvmpipe") and then pass over their first-choice GPU renderers, keeping
 * GL only as a fallback. GTK 4.8 has no setting for it: GSK reads the
 * renderer's name from the display's "gsk-renderer" data before
 * GSK_RENDERER (its inspector uses that to pick its own), so that is where
 * the choice goes. The key is not documented API: a GTK that stopped
 * reading it would simply make its own choice again. A renderer named in
 * GSK_RENDERER is always left as it is.
 *
 * The probe asks the GL_RENDERER string of a context on the display: GTK
 * 4.8 on X11 has already set up GL to choose its visual, so this costs one
 * small context; libepoxy, which GTK itself links, gives glGetString. */

/* The GL_RENDERER strings of Mesa's software rasterisers (llvmpipe also
 * under zink on lavapipe, "zink (llvmpipe …)"). Not "LLVM": VMware's
 * accelerated SVGA3D names its LLVM build too. */
static const char * const software_renderers[] = {
  "llvmpipe",
  "softpipe",
  "Software Rasterizer",
};

/**
 * rr_renderer_is_software:
 * @gl_renderer: (nullable): a GL_RENDERER string
 *
 * Returns: whether @gl_renderer names a software rasteriser
 */
gboolean
rr_renderer_is_software (const char *gl_renderer)
{
  if (gl_renderer == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (software_renderers); i++)
    if (strstr (gl_renderer, software_renderers[i]) != NULL)
      return TRUE;
  return FALSE;
}

/**
 * rr_renderer_choose:
 * @requested: (nullable): the value of GSK_RENDERER
 * @gl_renderer: (nullable): the GL_RENDERER string of the display's GL, or
 *   %NULL without GL
 *
 * Returns: (nullable): "cairo" when GL would be drawn in software and no
 *   renderer was asked for; %NULL to leave the choice to GTK
 */
const char *
rr_renderer_choose (const char *requested,
                    const char *gl_renderer)
{
  /* Whatever a person or their administrator asked for stands, even a
   * name GTK does not know (GTK then says so). */
  if (requested != NULL && *requested != '\0')
    return NULL;
  /* Without GL, GTK falls back to cairo on its own. */
  if (!rr_renderer_is_software (gl_renderer))
    return NULL;
  return "cairo";
}

/**
 * rr_renderer_probe_gl:
 * @display: a display
 *
 * Returns: (transfer full) (nullable): the GL_RENDERER string of a GL
 *   context on @display, or %NULL when it has no GL
 */
char *
rr_renderer_probe_gl (GdkDisplay *display)
{
  g_autoptr(GdkGLContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  char *result;

  g_return_val_if_fail (GDK_IS_DISPLAY (display), NULL);

  if (!gdk_display_prepare_gl (display, &error)
      || (context = gdk_display_create_gl_context (display, &error)) == NULL
      || !gdk_gl_context_realize (context, &error))
    {
      g_debug ("No GL on this display: %s", error != NULL ? error->message : "");
      return NULL;
    }
  gdk_gl_context_make_current (context);
  name = (const char *) glGetString (GL_RENDERER);
  result = g_strdup (name);
  gdk_gl_context_clear_current ();
  return result;
}

/**
 * rr_renderer_apply:
 * @display: the display the windows will be on, none of them realized yet
 *
 * Gives @display's windows the cairo renderer when its GL is drawn in
 * software and GSK_RENDERER names none.
 *
 * Returns: (nullable): the renderer chosen, or %NULL when GTK chooses
 */
const char *
rr_renderer_apply (GdkDisplay *display)
{
  const char *requested = g_getenv ("GSK_RENDERER");
  g_autofree char *gl_renderer = NULL;
  const char *chosen;

  g_return_val_if_fail (GDK_IS_DISPLAY (display), NULL);

  /* A renderer asked for needs no probe. */
  if (requested != NULL && *requested != '\0')
    return NULL;
  gl_renderer = rr_renderer_probe_gl (display);
  chosen = rr_renderer_choose (requested, gl_renderer);
  g_debug ("GL renderer: %s; GSK renderer: %s", gl_renderer != NULL ? gl_renderer : "none",
           chosen != NULL ? chosen : "GTK's choice");
  if (chosen != NULL)
    g_object_set_data (G_OBJECT (display), "gsk-renderer", (gpointer) chosen);
  return chosen;
}
