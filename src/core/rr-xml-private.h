/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlwriter.h>

#include "rr-xml.h"

G_BEGIN_DECLS

/* Only the core includes this header: it hands out libxml2 types. */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlParserCtxt, xmlFreeParserCtxt)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlTextWriter, xmlFreeTextWriter)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlSchemaParserCtxt, xmlSchemaFreeParserCtxt)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlSchemaValidCtxt, xmlSchemaFreeValidCtxt)

/* Sets up libxml2 once per process: the deny-all external entity loader
 * and the parser's globals. Every entry point of rr-xml.c calls it; call it
 * before using libxml2 in any other way. */
void        _rr_xml_init              (void);

/* The tree behind @doc, owned by it. */
xmlDoc     *_rr_xml_doc_get_xml       (RrXmlDoc    *doc);

/* The compiled schema at @resource_path, cached for the life of the
 * process and safe to share between threads. Do not free it. */
xmlSchema  *_rr_xml_schema_get        (const char  *resource_path,
                                       GError     **error);

/* A push parser for documents too large to read at once, with the
 * protections of rr_xml_doc_parse(): size cap, no DTD, no
 * entities, no network or file access, UTF-8 only. Validates against
 * @schema_resource_path when not NULL, as the bytes arrive. @start, @end
 * and @text (each may be NULL) receive the document with @user_data;
 * they may refuse it with _rr_xml_push_refuse(). Cheaper than a tree
 * or a text reader: no node is built or copied. */
typedef struct _RrXmlPush RrXmlPush;

RrXmlPush     *_rr_xml_push_new            (const char                *schema_resource_path,
                                            gsize                      max_size,
                                            const char                *what,
                                            startElementNsSAX2Func     start,
                                            endElementNsSAX2Func       end,
                                            charactersSAXFunc          text,
                                            gpointer                   user_data,
                                            GError                   **error);
/* Feeds the next @len bytes; FALSE (with @error) once the document is
 * refused. */
gboolean       _rr_xml_push_feed           (RrXmlPush    *push,
                                            const char   *data,
                                            gsize         len,
                                            GError      **error);
/* Ends the document: TRUE when it was complete, well formed and valid. */
gboolean       _rr_xml_push_finish         (RrXmlPush    *push,
                                            GError      **error);
/* Looks at each block of a file before the parser gets it: FALSE with
 * @error set refuses the file. */
typedef gboolean (*RrXmlBlockCheck) (const char  *block,
                                     gsize        len,
                                     gpointer     user_data,
                                     GError     **error);
/* Feeds the file at @path a block at a time and ends the document. A file
 * larger than @max_size (@what names it in the message) is refused before
 * it is read; @check (nullable) and @cancellable are asked at each block. */
gboolean       _rr_xml_push_file           (RrXmlPush       *push,
                                            const char      *path,
                                            gsize            max_size,
                                            const char      *what,
                                            RrXmlBlockCheck  check,
                                            gpointer         check_data,
                                            GCancellable    *cancellable,
                                            GError         **error);
/* From a callback: refuses the document at the current line with
 * @message (a sentence without its full stop), and stops the parser. */
void           _rr_xml_push_refuse         (RrXmlPush    *push,
                                            const char   *message);
void           _rr_xml_push_free           (RrXmlPush    *push);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RrXmlPush, _rr_xml_push_free)

/* Writing a file safely: a temporary file beside @target with @mode, a
 * writer over it, then validation of what was written and an atomic
 * rename. The writer must be freed (flushing it) before committing. */
typedef struct _RrXmlOutput RrXmlOutput;

RrXmlOutput   *_rr_xml_output_new          (const char  *target,
                                            int          mode,
                                            GError     **error);
/* The same, but what is written is also fed to @push (owned by the
 * output from here) in a second thread as it goes to the disk (from a
 * third, with direct I/O where the file system has it), so the check
 * costs no second pass: commit waits for it and refuses what @push
 * refused. */
RrXmlOutput   *_rr_xml_output_new_checked  (const char  *target,
                                            int          mode,
                                            RrXmlPush   *push,
                                            GError     **error);
xmlTextWriter *_rr_xml_output_get_writer   (RrXmlOutput *output);
/* Writes @data as it is, after what the writer holds: for large runs of
 * markup made elsewhere (checked outputs only). */
gboolean       _rr_xml_output_write_raw    (RrXmlOutput *output,
                                            const char  *data,
                                            gsize        len);
/* Frees the writer, syncs, validates the written file against
 * @schema_resource_path (when not NULL) and renames it over the target. */
gboolean       _rr_xml_output_commit       (RrXmlOutput  *output,
                                            const char   *schema_resource_path,
                                            const char   *what,
                                            GError      **error);
/* Removes the temporary file unless committed. */
void           _rr_xml_output_free         (RrXmlOutput *output);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RrXmlOutput, _rr_xml_output_free)

G_END_DECLS
