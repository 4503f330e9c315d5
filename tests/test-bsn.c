/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rr-bsn.h"

/* A plain reference implementation, written independently of rr-bsn.c. */
static gboolean
reference_valid (const char digits[9])
{
  int sum = 0;
  for (int i = 0; i < 8; i++)
    sum += (9 - i) * (digits[i] - '0');
  sum -= digits[8] - '0';
  return sum % 11 == 0 && strncmp (digits, "000000000", 9) != 0;
}

static void
random_valid_bsn (GRand *rand, char out[10])
{
  do
    {
      for (int i = 0; i < 9; i++)
        out[i] = '0' + g_rand_int_range (rand, 0, 10);
      out[9] = '\0';
    }
  while (!reference_valid (out));
}

static void
test_known (void)
{
  g_assert_true (rr_bsn_is_valid ("111222333"));
  g_assert_true (rr_bsn_is_valid ("123456782"));
  g_assert_true (rr_bsn_is_valid ("1112.22.333"));
  g_assert_true (rr_bsn_is_valid ("111 222 333"));
  g_assert_false (rr_bsn_is_valid ("111222334"));
  g_assert_false (rr_bsn_is_valid ("000000000"));
  g_assert_false (rr_bsn_is_valid (""));
  g_assert_false (rr_bsn_is_valid (NULL));
  g_assert_false (rr_bsn_is_valid ("11122233"));     /* 8 digits: 011122233 fails */
  g_assert_false (rr_bsn_is_valid ("1112223333"));   /* 10 digits */
  g_assert_false (rr_bsn_is_valid ("11122233a"));
  g_assert_false (rr_bsn_is_valid (" 111222333"));
  g_assert_false (rr_bsn_is_valid ("111222333 "));
  g_assert_false (rr_bsn_is_valid ("١١١٢٢٢٣٣٣"));    /* other digits than ASCII */
}

static void
test_eight_digits (void)
{
  g_autofree char *normalised = NULL;
  char nine[10];
  GRand *rand = g_rand_new_with_seed (3);

  /* Find a valid BSN with a leading zero and check its 8-digit form. */
  do
    random_valid_bsn (rand, nine);
  while (nine[0] != '0');
  normalised = rr_bsn_normalise (nine + 1);
  g_assert_cmpstr (normalised, ==, nine);
  g_rand_free (rand);
}

/* Every single-digit change and every swap of two different adjacent
 * digits of a valid BSN fails the elfproef. */
static void
test_properties (void)
{
  GRand *rand = g_rand_new_with_seed (20261125);

  for (int n = 0; n < 2000; n++)
    {
      char bsn[10];

      random_valid_bsn (rand, bsn);
      g_assert_true (rr_bsn_is_valid (bsn));

      for (int i = 0; i < 9; i++)
        for (char d = '0'; d <= '9'; d++)
          {
            char changed[10];
            if (d == bsn[i])
              continue;
            memcpy (changed, bsn, 10);
            changed[i] = d;
            g_assert_false (rr_bsn_is_valid (changed));
          }

      for (int i = 0; i < 8; i++)
        {
          char swapped[10];
          if (bsn[i] == bsn[i + 1])
            continue;
          memcpy (swapped, bsn, 10);
          swapped[i] = bsn[i + 1];
          swapped[i + 1] = bsn[i];
          g_assert_false (rr_bsn_is_valid (swapped));
        }
    }
  g_rand_free (rand);
}

/* Differential: the implementation agrees with the reference on random
 * nine-digit strings. */
static void
test_differential (void)
{
  GRand *rand = g_rand_new_with_seed (7);

  for (int n = 0; n < 100000; n++)
    {
      char digits[10];
      for (int i = 0; i < 9; i++)
        digits[i] = '0' + g_rand_int_range (rand, 0, 10);
      digits[9] = '\0';
      g_assert_cmpint (rr_bsn_is_valid (digits), ==, reference_valid (digits));
    }
  g_rand_free (rand);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rr/bsn/known", test_known);
  g_test_add_func ("/rr/bsn/eight-digits", test_eight_digits);
  g_test_add_func ("/rr/bsn/properties", test_properties);
  g_test_add_func ("/rr/bsn/differential", test_differential);
  return g_test_run ();
}
