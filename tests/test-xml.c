/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "rr-error.h"
#include "rr-xml.h"
#include "rr-xml-private.h"

/* The XML layer on its own: every refusal of DESIGN §5 (no DTD, no
 * entities, no file or network access, size and depth caps, UTF-8 only),
 * schema validation, the streaming reader and the safe writer. */

#define WHAT "The test document is not valid"
#define CANARY_TEXT "canary-5f0c1e8a-never-read"

typedef struct
{
  char *dir;
  char *canary;       /* a file whose content must never be read */
  int   inotify_fd;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fx->dir = g_dir_make_tmp ("rr-xml-XXXXXX", &error);
  g_assert_no_error (error);
  fx->canary = g_build_filename (fx->dir, "canary.txt", NULL);
  g_file_set_contents (fx->canary, CANARY_TEXT "\n", -1, &error);
  g_assert_no_error (error);

  /* inotify tells us whether anybody so much as opened the canary. */
  fx->inotify_fd = inotify_init1 (IN_NONBLOCK | IN_CLOEXEC);
  g_assert_cmpint (fx->inotify_fd, >=, 0);
  g_assert_cmpint (inotify_add_watch (fx->inotify_fd, fx->canary, IN_OPEN | IN_ACCESS), >=, 0);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fx->dir, 0, NULL);
  const char *name;

  close (fx->inotify_fd);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fx->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fx->dir);
  g_free (fx->canary);
  g_free (fx->dir);
}

static void
assert_canary_untouched (Fixture *fx)
{
  char buffer[4096];
  ssize_t n = read (fx->inotify_fd, buffer, sizeof buffer);

  /* EAGAIN: no event at all. */
  g_assert_cmpint (n, <, 0);
}

static GBytes *
bytes_from_string (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

/* @before, the canary's path, @after. */
static char *
with_canary (Fixture    *fx,
             const char *before,
             const char *after)
{
  return g_strconcat (before, fx->canary, after, NULL);
}

/* Parses @text and expects an RR_ERROR_XML refusal that never shows the
 * canary's content. Returns the message for further checks. */
static char *
assert_refused (Fixture    *fx,
                const char *text)
{
  g_autoptr(GBytes) bytes = bytes_from_string (text);
  g_autoptr(GError) error = NULL;
  g_autoptr(RrXmlDoc) doc = NULL;

  doc = rr_xml_doc_parse (bytes, 0, WHAT, &error);
  g_assert_null (doc);
  g_assert_error (error, RR_ERROR, RR_ERROR_XML);
  g_assert_true (g_str_has_prefix (error->message, WHAT ": "));
  g_assert_null (strstr (error->message, CANARY_TEXT));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_test_message ("refused: %s", error->message);
  if (fx != NULL)
    assert_canary_untouched (fx);
  return g_strdup (error->message);
}

static void
test_well_formed (void)
{
  g_autoptr(GBytes) bytes = bytes_from_string ("<?xml version=\"1.0\"?>\n<a x=\"1\">t &amp; &#233;</a>\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(RrXmlDoc) doc = NULL;
  xmlChar *content;

  doc = rr_xml_doc_parse (bytes, 0, WHAT, &error);
  g_assert_no_error (error);
  g_assert_nonnull (doc);

  /* Predefined entities and character references are plain text. */
  content = xmlNodeGetContent (xmlDocGetRootElement (_rr_xml_doc_get_xml (doc)));
  g_assert_cmpstr ((const char *) content, ==, "t & é");
  xmlFree (content);
}

static void
test_malformed (void)
{
  g_autofree char *message = assert_refused (NULL, "<a>\n<b></a>\n");

  g_assert_nonnull (strstr (message, "line 2"));
}

static void
test_truncated (void)
{
  g_autofree char *message = assert_refused (NULL, "<?xml version=\"1.0\"?>\n<a><b>text</b><c>mo");
}

static void
test_empty (void)
{
  g_autofree char *message = assert_refused (NULL, "");
  g_autofree char *blank = assert_refused (NULL, "   \n");
}

static void
test_undeclared_entity (void)
{
  g_autofree char *message = assert_refused (NULL, "<a>&foo;</a>");
}

static void
test_dtd_internal (Fixture       *fx,
                   gconstpointer  data)
{
  g_autofree char *message = assert_refused (fx, "<?xml version=\"1.0\"?>\n"
                                                 "<!DOCTYPE a [<!ELEMENT a (#PCDATA)>]>\n"
                                                 "<a>x</a>");

  g_assert_nonnull (strstr (message, "DTD"));
  g_assert_nonnull (strstr (message, "line 2"));
}

static void
test_external_file_entity (Fixture       *fx,
                           gconstpointer  data)
{
  g_autofree char *doc = with_canary (fx, "<?xml version=\"1.0\"?>\n"
                                          "<!DOCTYPE a [<!ENTITY x SYSTEM \"file://",
                                          "\">]>\n<a>&x;</a>");
  g_autofree char *message = assert_refused (fx, doc);
}

static void
test_external_dtd (Fixture       *fx,
                   gconstpointer  data)
{
  g_autofree char *doc = with_canary (fx, "<?xml version=\"1.0\"?>\n<!DOCTYPE a SYSTEM \"",
                                          "\">\n<a/>");
  g_autofree char *message = assert_refused (fx, doc);
}

static void
test_external_http_entity (Fixture       *fx,
                           gconstpointer  data)
{
  g_autofree char *message =
    assert_refused (fx, "<!DOCTYPE a [<!ENTITY x SYSTEM \"http://127.0.0.1:9/evil.xml\">]>"
                        "<a>&x;</a>");
}

static void
test_parameter_entity (Fixture       *fx,
                       gconstpointer  data)
{
  g_autofree char *doc = with_canary (fx, "<!DOCTYPE a [\n  <!ENTITY % p SYSTEM \"file://",
                                          "\">\n  %p;\n]>\n<a/>");
  g_autofree char *message = assert_refused (fx, doc);
}

static void
test_billion_laughs (void)
{
  g_autoptr(GString) doc = g_string_new ("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n"
                                         "<!ENTITY lol \"lol\">\n");
  g_autofree char *message = NULL;
  gint64 start;

  for (int i = 1; i < 10; i++)
    {
      g_string_append_printf (doc, "<!ENTITY lol%d \"", i);
      for (int j = 0; j < 10; j++)
        g_string_append_printf (doc, i == 1 ? "&lol;" : "&lol%d;", i - 1);
      g_string_append (doc, "\">\n");
    }
  g_string_append (doc, "]>\n<lolz>&lol9;</lolz>\n");

  start = g_get_monotonic_time ();
  message = assert_refused (NULL, doc->str);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
}

static void
test_xinclude (Fixture       *fx,
               gconstpointer  data)
{
  g_autofree char *text = with_canary (fx, "<a xmlns:xi=\"http://www.w3.org/2001/XInclude\">"
                                           "<xi:include href=\"", "\" parse=\"text\"/></a>");
  g_autoptr(GBytes) bytes = bytes_from_string (text);
  g_autoptr(GError) error = NULL;
  g_autoptr(RrXmlDoc) doc = NULL;
  xmlChar *content;

  /* XInclude is never processed: the element stays an element, which no
   * schema of ours allows. */
  doc = rr_xml_doc_parse (bytes, 0, WHAT, &error);
  g_assert_no_error (error);
  content = xmlNodeGetContent (xmlDocGetRootElement (_rr_xml_doc_get_xml (doc)));
  g_assert_null (strstr ((const char *) content, CANARY_TEXT));
  xmlFree (content);
  assert_canary_untouched (fx);

  g_assert_false (rr_xml_doc_validate (doc, RR_XML_SCHEMA_CATALOGUE, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_XML);
  assert_canary_untouched (fx);
}

static void
test_entity_loader (Fixture       *fx,
                    gconstpointer  data)
{
  g_autofree char *url = g_strconcat ("file://", fx->canary, NULL);
  xmlParserInputPtr input;

  /* Whoever asks libxml2 for an external resource, in this process it
   * gets nothing: not a local file, not a plain path. */
  _rr_xml_init ();
  input = xmlLoadExternalEntity (url, NULL, NULL);
  g_assert_null (input);
  input = xmlLoadExternalEntity (fx->canary, NULL, NULL);
  g_assert_null (input);
  assert_canary_untouched (fx);
}

static void
test_deep_nesting (void)
{
  g_autoptr(GString) doc = g_string_new (NULL);
  g_autofree char *message = NULL;
  gint64 start;

  for (int i = 0; i < 10000; i++)
    g_string_append (doc, "<a>");
  for (int i = 0; i < 10000; i++)
    g_string_append (doc, "</a>");

  start = g_get_monotonic_time ();
  message = assert_refused (NULL, doc->str);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
}

/* libxml2's push parser does not apply its nesting limit itself: ours
 * does, whatever the handlers (none here, a schema's, a verifier's). */
static void
test_push_nesting (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) moderate = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RrXmlPush) push = NULL;

  for (int i = 0; i < 10000; i++)
    g_string_append (deep, "<a>");
  for (int i = 0; i < 10000; i++)
    g_string_append (deep, "</a>");
  for (int i = 0; i < 200; i++)
    g_string_append (moderate, "<a>");
  for (int i = 0; i < 200; i++)
    g_string_append (moderate, "</a>");

  push = _rr_xml_push_new (NULL, 0, WHAT, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  if (_rr_xml_push_feed (push, deep->str, deep->len, &error))
    _rr_xml_push_finish (push, &error);
  g_assert_error (error, RR_ERROR, RR_ERROR_XML);
  g_assert_nonnull (strstr (error->message, "256"));
  g_clear_error (&error);
  g_clear_pointer (&push, _rr_xml_push_free);

  push = _rr_xml_push_new (NULL, 0, WHAT, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (_rr_xml_push_feed (push, moderate->str, moderate->len, &error));
  g_assert_true (_rr_xml_push_finish (push, &error));
  g_assert_no_error (error);
}

static void
test_moderate_nesting (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RrXmlDoc) doc = NULL;

  /* Well within libxml2's default limit of 256 levels. */
  for (int i = 0; i < 200; i++)
    g_string_append (text, "<a>");
  for (int i = 0; i < 200; i++)
    g_string_append (text, "</a>");
  bytes = g_bytes_new (text->str, text->len);
  doc = rr_xml_doc_parse (bytes, 0, WHAT, &error);
  g_assert_no_error (error);
}

static void
test_invalid_utf8 (void)
{
  g_autofree char *message = assert_refused (NULL, "<a>\nok\n\xc3\x28</a>");
  static const char with_nul[] = "<a>x\0y</a>";
  g_autoptr(GBytes) bytes = g_bytes_new (with_nul, sizeof with_nul - 1);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (strstr (message, "UTF-8"));
  g_assert_nonnull (strstr (message, "line 3"));

  g_assert_null (rr_xml_doc_parse (bytes, 0, WHAT, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_XML);
}

static void
test_encoding_declaration (void)
{
  /* A declaration cannot make us read UTF-8 bytes as something else. */
  g_autoptr(GBytes) bytes =
    bytes_from_string ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xc3\xa9</a>");
  g_autoptr(GError) error = NULL;
  g_autoptr(RrXmlDoc) doc = NULL;
  xmlChar *content;

  doc = rr_xml_doc_parse (bytes, 0, WHAT, &error);
  g_assert_no_error (error);
  content = xmlNodeGetContent (xmlDocGetRootElement (_rr_xml_doc_get_xml (doc)));
  g_assert_cmpstr ((const char *) content, ==, "é");
  xmlFree (content);
}

static GBytes *
big_document (gsize text_size)
{
  GString *doc = g_string_sized_new (text_size + 64);

  g_string_append (doc, "<a>");
  for (gsize i = 0; i < text_size; i++)
    g_string_append_c (doc, 'x');
  g_string_append (doc, "</a>");
  return g_string_free_to_bytes (doc);
}

static void
test_too_large (void)
{
  g_autoptr(GBytes) bytes = big_document (20 * 1024 * 1024);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_null (rr_xml_doc_parse (bytes, 8 * 1024 * 1024, WHAT, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_XML);
  g_assert_nonnull (strstr (error->message, "larger than"));
  /* Refused on its size alone, before any parsing. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC / 10);
  g_clear_error (&error);

  /* A caller cannot lift the global cap. */
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = big_document (RR_XML_MAX_SIZE);
  g_assert_null (rr_xml_doc_parse (bytes, G_MAXSIZE, WHAT, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_XML);
}

static const char valid_catalogue[] =
  "<catalogue xmlns=\"https://regelruimte.nl/ns/catalogue/1\">"
  "<rule code=\"T-1\" version=\"1\"><title>Test</title><sourceKind>wet</sourceKind>"
  "<validFrom>2020-01-01</validFrom></rule></catalogue>";

static void
test_schema (void)
{
  g_autoptr(GBytes) good = bytes_from_string (valid_catalogue);
  g_autoptr(GBytes) bad = bytes_from_string ("<catalogue xmlns=\"https://regelruimte.nl/ns/catalogue/1\">"
                                             "<rule code=\"t 1\" version=\"1\"><title>Test</title>"
                                             "<sourceKind>wet</sourceKind>"
                                             "<validFrom>2020-01-01</validFrom></rule></catalogue>");
  g_autoptr(GBytes) other = bytes_from_string ("<catalogue><rule/></catalogue>");
  g_autoptr(GError) error = NULL;

  g_assert_true (rr_xml_validate_bytes (good, 0, RR_XML_SCHEMA_CATALOGUE, WHAT, &error));
  g_assert_no_error (error);

  g_assert_false (rr_xml_validate_bytes (bad, 0, RR_XML_SCHEMA_CATALOGUE, WHAT, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_XML);
  g_assert_nonnull (strstr (error->message, "line 1"));
  g_clear_error (&error);

  g_assert_false (rr_xml_validate_bytes (other, 0, RR_XML_SCHEMA_CATALOGUE, WHAT, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_XML);
  g_clear_error (&error);

  g_assert_false (rr_xml_validate_bytes (good, 0, "/nl/regelruimte/Regelruimte/schema/none.xsd",
                                         WHAT, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_XML);
}

static gpointer
validate_in_thread (gpointer data)
{
  g_autoptr(GBytes) good = bytes_from_string (valid_catalogue);

  for (int i = 0; i < 50; i++)
    if (!rr_xml_validate_bytes (good, 0, RR_XML_SCHEMA_CATALOGUE, WHAT, NULL))
      return GINT_TO_POINTER (FALSE);
  return GINT_TO_POINTER (TRUE);
}

static void
test_schema_threads (void)
{
  GThread *threads[4];

  /* The compiled schema is shared; its first use may race. */
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("validate", validate_in_thread, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_assert_true (GPOINTER_TO_INT (g_thread_join (threads[i])));
}

static char *
write_file (Fixture    *fx,
            const char *name,
            const char *text,
            gssize      length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fx->dir, name, NULL);

  g_file_set_contents (path, text, length, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_reader (Fixture       *fx,
             gconstpointer  data)
{
  g_autofree char *good = write_file (fx, "good.xml", valid_catalogue, -1);
  g_autofree char *dtd_text = with_canary (fx, "<!DOCTYPE catalogue [<!ENTITY x SYSTEM \"file://",
                                               "\">]><catalogue xmlns=\"https://regelruimte.nl/ns/catalogue/1\">"
                                               "&x;</catalogue>");
  g_autofree char *dtd = write_file (fx, "dtd.xml", dtd_text, -1);
  g_autofree char *invalid = write_file (fx, "invalid.xml", "<catalogue/>", -1);
  g_autofree char *broken = write_file (fx, "broken.xml", "<a><b></a>", -1);
  g_autofree char *bad_utf8 = write_file (fx, "utf8.xml", "<a>\xc3\x28</a>", -1);
  g_autofree char *missing = g_build_filename (fx->dir, "missing.xml", NULL);
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autofree char *deep_path = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (rr_xml_validate_file (good, 0, RR_XML_SCHEMA_CATALOGUE, WHAT, &error));
  g_assert_no_error (error);
  g_assert_true (rr_xml_validate_file (good, 0, NULL, WHAT, &error));
  g_assert_no_error (error);

  g_assert_false (rr_xml_validate_file (dtd, 0, NULL, WHAT, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_XML);
  g_assert_nonnull (strstr (error->message, "DTD"));
  g_assert_null (strstr (error->message, CANARY_TEXT));
  assert_canary_untouched (fx);
  g_clear_error (&error);

  g_assert_false (rr_xml_validate_file (invalid, 0, RR_XML_SCHEMA_CATALOGUE, WHAT, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_XML);
  g_clear_error (&error);

  g_assert_false (rr_xml_validate_file (broken, 0, NULL, WHAT, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_XML);
  g_clear_error (&error);

  g_assert_false (rr_xml_validate_file (bad_utf8, 0, NULL, WHAT, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_XML);
  g_clear_error (&error);

  /* The cap holds for the streaming reader too. */
  g_assert_false (rr_xml_validate_file (good, 16, NULL, WHAT, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_XML);
  g_clear_error (&error);

  for (int i = 0; i < 10000; i++)
    g_string_append (deep, "<a>");
  for (int i = 0; i < 10000; i++)
    g_string_append (deep, "</a>");
  deep_path = write_file (fx, "deep.xml", deep->str, deep->len);
  g_assert_false (rr_xml_validate_file (deep_path, 0, NULL, WHAT, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_XML);
  g_clear_error (&error);

  g_assert_false (rr_xml_validate_file (missing, 0, NULL, WHAT, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_read_file (Fixture       *fx,
                gconstpointer  data)
{
  g_autofree char *path = write_file (fx, "small.xml", "<a/>", -1);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = rr_xml_read_file (path, 0, WHAT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 4);

  g_assert_null (rr_xml_read_file (path, 3, WHAT, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_XML);
  g_clear_error (&error);

  /* A device reports no size: the cap still holds while reading. */
  g_assert_null (rr_xml_read_file ("/dev/zero", 1024, WHAT, &error));
  g_assert_error (error, RR_ERROR, RR_ERROR_XML);
}

static void
test_output (Fixture       *fx,
             gconstpointer  data)
{
  g_autofree char *target = g_build_filename (fx->dir, "out.xml", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  struct stat st;
  const char *name;
  int n_files = 0;

  /* Valid output is renamed into place with the mode asked for. */
  {
    g_autoptr(RrXmlOutput) output = _rr_xml_output_new (target, 0600, &error);
    xmlTextWriter *w;

    g_assert_no_error (error);
    w = _rr_xml_output_get_writer (output);
    g_assert_cmpint (xmlTextWriterStartDocument (w, NULL, "UTF-8", NULL), >=, 0);
    g_assert_cmpint (xmlTextWriterStartElement (w, BAD_CAST "catalogue"), >=, 0);
    g_assert_cmpint (xmlTextWriterWriteAttribute (w, BAD_CAST "xmlns",
                                                  BAD_CAST "https://regelruimte.nl/ns/catalogue/1"), >=, 0);
    g_assert_cmpint (xmlTextWriterWriteElement (w, BAD_CAST "name", BAD_CAST "<&> \"test\""), >=, 0);
    g_assert_cmpint (xmlTextWriterEndDocument (w), >=, 0);
    g_assert_true (_rr_xml_output_commit (output, RR_XML_SCHEMA_CATALOGUE, WHAT, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (g_stat (target, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Invalid output never replaces the target, and leaves nothing behind. */
  {
    g_autoptr(RrXmlOutput) output = _rr_xml_output_new (target, 0644, &error);
    xmlTextWriter *w;

    g_assert_no_error (error);
    w = _rr_xml_output_get_writer (output);
    g_assert_cmpint (xmlTextWriterStartDocument (w, NULL, "UTF-8", NULL), >=, 0);
    g_assert_cmpint (xmlTextWriterWriteElement (w, BAD_CAST "wrong", BAD_CAST "x"), >=, 0);
    g_assert_cmpint (xmlTextWriterEndDocument (w), >=, 0);
    g_assert_false (_rr_xml_output_commit (output, RR_XML_SCHEMA_CATALOGUE, WHAT, &error));
    g_assert_error (error, RR_ERROR, RR_ERROR_XML);
  }
  g_assert_cmpint (g_stat (target, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  dir = g_dir_open (fx->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_false (g_str_has_prefix (name, ".out.xml."));
      n_files++;
    }
  g_assert_cmpint (n_files, ==, 2);  /* the canary and out.xml */
}

/* The same through an output checked while it is written: the check runs
 * in a second thread over the bytes as they go to the disk, and commit
 * still renames only a valid document. */
static RrXmlOutput *
checked_output (const char *target,
                int         mode)
{
  g_autoptr(GError) error = NULL;
  RrXmlPush *push = _rr_xml_push_new (RR_XML_SCHEMA_CATALOGUE, G_MAXSIZE, WHAT, NULL, NULL,
                                      NULL, NULL, &error);
  RrXmlOutput *output;

  g_assert_no_error (error);
  output = _rr_xml_output_new_checked (target, mode, push, &error);
  g_assert_no_error (error);
  return output;
}

static void
test_output_checked (Fixture       *fx,
                     gconstpointer  data)
{
  g_autofree char *target = g_build_filename (fx->dir, "out.xml", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  struct stat st;
  const char *name;
  int n_files = 0;

  /* Valid, and longer than the blocks handed to the checker. */
  {
    g_autoptr(RrXmlOutput) output = checked_output (target, 0600);
    xmlTextWriter *w = _rr_xml_output_get_writer (output);
    gsize len = 3 * 1024 * 1024;
    g_autofree char *comment = g_malloc (len + 1);

    memset (comment, 'c', len);
    comment[len] = '\0';
    g_assert_cmpint (xmlTextWriterStartDocument (w, NULL, "UTF-8", NULL), >=, 0);
    g_assert_cmpint (xmlTextWriterStartElement (w, BAD_CAST "catalogue"), >=, 0);
    g_assert_cmpint (xmlTextWriterWriteAttribute (w, BAD_CAST "xmlns",
                                                  BAD_CAST "https://regelruimte.nl/ns/catalogue/1"), >=, 0);
    g_assert_cmpint (xmlTextWriterWriteComment (w, BAD_CAST comment), >=, 0);
    g_assert_true (_rr_xml_output_write_raw (output, "<name>&lt;&amp;&gt;</name>",
                                             strlen ("<name>&lt;&amp;&gt;</name>")));
    g_assert_cmpint (xmlTextWriterEndDocument (w), >=, 0);
    g_assert_true (_rr_xml_output_commit (output, NULL, WHAT, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (g_stat (target, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (st.st_size, >, 3 * 1024 * 1024);
  /* Whole blocks bypass the page cache and the last one does not: the
   * file holds every byte once, in order. */
  {
    g_autofree char *text = NULL;
    gsize len = 0;
    const char *run;

    g_assert_true (g_file_get_contents (target, &text, &len, NULL));
    g_assert_cmpuint (len, ==, (gsize) st.st_size);
    g_assert_true (g_str_has_prefix (text, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    run = strstr (text, "<!--");
    g_assert_nonnull (run);
    run += 4;
    g_assert_cmpuint (strspn (run, "c"), ==, 3 * 1024 * 1024);
    g_assert_nonnull (strstr (run, "-->\n<name>&lt;&amp;&gt;</name></catalogue>\n"));
    g_assert_true (rr_xml_validate_file (target, 0, RR_XML_SCHEMA_CATALOGUE, WHAT, &error));
    g_assert_no_error (error);
  }

  /* Invalid, or with a DTD: refused, and the target stays as it was. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(RrXmlOutput) output = checked_output (target, 0644);
      xmlTextWriter *w = _rr_xml_output_get_writer (output);

      g_clear_error (&error);
      if (i == 0)
        {
          g_assert_cmpint (xmlTextWriterStartDocument (w, NULL, "UTF-8", NULL), >=, 0);
          g_assert_cmpint (xmlTextWriterWriteElement (w, BAD_CAST "wrong", BAD_CAST "x"), >=, 0);
          g_assert_cmpint (xmlTextWriterEndDocument (w), >=, 0);
        }
      else
        {
          const char *doc = "<!DOCTYPE catalogue [<!ENTITY x \"y\">]>"
                            "<catalogue xmlns=\"https://regelruimte.nl/ns/catalogue/1\"/>";

          g_assert_true (_rr_xml_output_write_raw (output, doc, strlen (doc)));
        }
      g_assert_false (_rr_xml_output_commit (output, NULL, WHAT, &error));
      g_assert_error (error, RR_ERROR, RR_ERROR_XML);
      if (i == 1)
        g_assert_nonnull (strstr (error->message, "DTD"));
    }
  g_assert_cmpint (g_stat (target, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Given up before commit: nothing is left behind. */
  {
    g_autoptr(RrXmlOutput) output = checked_output (target, 0600);

    g_assert_true (_rr_xml_output_write_raw (output, "<catalogue", strlen ("<catalogue")));
  }

  dir = g_dir_open (fx->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_false (g_str_has_prefix (name, ".out.xml."));
      n_files++;
    }
  g_assert_cmpint (n_files, ==, 2);  /* the canary and out.xml */
}

static void
run_hostile_documents (void)
{
  const char *docs[] = {
    "<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>",
    "<!DOCTYPE a SYSTEM \"http://127.0.0.1:9/a.dtd\"><a/>",
    "<a><b></a>",
    "<a>&x;</a>",
    "<a>\xff</a>",
    "<a",
  };

  for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
    {
      g_autoptr(GBytes) bytes = bytes_from_string (docs[i]);
      g_autoptr(RrXmlDoc) doc = rr_xml_doc_parse (bytes, 0, WHAT, NULL);

      g_assert_null (doc);
    }
}

static void
test_silent (void)
{
  /* libxml2 must not print a word of its own: the core never does. */
  if (g_test_subprocess ())
    {
      run_hostile_documents ();
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD_FX(path, func) \
  g_test_add ("/rr/xml/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/rr/xml/well-formed", test_well_formed);
  g_test_add_func ("/rr/xml/malformed", test_malformed);
  g_test_add_func ("/rr/xml/truncated", test_truncated);
  g_test_add_func ("/rr/xml/empty", test_empty);
  g_test_add_func ("/rr/xml/undeclared-entity", test_undeclared_entity);
  ADD_FX ("dtd-internal", test_dtd_internal);
  ADD_FX ("external-file-entity", test_external_file_entity);
  ADD_FX ("external-dtd", test_external_dtd);
  ADD_FX ("external-http-entity", test_external_http_entity);
  ADD_FX ("parameter-entity", test_parameter_entity);
  g_test_add_func ("/rr/xml/billion-laughs", test_billion_laughs);
  ADD_FX ("xinclude", test_xinclude);
  ADD_FX ("entity-loader", test_entity_loader);
  g_test_add_func ("/rr/xml/deep-nesting", test_deep_nesting);
  g_test_add_func ("/rr/xml/moderate-nesting", test_moderate_nesting);
  g_test_add_func ("/rr/xml/push-nesting", test_push_nesting);
  g_test_add_func ("/rr/xml/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/rr/xml/encoding-declaration", test_encoding_declaration);
  g_test_add_func ("/rr/xml/too-large", test_too_large);
  g_test_add_func ("/rr/xml/schema", test_schema);
  g_test_add_func ("/rr/xml/schema-threads", test_schema_threads);
  ADD_FX ("reader", test_reader);
  ADD_FX ("read-file", test_read_file);
  ADD_FX ("output", test_output);
  ADD_FX ("output-checked", test_output_checked);
  g_test_add_func ("/rr/xml/silent", test_silent);

#undef ADD_FX

  return g_test_run ();
}
