/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-bsn"
#include "config.h"

#include <string.h>

#include "rr-bsn.h"

char *
rr_bsn_normalise (const char *text)
{
  char digits[10];
  guint n = 0;
  int sum = 0;
  gboolean all_zero = TRUE;

  if (text == NULL)
    return NULL;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          if (n == 9)
            return NULL;
          digits[n++] = *p;
        }
      else if (*p == ' ' || *p == '.' || *p == '-')
        {
          /* Separators only between digits. */
          if (n == 0 || p[1] == '\0')
            return NULL;
        }
      else
        return NULL;
    }

  if (n == 8)
    {
      memmove (digits + 1, digits, 8);
      digits[0] = '0';
      n = 9;
    }
  if (n != 9)
    return NULL;
  digits[9] = '\0';

  for (guint i = 0; i < 9; i++)
    {
      int d = digits[i] - '0';
      int weight = i < 8 ? 9 - (int) i : -1;

      sum += weight * d;
      if (d != 0)
        all_zero = FALSE;
    }

  if (all_zero || sum % 11 != 0)
    return NULL;
  return g_strdup (digits);
}

gboolean
rr_bsn_is_valid (const char *text)
{
  g_autofree char *normalised = rr_bsn_normalise (text);
  return normalised != NULL;
}
