/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The largest document any reader accepts; callers may ask for less. */
#define RR_XML_MAX_SIZE (32 * 1024 * 1024)

/* Schemas shipped in the core's GResource. */
#define RR_XML_SCHEMA_CATALOGUE "/nl/regelruimte/Regelruimte/schema/catalogue.xsd"

/**
 * RrXmlDoc:
 *
 * A parsed XML document. Parsing never touches the network or the file
 * system, never expands entities and refuses any document with a document
 * type declaration. The libxml2 tree behind it is for the core only
 * (rr-xml-private.h).
 */
typedef struct _RrXmlDoc RrXmlDoc;

/* @what is a translated sentence fragment that starts every error message,
 * such as a translated “The file is not a valid rule catalogue”; errors are RR_ERROR_XML.
 * @max_size 0 means RR_XML_MAX_SIZE. */
RrXmlDoc  *rr_xml_doc_parse        (GBytes      *bytes,
                                    gsize        max_size,
                                    const char  *what,
                                    GError     **error);
/* Validates against the XSD at @schema_resource_path in GResource. */
gboolean   rr_xml_doc_validate     (RrXmlDoc    *doc,
                                    const char  *schema_resource_path,
                                    GError     **error);
void       rr_xml_doc_free         (RrXmlDoc    *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RrXmlDoc, rr_xml_doc_free)

/* Parse and validate in one go. */
gboolean   rr_xml_validate_bytes   (GBytes      *bytes,
                                    gsize        max_size,
                                    const char  *schema_resource_path,
                                    const char  *what,
                                    GError     **error);
/* Streams the file through a validating push parser in constant memory,
 * with the same protections as rr_xml_doc_parse(). */
gboolean   rr_xml_validate_file    (const char  *path,
                                    gsize        max_size,
                                    const char  *schema_resource_path,
                                    const char  *what,
                                    GError     **error);
/* Reads a whole file, refusing it before reading when it is larger than
 * @max_size (0: RR_XML_MAX_SIZE). */
GBytes    *rr_xml_read_file        (const char  *path,
                                    gsize        max_size,
                                    const char  *what,
                                    GError     **error);

G_END_DECLS
