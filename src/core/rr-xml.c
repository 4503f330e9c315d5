/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-xml"
/* For O_DIRECT. */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "rr-error.h"
#include "rr-xml-private.h"

/* Every document we read comes from outside: a shared catalogue, a trail
 * handed to an auditor. libxml2 is safe only when told to be, so every
 * parse here goes through the same few rules:
 *
 *  - XML_PARSE_NONET and nothing else: no entity substitution (NOENT), no
 *    DTD loading (DTDLOAD), no XInclude, no lifting of the size limits
 *    (HUGE), so nesting stays capped at 256 levels and text nodes at 10 MB;
 *  - a document type declaration stops the parser at once, before its
 *    internal subset is read, so no entity is ever declared, let alone
 *    expanded (billion laughs, parameter entities, external entities);
 *  - the process-wide external entity loader refuses everything, because
 *    NONET in libxml2 2.9 still opens local files;
 *  - input is capped in size before libxml2 sees it and must be UTF-8;
 *  - libxml2 never prints: its errors are collected and the first one is
 *    turned into a GError, as the core never writes to stderr. */

#define DOCTYPE_MARK "<!DOCTYPE"
#define PUSH_SLICE ((gsize) 64 * 1024)
/* libxml2's own nesting limit, which its push parser does not apply. */
#define PUSH_MAX_DEPTH 256

/* The glib-compile-resources output registers itself from a constructor;
 * referring to it keeps its object in the link of a static library. */
GResource *rr_core_get_resource (void);

typedef struct
{
  int       line;
  char     *message;          /* the first error or fatal error */
  gboolean  dtd;              /* a document type declaration was seen */
  gboolean  entity;           /* an entity declaration or reference was seen */
  gboolean  external;         /* something asked for an external resource */
  gboolean  too_large;
  gboolean  too_deep;         /* libxml2's nesting limit was hit */
  int       io_errno;

  /* The thread's handlers before ours, restored afterwards. */
  xmlStructuredErrorFunc  old_serror;
  void                   *old_sdata;
  xmlGenericErrorFunc     old_generic;
  void                   *old_gdata;
  gpointer                old_current;
} RrXmlErrors;

struct _RrXmlDoc
{
  xmlDoc *xml;
  char   *what;
};

struct _RrXmlPush
{
  xmlParserCtxt          *ctxt;
  xmlSchemaValidCtxt     *vctxt;
  xmlSchemaSAXPlugPtr     plug;
  xmlSAXHandler           sax;
  xmlSAXHandler          *handler;    /* &sax, or the plug's in front of it */
  void                   *data;       /* this, or the plug */
  startElementNsSAX2Func  user_start;
  endElementNsSAX2Func    user_end;
  charactersSAXFunc       user_text;
  gpointer                user_data;
  guint                   depth;
  gsize                   max_size;
  gsize                   total;
  guint                   doctype_matched;
  gboolean                finished;
  gboolean                failed;
  char                   *what;
  RrXmlErrors             errors;
};

/* A block of output on its way to the disk and the checking thread. */
typedef struct
{
  char  *data;
  gsize  len;
} OutputBlock;

#define OUTPUT_BLOCK_SIZE ((gsize) 1024 * 1024)
#define OUTPUT_BLOCKS 6
/* What direct I/O asks of the blocks' addresses, lengths and offsets on
 * every common disk and file system. */
#define OUTPUT_DIRECT_ALIGN ((gsize) 4096)

struct _RrXmlOutput
{
  char          *target;
  char          *tmp_path;
  int            fd;
  xmlTextWriter *writer;
  gboolean       committed;

  /* Checked while written (_rr_xml_output_new_checked): */
  RrXmlPush     *push;
  GThread       *checker;
  GThread       *disk;          /* writes the blocks, in order */
  GAsyncQueue   *filled;        /* blocks made, for the disk */
  GAsyncQueue   *full;          /* blocks written, for the checker */
  GAsyncQueue   *empty;         /* blocks the checker is done with */
  OutputBlock   *current;
  OutputBlock    blocks[OUTPUT_BLOCKS];
  int            write_errno;   /* the disk thread's; atomic */
  gboolean       direct;        /* the blocks bypass the page cache */
  gboolean       complete;      /* the whole document was handed over */
  GError        *check_error;   /* the checker's */
};

/* Tells the checker that no more blocks come. */
static OutputBlock end_of_output;

/* The collector of the parse running on this thread, for the entity
 * loader, which libxml2 calls without a way to reach our state. */
static GPrivate current_errors;

/* The push parse running on this thread: the schema plug hands the DTD
 * and entity hooks its own data, not ours. */
static GPrivate current_push;

static GMutex schema_lock;
static GHashTable *schemas;  /* resource path → xmlSchema, never freed */

/* Helpers */

static void
on_structured_error (void        *data,
                     xmlErrorPtr  error)
{
  RrXmlErrors *errors = data;

  if (errors == NULL || error == NULL || error->level < XML_ERR_ERROR)
    return;
  if (errors->message != NULL)
    return;

  errors->line = error->line;
  /* libxml2's own wording advises an option we must never use. */
  if (error->message != NULL && strstr (error->message, "Excessive depth") != NULL)
    errors->too_deep = TRUE;
  errors->message = g_utf8_make_valid (error->message != NULL ? error->message : "", -1);
  g_strstrip (errors->message);
  /* Our sentence adds its own full stop. */
  while (g_str_has_suffix (errors->message, "."))
    errors->message[strlen (errors->message) - 1] = '\0';
  /* A schema message can list every element it expected; keep it readable. */
  if (g_utf8_strlen (errors->message, -1) > 400)
    {
      char *cut = g_utf8_offset_to_pointer (errors->message, 400);

      *cut = '\0';
      errors->message = g_realloc (errors->message, strlen (errors->message) + 4);
      strcat (errors->message, "…");
    }
}

static void
on_generic_error (void       *data,
                  const char *format,
                  ...)
{
  /* Everything libxml2 reports also reaches the structured handler, or is
   * a fragment of it; this one only keeps it off stderr. */
}

static void
errors_begin (RrXmlErrors *errors)
{
  errors->old_serror = xmlStructuredError;
  errors->old_sdata = xmlStructuredErrorContext;
  errors->old_generic = xmlGenericError;
  errors->old_gdata = xmlGenericErrorContext;
  errors->old_current = g_private_get (&current_errors);

  xmlSetStructuredErrorFunc (errors, on_structured_error);
  xmlSetGenericErrorFunc (errors, on_generic_error);
  g_private_set (&current_errors, errors);
}

static void
errors_end (RrXmlErrors *errors)
{
  xmlSetStructuredErrorFunc (errors->old_sdata, errors->old_serror);
  xmlSetGenericErrorFunc (errors->old_gdata, errors->old_generic);
  g_private_set (&current_errors, errors->old_current);
}

static void
errors_clear (RrXmlErrors *errors)
{
  g_clear_pointer (&errors->message, g_free);
}

static gboolean
errors_refused (const RrXmlErrors *errors)
{
  return errors->dtd || errors->entity || errors->external || errors->too_large
         || errors->io_errno != 0;
}

static void
set_too_large_error (const char  *what,
                     gsize        max_size,
                     GError     **error)
{
  g_autofree char *limit = g_format_size (max_size);

  g_set_error (error, RR_ERROR, RR_ERROR_XML,
               _("%s: it is larger than %s, the most that is accepted."),
               what, limit);
}

static void
set_error_from (const RrXmlErrors  *errors,
                const char         *what,
                gsize               max_size,
                GError            **error)
{
  if (errors->too_large)
    set_too_large_error (what, max_size, error);
  else if (errors->dtd)
    g_set_error (error, RR_ERROR, RR_ERROR_XML,
                 _("%s: line %d: documents with a document type declaration (DTD) are not accepted."),
                 what, errors->line);
  else if (errors->entity)
    g_set_error (error, RR_ERROR, RR_ERROR_XML,
                 _("%s: line %d: documents that declare or use entities are not accepted."),
                 what, errors->line);
  else if (errors->external)
    g_set_error (error, RR_ERROR, RR_ERROR_XML,
                 _("%s: it refers to another file or a web address, which is never read."),
                 what);
  else if (errors->too_deep)
    g_set_error (error, RR_ERROR, RR_ERROR_XML,
                 _("%s: line %d: its elements are nested more than 256 levels deep."),
                 what, errors->line);
  else if (errors->io_errno != 0)
    g_set_error (error, RR_ERROR, RR_ERROR_XML,
                 _("%s: it could not be read: %s."),
                 what, g_strerror (errors->io_errno));
  else if (errors->message != NULL && errors->line > 0)
    g_set_error (error, RR_ERROR, RR_ERROR_XML,
                 _("%s: line %d: %s."), what, errors->line, errors->message);
  else if (errors->message != NULL)
    g_set_error (error, RR_ERROR, RR_ERROR_XML, _("%s: %s."), what, errors->message);
  else
    g_set_error (error, RR_ERROR, RR_ERROR_XML,
                 _("%s: the document could not be read."), what);
}

static xmlParserInputPtr
deny_entity_loader (const char       *url,
                    const char       *id,
                    xmlParserCtxtPtr  context)
{
  RrXmlErrors *errors = g_private_get (&current_errors);

  /* Nothing outside the document itself is ever read. */
  if (errors != NULL)
    errors->external = TRUE;
  return NULL;
}

static gpointer
init_once (gpointer data)
{
  LIBXML_TEST_VERSION;
  xmlInitParser ();
  xmlSetExternalEntityLoader (deny_entity_loader);
  /* Keep the resources linked in (see the declaration above). */
  (void) rr_core_get_resource ();
  return NULL;
}

void
_rr_xml_init (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, init_once, NULL);
}

static int
parser_line (xmlParserCtxtPtr ctxt)
{
  return ctxt->input != NULL ? ctxt->input->line : 0;
}

/* The SAX hooks below stop the parser the moment a DTD begins: the
 * internal subset, where entities are declared, is never parsed. */
static void
on_internal_subset (void          *data,
                    const xmlChar *name,
                    const xmlChar *external_id,
                    const xmlChar *system_id)
{
  xmlParserCtxtPtr ctxt = data;
  RrXmlErrors *errors = ctxt->_private;

  errors->dtd = TRUE;
  errors->line = parser_line (ctxt);
  xmlStopParser (ctxt);
}

static void
on_external_subset (void          *data,
                    const xmlChar *name,
                    const xmlChar *external_id,
                    const xmlChar *system_id)
{
  on_internal_subset (data, name, external_id, system_id);
}

static void
on_entity_decl (void          *data,
                const xmlChar *name,
                int            type,
                const xmlChar *public_id,
                const xmlChar *system_id,
                xmlChar       *content)
{
  xmlParserCtxtPtr ctxt = data;
  RrXmlErrors *errors = ctxt->_private;

  errors->entity = TRUE;
  errors->line = parser_line (ctxt);
  xmlStopParser (ctxt);
}

static void
on_reference (void          *data,
              const xmlChar *name)
{
  xmlParserCtxtPtr ctxt = data;
  RrXmlErrors *errors = ctxt->_private;

  /* Character references and the five predefined entities never get here;
   * any other reference needs a declaration we never allow. */
  errors->entity = TRUE;
  errors->line = parser_line (ctxt);
  xmlStopParser (ctxt);
}

static gsize
clamp_dom_size (gsize max_size)
{
  /* A tree costs several times its text in memory: never more than the
   * global cap, whatever the caller asks. */
  if (max_size == 0 || max_size > RR_XML_MAX_SIZE)
    return RR_XML_MAX_SIZE;
  return max_size;
}

static int
line_of_offset (const char *data,
                gsize       offset)
{
  int line = 1;

  for (gsize i = 0; i < offset; i++)
    if (data[i] == '\n')
      line++;
  return line;
}

/* Public and core API */

RrXmlDoc *
rr_xml_doc_parse (GBytes      *bytes,
                  gsize        max_size,
                  const char  *what,
                  GError     **error)
{
  g_autoptr(xmlParserCtxt) ctxt = NULL;
  g_autoptr(xmlDoc) xml = NULL;
  RrXmlErrors errors = { 0, };
  RrXmlDoc *doc;
  const char *data;
  const char *end;
  gsize size;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (what != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  max_size = clamp_dom_size (max_size);
  data = g_bytes_get_data (bytes, &size);

  /* Refuse before looking at the content, so an oversized input costs
   * nothing. */
  if (size > max_size)
    {
      set_too_large_error (what, max_size, error);
      return NULL;
    }
  if (size == 0 || data == NULL)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_XML, _("%s: the document is empty."), what);
      return NULL;
    }
  if (!g_utf8_validate_len (data, size, &end))
    {
      g_set_error (error, RR_ERROR, RR_ERROR_XML,
                   _("%s: line %d: the text is not valid UTF-8."),
                   what, line_of_offset (data, end - data));
      return NULL;
    }

  _rr_xml_init ();

  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL || ctxt->sax == NULL)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_XML,
                   _("%s: the document could not be read."), what);
      return NULL;
    }
  ctxt->_private = &errors;
  ctxt->sax->internalSubset = on_internal_subset;
  ctxt->sax->externalSubset = on_external_subset;
  ctxt->sax->entityDecl = on_entity_decl;
  ctxt->sax->reference = on_reference;

  errors_begin (&errors);
  /* The encoding is fixed: we checked UTF-8 above and a declaration in
   * the document must not make libxml2 read it as something else. */
  xml = xmlCtxtReadMemory (ctxt, data, (int) size, NULL, "UTF-8", XML_PARSE_NONET);
  errors_end (&errors);

  if (xml == NULL || errors_refused (&errors) || xmlDocGetRootElement (xml) == NULL)
    {
      set_error_from (&errors, what, max_size, error);
      errors_clear (&errors);
      return NULL;
    }
  /* Belt and braces: the hooks above should have stopped any of these. */
  if (xml->intSubset != NULL || xml->extSubset != NULL)
    {
      errors.dtd = TRUE;
      errors.line = 1;
      set_error_from (&errors, what, max_size, error);
      errors_clear (&errors);
      return NULL;
    }
  errors_clear (&errors);

  doc = g_new0 (RrXmlDoc, 1);
  doc->xml = g_steal_pointer (&xml);
  doc->what = g_strdup (what);
  return doc;
}

xmlDoc *
_rr_xml_doc_get_xml (RrXmlDoc *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);

  return doc->xml;
}

void
rr_xml_doc_free (RrXmlDoc *doc)
{
  if (doc == NULL)
    return;
  g_clear_pointer (&doc->xml, xmlFreeDoc);
  g_free (doc->what);
  g_free (doc);
}

xmlSchema *
_rr_xml_schema_get (const char  *resource_path,
                    GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(xmlSchemaParserCtxt) pctxt = NULL;
  g_autoptr(GError) local_error = NULL;
  RrXmlErrors errors = { 0, };
  xmlSchema *schema;
  const char *data;
  gsize size;

  g_return_val_if_fail (resource_path != NULL, NULL);

  _rr_xml_init ();

  locker = g_mutex_locker_new (&schema_lock);
  if (schemas == NULL)
    schemas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  schema = g_hash_table_lookup (schemas, resource_path);
  if (schema != NULL)
    return schema;

  bytes = g_resources_lookup_data (resource_path, G_RESOURCE_LOOKUP_FLAGS_NONE, &local_error);
  if (bytes == NULL)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_XML,
                   _("The schema “%s” is missing from this program: %s. Please reinstall it."),
                   resource_path, local_error->message);
      return NULL;
    }

  data = g_bytes_get_data (bytes, &size);
  pctxt = xmlSchemaNewMemParserCtxt (data, (int) size);
  if (pctxt == NULL)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_XML,
                   _("The schema “%s” could not be loaded. Please reinstall the program."),
                   resource_path);
      return NULL;
    }
  xmlSchemaSetParserStructuredErrors (pctxt, on_structured_error, &errors);

  errors_begin (&errors);
  schema = xmlSchemaParse (pctxt);
  errors_end (&errors);

  if (schema == NULL)
    {
      g_set_error (error, RR_ERROR, RR_ERROR_XML,
                   _("The schema “%s” could not be loaded: line %d: %s. Please reinstall the program."),
                   resource_path, errors.line,
                   errors.message != NULL ? errors.message : "?");
      errors_clear (&errors);
      return NULL;
    }
  errors_clear (&errors);

  g_hash_table_insert (schemas, g_strdup (resource_path), schema);
  return schema;
}

gboolean
rr_xml_doc_validate (RrXmlDoc    *doc,
                     const char  *schema_resource_path,
                     GError     **error)
{
  g_autoptr(xmlSchemaValidCtxt) vctxt = NULL;
  RrXmlErrors errors = { 0, };
  xmlSchema *schema;
  int rc;

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (schema_resource_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  schema = _rr_xml_schema_get (schema_resource_path, error);
  if (schema == NULL)
    return FALSE;

  vctxt = xmlSchemaNewValidCtxt (schema);
  if (vctxt == NULL)
    {
      set_error_from (&errors, doc->what, 0, error);
      return FALSE;
    }
  xmlSchemaSetValidStructuredErrors (vctxt, on_structured_error, &errors);

  errors_begin (&errors);
  rc = xmlSchemaValidateDoc (vctxt, doc->xml);
  errors_end (&errors);

  if (rc != 0 || errors_refused (&errors))
    {
      set_error_from (&errors, doc->what, 0, error);
      errors_clear (&errors);
      return FALSE;
    }
  errors_clear (&errors);
  return TRUE;
}

gboolean
rr_xml_validate_bytes (GBytes      *bytes,
                       gsize        max_size,
                       const char  *schema_resource_path,
                       const char  *what,
                       GError     **error)
{
  g_autoptr(RrXmlDoc) doc = NULL;

  doc = rr_xml_doc_parse (bytes, max_size, what, error);
  if (doc == NULL)
    return FALSE;
  return rr_xml_doc_validate (doc, schema_resource_path, error);
}

typedef enum
{
  IO_OPEN,
  IO_READ,
  IO_CREATE,
  IO_WRITE,
} IoStep;

static void
set_io_error (IoStep       step,
              const char  *path,
              int          saved_errno,
              GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  int code = g_io_error_from_errno (saved_errno);
  const char *reason = g_strerror (saved_errno);

  switch (step)
    {
    case IO_OPEN:
      g_set_error (error, G_IO_ERROR, code, _("Could not open “%s”: %s."), display, reason);
      break;
    case IO_READ:
      g_set_error (error, G_IO_ERROR, code, _("Could not read “%s”: %s."), display, reason);
      break;
    case IO_CREATE:
      g_set_error (error, G_IO_ERROR, code, _("Could not create a file in “%s”: %s."),
                   display, reason);
      break;
    case IO_WRITE:
    default:
      g_set_error (error, G_IO_ERROR, code, _("Could not write “%s”: %s."), display, reason);
      break;
    }
}

GBytes *
rr_xml_read_file (const char  *path,
                  gsize        max_size,
                  const char  *what,
                  GError     **error)
{
  g_autoptr(GByteArray) buffer = NULL;
  struct stat st;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (what != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  max_size = clamp_dom_size (max_size);

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      set_io_error (IO_OPEN, path, errno, error);
      return NULL;
    }
  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && (guint64) st.st_size > max_size)
    {
      close (fd);
      set_too_large_error (what, max_size, error);
      return NULL;
    }

  /* The size seen by fstat may change, and devices report none: read no
   * more than one byte past the cap whatever the file claims. */
  buffer = g_byte_array_new ();
  for (;;)
    {
      guint8 chunk[65536];
      gssize n = read (fd, chunk, sizeof chunk);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          set_io_error (IO_READ, path, saved_errno, error);
          return NULL;
        }
      if (n == 0)
        break;
      g_byte_array_append (buffer, chunk, (guint) n);
      if (buffer->len > max_size)
        {
          close (fd);
          set_too_large_error (what, max_size, error);
          return NULL;
        }
    }
  close (fd);

  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

/* Validating a file in constant memory */

gboolean
rr_xml_validate_file (const char  *path,
                      gsize        max_size,
                      const char  *schema_resource_path,
                      const char  *what,
                      GError     **error)
{
  g_autoptr(RrXmlPush) push = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (what != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Streaming costs constant memory, so a caller may allow more than the
   * DOM cap (a trail over ten years); 0 still means the default. */
  if (max_size == 0)
    max_size = RR_XML_MAX_SIZE;

  push = _rr_xml_push_new (schema_resource_path, max_size, what, NULL, NULL, NULL, NULL, error);
  return push != NULL && _rr_xml_push_file (push, path, max_size, what, NULL, NULL, NULL, error);
}

/* Large enough to keep read () calls few, small enough that libxml2's
 * buffers stay in the processor's cache. */
#define PUSH_READ_SIZE ((gsize) 256 * 1024)

gboolean
_rr_xml_push_file (RrXmlPush       *push,
                   const char      *path,
                   gsize            max_size,
                   const char      *what,
                   RrXmlBlockCheck  check,
                   gpointer         check_data,
                   GCancellable    *cancellable,
                   GError         **error)
{
  g_autofree char *buf = NULL;
  struct stat st;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      set_io_error (IO_OPEN, path, errno, error);
      return FALSE;
    }
  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && (guint64) st.st_size > max_size)
    {
      close (fd);
      set_too_large_error (what, max_size, error);
      return FALSE;
    }

  /* The push parser counts what it is fed against the cap, whatever
   * fstat said, and watches for a DTD across the reads. */
  buf = g_malloc (PUSH_READ_SIZE);
  for (;;)
    {
      gssize n = read (fd, buf, PUSH_READ_SIZE);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          set_io_error (IO_READ, path, saved_errno, error);
          return FALSE;
        }
      if (n == 0)
        break;
      if ((check != NULL && !check (buf, n, check_data, error))
          || !_rr_xml_push_feed (push, buf, n, error)
          || g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          close (fd);
          return FALSE;
        }
    }
  close (fd);
  return _rr_xml_push_finish (push, error);
}

/* The push parser */

/* Watches for "<!DOCTYPE" across chunks, jumping from '<' to '<': the
 * parser stops at a DTD itself (on_push_subset), and this refuses one
 * before libxml2 has seen any of it. Outside a DTD, "<!DOCTYPE" can only
 * be in a comment or CDATA, which our own writers never produce. */
static gboolean
doctype_seen (guint      *matched,
              const char *buf,
              gsize       n)
{
  const guint mark_len = strlen (DOCTYPE_MARK);
  gsize i = 0;

  while (i < n)
    {
      if (*matched == 0)
        {
          const char *lt = memchr (buf + i, '<', n - i);

          if (lt == NULL)
            return FALSE;
          i = (gsize) (lt - buf) + 1;
          *matched = 1;
        }
      else if (buf[i] == DOCTYPE_MARK[*matched])
        {
          i++;
          if (++*matched == mark_len)
            return TRUE;
        }
      else
        *matched = 0;  /* buf[i] is looked at again: it may be a '<' */
    }
  return FALSE;
}

static void
push_stop (RrXmlPush *self)
{
  self->failed = TRUE;
  xmlStopParser (self->ctxt);
}

static void
on_push_subset (void          *data,
                const xmlChar *name,
                const xmlChar *external_id,
                const xmlChar *system_id)
{
  RrXmlPush *self = g_private_get (&current_push);

  self->errors.dtd = TRUE;
  self->errors.line = parser_line (self->ctxt);
  push_stop (self);
}

static void
on_push_entity_decl (void          *data,
                     const xmlChar *name,
                     int            type,
                     const xmlChar *public_id,
                     const xmlChar *system_id,
                     xmlChar       *content)
{
  RrXmlPush *self = g_private_get (&current_push);

  self->errors.entity = TRUE;
  self->errors.line = parser_line (self->ctxt);
  push_stop (self);
}

static void
on_push_reference (void          *data,
                   const xmlChar *name)
{
  RrXmlPush *self = g_private_get (&current_push);

  /* As in on_reference: only an undeclared entity gets here. */
  self->errors.entity = TRUE;
  self->errors.line = parser_line (self->ctxt);
  push_stop (self);
}

/* The user's handlers, behind the nesting limit. */
static void
on_push_start (void           *data,
               const xmlChar  *localname,
               const xmlChar  *prefix,
               const xmlChar  *uri,
               int             n_namespaces,
               const xmlChar **namespaces,
               int             n_attrs,
               int             n_defaulted,
               const xmlChar **attrs)
{
  RrXmlPush *self = data;

  if (++self->depth > PUSH_MAX_DEPTH)
    {
      if (self->errors.message == NULL)
        {
          self->errors.too_deep = TRUE;
          self->errors.line = parser_line (self->ctxt);
        }
      /* As in _rr_xml_push_refuse: no more callbacks, and push_chunk
       * stops the parser once xmlParseChunk has returned. */
      self->failed = TRUE;
      self->ctxt->disableSAX = 1;
      return;
    }
  if (self->user_start != NULL)
    self->user_start (self->user_data, localname, prefix, uri, n_namespaces, namespaces,
                      n_attrs, n_defaulted, attrs);
}

static void
on_push_end (void          *data,
             const xmlChar *localname,
             const xmlChar *prefix,
             const xmlChar *uri)
{
  RrXmlPush *self = data;

  self->depth--;
  if (self->user_end != NULL)
    self->user_end (self->user_data, localname, prefix, uri);
}

static void
on_push_text (void          *data,
              const xmlChar *text,
              int            len)
{
  RrXmlPush *self = data;

  self->user_text (self->user_data, text, len);
}

RrXmlPush *
_rr_xml_push_new (const char              *schema_resource_path,
                  gsize                    max_size,
                  const char              *what,
                  startElementNsSAX2Func   start,
                  endElementNsSAX2Func     end,
                  charactersSAXFunc        text,
                  gpointer                 user_data,
                  GError                 **error)
{
  g_autoptr(RrXmlPush) self = NULL;
  xmlSAXHandler *sax;
  xmlSchema *schema = NULL;

  g_return_val_if_fail (what != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  _rr_xml_init ();

  if (schema_resource_path != NULL)
    {
      schema = _rr_xml_schema_get (schema_resource_path, error);
      if (schema == NULL)
        return NULL;
    }

  self = g_new0 (RrXmlPush, 1);
  self->max_size = max_size != 0 ? max_size : RR_XML_MAX_SIZE;
  self->what = g_strdup (what);

  sax = &self->sax;
  self->handler = sax;
  self->data = self;
  self->user_start = start;
  self->user_end = end;
  self->user_data = user_data;
  sax->initialized = XML_SAX2_MAGIC;
  sax->startElementNs = on_push_start;
  sax->endElementNs = on_push_end;
  if (text != NULL)
    {
      self->user_text = text;
      sax->characters = on_push_text;
      sax->cdataBlock = on_push_text;
      sax->ignorableWhitespace = on_push_text;
    }
  sax->internalSubset = on_push_subset;
  sax->externalSubset = on_push_subset;
  sax->entityDecl = on_push_entity_decl;
  sax->reference = on_push_reference;

  if (schema != NULL)
    {
      self->vctxt = xmlSchemaNewValidCtxt (schema);
      if (self->vctxt != NULL)
        {
          xmlSchemaSetValidStructuredErrors (self->vctxt, on_structured_error, &self->errors);
          /* The plug keeps where these are, to put them back. */
          self->plug = xmlSchemaSAXPlug (self->vctxt, &self->handler, &self->data);
        }
      if (self->plug == NULL)
        {
          set_error_from (&self->errors, what, self->max_size, error);
          return NULL;
        }
    }

  errors_begin (&self->errors);
  /* The context copies the handler. */
  self->ctxt = xmlCreatePushParserCtxt (self->handler, self->data, NULL, 0, NULL);
  /* The encoding is fixed and only the network rule is set, so the
   * parser's own limits on nesting and text stay. */
  if (self->ctxt != NULL
      && (xmlCtxtResetPush (self->ctxt, NULL, 0, NULL, "UTF-8") != 0
          || xmlCtxtUseOptions (self->ctxt, XML_PARSE_NONET) != 0))
    g_clear_pointer (&self->ctxt, xmlFreeParserCtxt);
  errors_end (&self->errors);

  if (self->ctxt == NULL)
    {
      set_error_from (&self->errors, what, self->max_size, error);
      return NULL;
    }
  return g_steal_pointer (&self);
}

static gboolean
push_check (RrXmlPush  *self,
            GError    **error)
{
  if (self->failed || errors_refused (&self->errors) || self->errors.message != NULL
      || (self->vctxt != NULL && xmlSchemaIsValid (self->vctxt) != 1))
    {
      self->failed = TRUE;
      set_error_from (&self->errors, self->what, self->max_size, error);
      return FALSE;
    }
  return TRUE;
}

static void
push_chunk (RrXmlPush  *self,
            const char *data,
            gsize       len,
            gboolean    last)
{
  gpointer old = g_private_get (&current_push);

  g_private_set (&current_push, self);
  errors_begin (&self->errors);
  if (xmlParseChunk (self->ctxt, data, (int) len, last) != 0 && self->errors.message == NULL
      && !errors_refused (&self->errors))
    self->failed = TRUE;
  if (self->failed && self->ctxt->instate != XML_PARSER_EOF)
    xmlStopParser (self->ctxt);
  errors_end (&self->errors);
  g_private_set (&current_push, old);
}

gboolean
_rr_xml_push_feed (RrXmlPush   *self,
                   const char  *data,
                   gsize        len,
                   GError     **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (!self->finished, FALSE);

  if (self->failed)
    return push_check (self, error);

  self->total += len;
  if (self->total > self->max_size)
    self->errors.too_large = TRUE;
  else if (doctype_seen (&self->doctype_matched, data, len))
    {
      self->errors.dtd = TRUE;
      self->errors.line = parser_line (self->ctxt);
    }
  if (errors_refused (&self->errors))
    return push_check (self, error);

  /* In slices that stay in the cache between libxml2 copying them into
   * its buffer and parsing them (a 1 MB block did not: simulated, eight
   * times the misses of the last-level cache). */
  while (len > 0 && !self->failed)
    {
      gsize n = MIN (len, PUSH_SLICE);

      push_chunk (self, data, n, FALSE);
      data += n;
      len -= n;
    }
  return push_check (self, error);
}

gboolean
_rr_xml_push_finish (RrXmlPush  *self,
                     GError    **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (!self->finished, FALSE);

  self->finished = TRUE;
  if (!self->failed)
    {
      if (self->total == 0)
        {
          self->failed = TRUE;
          g_set_error (error, RR_ERROR, RR_ERROR_XML, _("%s: the document is empty."),
                       self->what);
          return FALSE;
        }
      push_chunk (self, NULL, 0, TRUE);
      if (!self->ctxt->wellFormed && self->errors.message == NULL)
        self->failed = TRUE;
    }
  return push_check (self, error);
}

void
_rr_xml_push_refuse (RrXmlPush  *self,
                     const char *message)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (message != NULL);

  if (self->errors.message == NULL)
    {
      self->errors.message = g_strdup (message);
      self->errors.line = parser_line (self->ctxt);
    }
  /* Called from inside an element's callback: stopping the parser here
   * would free its input (libxml2 2.9), which the schema's own handler for
   * the same element reads next. No more callbacks; push_chunk stops the
   * parser once xmlParseChunk has returned. */
  self->failed = TRUE;
  self->ctxt->disableSAX = 1;
}

void
_rr_xml_push_free (RrXmlPush *self)
{
  if (self == NULL)
    return;
  if (self->plug != NULL)
    xmlSchemaSAXUnplug (self->plug);
  g_clear_pointer (&self->ctxt, xmlFreeParserCtxt);
  g_clear_pointer (&self->vctxt, xmlSchemaFreeValidCtxt);
  errors_clear (&self->errors);
  g_free (self->what);
  g_free (self);
}

/* Writing */

RrXmlOutput *
_rr_xml_output_new (const char  *target,
                    int          mode,
                    GError     **error)
{
  g_autoptr(RrXmlOutput) self = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *name = NULL;
  xmlOutputBuffer *out;

  g_return_val_if_fail (target != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  _rr_xml_init ();

  self = g_new0 (RrXmlOutput, 1);
  self->fd = -1;
  self->target = g_strdup (target);

  /* Beside the target, so the final rename stays on one file system and
   * is atomic; hidden, so nobody opens a half-written file. */
  dir = g_path_get_dirname (target);
  base = g_path_get_basename (target);
  name = g_strdup_printf (".%s.XXXXXX", base);
  self->tmp_path = g_build_filename (dir, name, NULL);

  self->fd = g_mkstemp_full (self->tmp_path, O_RDWR | O_CLOEXEC, mode);
  if (self->fd < 0)
    {
      int saved_errno = errno;

      g_clear_pointer (&self->tmp_path, g_free);
      set_io_error (IO_CREATE, dir, saved_errno, error);
      return NULL;
    }
  /* The umask may have taken bits away; the mode is part of the promise. */
  if (fchmod (self->fd, mode) != 0)
    {
      set_io_error (IO_WRITE, target, errno, error);
      return NULL;
    }

  /* The buffer does not close the descriptor; commit and free do. */
  out = xmlOutputBufferCreateFd (self->fd, NULL);
  if (out != NULL)
    self->writer = xmlNewTextWriter (out);
  if (self->writer == NULL)
    {
      if (out != NULL)
        xmlOutputBufferClose (out);
      set_io_error (IO_WRITE, target, ENOMEM, error);
      return NULL;
    }
  xmlTextWriterSetIndent (self->writer, 1);
  xmlTextWriterSetIndentString (self->writer, BAD_CAST "  ");

  return g_steal_pointer (&self);
}

/* Sets *@done to what was written, also when it fails. */
static gboolean
write_all (int         fd,
           const char *data,
           gsize       len,
           gsize      *done)
{
  *done = 0;
  while (len > 0)
    {
      gssize n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          if (n == 0)
            errno = EIO;
          return FALSE;
        }
      data += n;
      len -= n;
      *done += n;
    }
  return TRUE;
}

/* From here on through the page cache. */
static void
output_stop_direct (RrXmlOutput *self)
{
  int flags = fcntl (self->fd, F_GETFL);

  if (flags >= 0)
    fcntl (self->fd, F_SETFL, flags & ~O_DIRECT);
  self->direct = FALSE;
}

/* The whole blocks of a checked output go straight to the disk: a trail
 * is gigabytes that are synced before the rename anyway, and copying
 * them into the page cache first (whose pages must be found, filled and
 * later written back) cost the writing thread up to a third of its time,
 * most of it where memory is slow to hand out (a virtual machine). The
 * last, partial block, or a file system that refuses direct I/O after
 * all, takes the ordinary way. */
static gboolean
output_write_block (RrXmlOutput *self,
                    const char  *data,
                    gsize        len)
{
  gsize done = 0;

  if (self->direct && len % OUTPUT_DIRECT_ALIGN != 0)
    output_stop_direct (self);
  if (write_all (self->fd, data, len, &done))
    return TRUE;
  if (!self->direct || errno != EINVAL)
    return FALSE;
  output_stop_direct (self);
  return write_all (self->fd, data + done, len - done, &done);
}

/* Hands the current block on: to the disk, then to the checker, which
 * has the heavier load of the two working threads. */
static gboolean
output_pass_block (RrXmlOutput *self)
{
  OutputBlock *block = self->current;

  if (block->len == 0)
    return TRUE;
  g_async_queue_push (self->filled, block);
  self->current = g_async_queue_pop (self->empty);
  self->current->len = 0;
  return g_atomic_int_get (&self->write_errno) == 0;
}

/* The third thread: writes each block and passes it to the checker.
 * Direct I/O waits for the disk, which the thread making the blocks
 * should not (at 1.4 GB/s, two seconds of a million decisions' trail). */
static gpointer
write_output (gpointer data)
{
  RrXmlOutput *self = data;

  for (;;)
    {
      OutputBlock *block = g_async_queue_pop (self->filled);

      if (block != &end_of_output && g_atomic_int_get (&self->write_errno) == 0
          && !output_write_block (self, block->data, block->len))
        g_atomic_int_set (&self->write_errno, errno != 0 ? errno : EIO);
      g_async_queue_push (self->full, block);
      if (block == &end_of_output)
        break;
    }
  return NULL;
}

static int
on_output_write (void       *context,
                 const char *buffer,
                 int         len)
{
  RrXmlOutput *self = context;
  gsize left = len;

  while (left > 0)
    {
      OutputBlock *block = self->current;
      gsize n = MIN (left, OUTPUT_BLOCK_SIZE - block->len);

      memcpy (block->data + block->len, buffer, n);
      block->len += n;
      buffer += n;
      left -= n;
      if (block->len == OUTPUT_BLOCK_SIZE && !output_pass_block (self))
        return -1;
    }
  return len;
}

static int
on_output_close (void *context)
{
  /* The descriptor is the output's; commit and free close it. */
  return 0;
}

/* The second thread: checks what the first writes, as it is written. */
static gpointer
check_output (gpointer data)
{
  RrXmlOutput *self = data;

  for (;;)
    {
      OutputBlock *block = g_async_queue_pop (self->full);

      if (block == &end_of_output)
        break;
      if (self->check_error == NULL)
        _rr_xml_push_feed (self->push, block->data, block->len, &self->check_error);
      g_async_queue_push (self->empty, block);
    }
  if (self->check_error == NULL && self->complete)
    _rr_xml_push_finish (self->push, &self->check_error);
  return NULL;
}

/* Ends the checker: after the whole document when @complete. */
static void
output_stop_checker (RrXmlOutput *self,
                     gboolean     complete)
{
  if (self->checker == NULL)
    return;
  self->complete = complete;
  /* The disk thread passes it on to the checker. */
  g_async_queue_push (self->filled, &end_of_output);
  g_thread_join (g_steal_pointer (&self->disk));
  g_thread_join (g_steal_pointer (&self->checker));
}

RrXmlOutput *
_rr_xml_output_new_checked (const char  *target,
                            int          mode,
                            RrXmlPush   *push,
                            GError     **error)
{
  g_autoptr(RrXmlPush) owned = push;
  g_autoptr(RrXmlOutput) self = NULL;
  xmlOutputBuffer *out;

  g_return_val_if_fail (push != NULL, NULL);

  self = _rr_xml_output_new (target, mode, error);
  if (self == NULL)
    return NULL;

  /* Instead of the plain writer over the descriptor: one over blocks that
   * go to the disk and to the checker. */
  g_clear_pointer (&self->writer, xmlFreeTextWriter);
  self->push = g_steal_pointer (&owned);
  self->filled = g_async_queue_new ();
  self->full = g_async_queue_new ();
  self->empty = g_async_queue_new ();
  for (guint i = 0; i < OUTPUT_BLOCKS; i++)
    {
      self->blocks[i].data = g_aligned_alloc (1, OUTPUT_BLOCK_SIZE, OUTPUT_DIRECT_ALIGN);
      if (i > 0)
        g_async_queue_push (self->empty, &self->blocks[i]);
    }
  {
    int flags = fcntl (self->fd, F_GETFL);

    /* Where the file system has no direct I/O, the page cache it is. */
    self->direct = flags >= 0 && fcntl (self->fd, F_SETFL, flags | O_DIRECT) == 0;
  }
  self->current = &self->blocks[0];
  self->checker = g_thread_new ("rr-xml-check", check_output, self);
  self->disk = g_thread_new ("rr-xml-write", write_output, self);

  out = xmlOutputBufferCreateIO (on_output_write, on_output_close, self, NULL);
  if (out != NULL)
    self->writer = xmlNewTextWriter (out);
  if (self->writer == NULL)
    {
      if (out != NULL)
        xmlOutputBufferClose (out);
      set_io_error (IO_WRITE, target, ENOMEM, error);
      return NULL;
    }
  xmlTextWriterSetIndent (self->writer, 1);
  xmlTextWriterSetIndentString (self->writer, BAD_CAST "  ");

  return g_steal_pointer (&self);
}

gboolean
_rr_xml_output_write_raw (RrXmlOutput *self,
                          const char  *data,
                          gsize        len)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->checker != NULL, FALSE);
  g_return_val_if_fail (len <= G_MAXINT, FALSE);

  /* What the writer holds goes first. */
  if (xmlTextWriterFlush (self->writer) < 0)
    return FALSE;
  return on_output_write (self, data, (int) len) == (int) len;
}

xmlTextWriter *
_rr_xml_output_get_writer (RrXmlOutput *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->writer;
}

static void
sync_directory (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  /* Makes the rename itself durable; some file systems cannot, which is
   * no reason to fail an export that is already complete. */
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

gboolean
_rr_xml_output_commit (RrXmlOutput  *self,
                       const char   *schema_resource_path,
                       const char   *what,
                       GError      **error)
{
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->writer != NULL, FALSE);
  g_return_val_if_fail (what != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  rc = xmlTextWriterFlush (self->writer);
  g_clear_pointer (&self->writer, xmlFreeTextWriter);
  if (self->checker != NULL)
    {
      if (rc >= 0 && !output_pass_block (self))
        rc = -1;
      output_stop_checker (self, rc >= 0);
      if (self->write_errno != 0)
        {
          set_io_error (IO_WRITE, self->target, self->write_errno, error);
          return FALSE;
        }
    }
  if (rc < 0)
    {
      set_io_error (IO_WRITE, self->target, EIO, error);
      return FALSE;
    }

  if (fsync (self->fd) != 0)
    {
      set_io_error (IO_WRITE, self->target, errno, error);
      return FALSE;
    }
  rc = close (self->fd);
  self->fd = -1;
  if (rc != 0)
    {
      set_io_error (IO_WRITE, self->target, errno, error);
      return FALSE;
    }

  /* What we hand over must read back: check the file as written (the
   * checker read the same bytes as they went to the disk). Our own
   * output has no size cap beyond what fits the disk. */
  if (self->push != NULL && self->check_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->check_error));
      return FALSE;
    }
  if (self->push == NULL && schema_resource_path != NULL
      && !rr_xml_validate_file (self->tmp_path, G_MAXSIZE, schema_resource_path, what, error))
    return FALSE;

  if (g_rename (self->tmp_path, self->target) != 0)
    {
      set_io_error (IO_WRITE, self->target, errno, error);
      return FALSE;
    }
  self->committed = TRUE;
  sync_directory (self->target);
  return TRUE;
}

void
_rr_xml_output_free (RrXmlOutput *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->writer, xmlFreeTextWriter);
  output_stop_checker (self, FALSE);
  g_clear_pointer (&self->push, _rr_xml_push_free);
  g_clear_pointer (&self->filled, g_async_queue_unref);
  g_clear_pointer (&self->full, g_async_queue_unref);
  g_clear_pointer (&self->empty, g_async_queue_unref);
  for (guint i = 0; i < OUTPUT_BLOCKS; i++)
    g_aligned_free (self->blocks[i].data);
  g_clear_error (&self->check_error);
  if (self->fd >= 0)
    close (self->fd);
  if (self->tmp_path != NULL && !self->committed)
    g_unlink (self->tmp_path);
  g_free (self->tmp_path);
  g_free (self->target);
  g_free (self);
}
