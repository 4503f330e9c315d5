/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: BSN parsing, differential against a plain reference
 * that follows rr-bsn.h's contract word for word. */
#define G_LOG_DOMAIN "rr-fuzz"
#include "config.h"

#include <string.h>

#include "rr-bsn.h"
#include "rr-fuzz.h"

/* Nine digits (eight read with a leading zero); separators ' ', '.', '-'
 * only between digits; 9·d1 + … + 2·d8 − d9 ≡ 0 (mod 11); not all zeros. */
static char *
reference_normalise (const char *text)
{
  size_t len = strlen (text);
  char digits[32];
  size_t n = 0;
  long sum = 0;
  int nonzero = 0;

  if (len == 0 || !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[len - 1]))
    return NULL;
  for (size_t i = 0; i < len; i++)
    {
      char c = text[i];
      if (c >= '0' && c <= '9')
        {
          if (n >= 10)
            return NULL;
          digits[n++] = c;
        }
      else if (c != ' ' && c != '.' && c != '-')
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
  for (size_t i = 0; i < 9; i++)
    {
      int d = digits[i] - '0';
      sum += (i < 8 ? (long) (9 - i) : -1L) * d;
      nonzero |= d;
    }
  if (!nonzero || sum % 11 != 0)
    return NULL;
  digits[9] = '\0';
  return g_strdup (digits);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_autofree char *got = NULL;
  g_autofree char *want = NULL;

  /* The API takes a C string: stop at the first NUL, as a caller would. */
  text = g_strndup ((const char *) data, size);
  got = rr_bsn_normalise (text);
  want = reference_normalise (text);

  if (g_strcmp0 (got, want) != 0)
    g_error ("BSN parsers disagree on %zu bytes: core %s, reference %s",
             strlen (text), got != NULL ? "accepts" : "refuses",
             want != NULL ? "accepts" : "refuses");
  if ((got != NULL) != rr_bsn_is_valid (text))
    g_error ("rr_bsn_is_valid disagrees with rr_bsn_normalise");
  if (got != NULL)
    {
      /* The normal form is a fixed point. */
      g_autofree char *again = rr_bsn_normalise (got);
      g_assert_cmpstr (again, ==, got);
    }
  return 0;
}
