/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "rr-store.h"

G_BEGIN_DECLS

/* Copies the live database to @path with SQLite's online backup API, then
 * checks the copy with integrity_check. @path must not exist. */
gboolean rr_backup_create   (RrStore       *store,
                             const char    *path,
                             GCancellable  *cancellable,
                             GError       **error);
/* Replaces the database at @target with the checked backup at @backup.
 * The previous file is kept beside it as
 * TARGET.before-restore-YYYYmmdd-HHMMSS. */
gboolean rr_backup_restore  (const char    *backup,
                             const char    *target,
                             GError       **error);

/* Writes a checked, timestamped backup
 * (regelruimte-YYYYmmdd-HHMMSS-UUUUUU.db, UTC) into @dir, creating it with
 * mode 0700 when needed, then deletes the oldest such backups beyond the
 * newest @keep. Other files in @dir are left alone. */
gboolean rr_backup_rotate   (RrStore       *store,
                             const char    *dir,
                             guint          keep,
                             GError       **error);

G_END_DECLS
