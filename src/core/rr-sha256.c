/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "rr-sha256-private.h"

/* SHA-256 (FIPS 180-4) for the ledger. Every event, every decision's content
 * and every verification of a trail hashes, so at a million decisions the
 * hash is a large share of the work. Where the processor has the SHA
 * extensions (x86-64 SHA-NI) the compression runs on them; elsewhere GLib's
 * GChecksum does the work. Both give the same digest; a test compares them
 * over many lengths. */

#if defined(__x86_64__) && defined(__GNUC__)
#define RR_HAVE_SHA_NI_CODE 1
#include <cpuid.h>
#include <immintrin.h>

static const guint32 K[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* Compresses @n_blocks 64-byte blocks into @state with the SHA extensions:
 * four rounds per step, the message schedule kept in four registers. */
__attribute__ ((target ("sha,sse4.1,ssse3")))
static void
compress_ni (guint32       state[8],
             const guint8 *data,
             gsize         n_blocks)
{
  const __m128i byte_swap = _mm_set_epi64x (0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i tmp, state0, state1;

  /* From the natural A…H order to the ABEF / CDGH halves the
   * instructions work on. */
  tmp = _mm_loadu_si128 ((const __m128i *) &state[0]);     /* DCBA */
  state1 = _mm_loadu_si128 ((const __m128i *) &state[4]);  /* HGFE */
  tmp = _mm_shuffle_epi32 (tmp, 0xB1);                      /* CDAB */
  state1 = _mm_shuffle_epi32 (state1, 0x1B);                /* EFGH */
  state0 = _mm_alignr_epi8 (tmp, state1, 8);                /* ABEF */
  state1 = _mm_blend_epi16 (state1, tmp, 0xF0);             /* CDGH */

  for (; n_blocks > 0; n_blocks--, data += 64)
    {
      __m128i abef = state0;
      __m128i cdgh = state1;
      __m128i w[4];

      for (int g = 0; g < 16; g++)
        {
          __m128i msg;

          if (g < 4)
            w[g] = _mm_shuffle_epi8 (_mm_loadu_si128 ((const __m128i *) (data + 16 * g)),
                                     byte_swap);
          else
            {
              /* W[t..t+3] from W[t-16..t-1]: σ0 part, the W[t-7] words,
               * then the σ1 part. */
              __m128i x = _mm_sha256msg1_epu32 (w[g % 4], w[(g + 1) % 4]);
              x = _mm_add_epi32 (x, _mm_alignr_epi8 (w[(g + 3) % 4], w[(g + 2) % 4], 4));
              w[g % 4] = _mm_sha256msg2_epu32 (x, w[(g + 3) % 4]);
            }
          msg = _mm_add_epi32 (w[g % 4], _mm_loadu_si128 ((const __m128i *) &K[4 * g]));
          state1 = _mm_sha256rnds2_epu32 (state1, state0, msg);
          msg = _mm_shuffle_epi32 (msg, 0x0E);
          state0 = _mm_sha256rnds2_epu32 (state0, state1, msg);
        }
      state0 = _mm_add_epi32 (state0, abef);
      state1 = _mm_add_epi32 (state1, cdgh);
    }

  tmp = _mm_shuffle_epi32 (state0, 0x1B);                   /* FEBA */
  state1 = _mm_shuffle_epi32 (state1, 0xB1);                /* DCHG */
  state0 = _mm_blend_epi16 (tmp, state1, 0xF0);             /* DCBA */
  state1 = _mm_alignr_epi8 (state1, tmp, 8);                /* HGFE */
  _mm_storeu_si128 ((__m128i *) &state[0], state0);
  _mm_storeu_si128 ((__m128i *) &state[4], state1);
}

static gboolean
cpu_has_sha_ni (void)
{
  unsigned int eax, ebx, ecx, edx;

  if (!__get_cpuid (1, &eax, &ebx, &ecx, &edx))
    return FALSE;
  if (!(ecx & bit_SSE4_1) || !(ecx & bit_SSSE3))
    return FALSE;
  if (!__get_cpuid_count (7, 0, &eax, &ebx, &ecx, &edx))
    return FALSE;
  return (ebx & bit_SHA) != 0;
}

static void
sha256_ni (const guint8 *data,
           gsize         length,
           guint8        digest[RR_SHA256_LEN])
{
  guint32 state[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  };
  guint8 tail[128] = { 0 };
  gsize full = length / 64;
  gsize rest = length % 64;
  gsize tail_len = rest < 56 ? 64 : 128;
  guint64 bits = (guint64) length * 8;

  if (full > 0)
    compress_ni (state, data, full);
  if (rest > 0)
    memcpy (tail, data + 64 * full, rest);
  tail[rest] = 0x80;
  for (int i = 0; i < 8; i++)
    tail[tail_len - 1 - i] = (guint8) (bits >> (8 * i));
  compress_ni (state, tail, tail_len / 64);

  for (int i = 0; i < 8; i++)
    {
      digest[4 * i] = (guint8) (state[i] >> 24);
      digest[4 * i + 1] = (guint8) (state[i] >> 16);
      digest[4 * i + 2] = (guint8) (state[i] >> 8);
      digest[4 * i + 3] = (guint8) state[i];
    }
}
#endif

static void
sha256_glib (const guint8 *data,
             gsize         length,
             guint8        digest[RR_SHA256_LEN])
{
  GChecksum *checksum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize digest_len = RR_SHA256_LEN;

  g_checksum_update (checksum, data, (gssize) length);
  g_checksum_get_digest (checksum, digest, &digest_len);
  g_checksum_free (checksum);
}

static int
use_sha_ni (void)
{
#ifdef RR_HAVE_SHA_NI_CODE
  static gsize once = 0;
  static int have = 0;

  if (g_once_init_enter (&once))
    {
      have = cpu_has_sha_ni () && g_getenv ("RR_SHA256_PORTABLE") == NULL;
      g_once_init_leave (&once, 1);
    }
  return have;
#else
  return 0;
#endif
}

gboolean
_rr_sha256_accelerated (void)
{
  return use_sha_ni ();
}

void
_rr_sha256 (const void *data,
            gsize       length,
            guint8      digest[RR_SHA256_LEN])
{
#ifdef RR_HAVE_SHA_NI_CODE
  if (use_sha_ni ())
    {
      sha256_ni (data, length, digest);
      return;
    }
#endif
  sha256_glib (data, length, digest);
}

void
_rr_sha256_portable (const void *data,
                     gsize       length,
                     guint8      digest[RR_SHA256_LEN])
{
  sha256_glib (data, length, digest);
}

void
_rr_sha256_hex_into (const void *data,
                     gsize       length,
                     char        hex[RR_SHA256_LEN * 2 + 1])
{
  static const char digits[] = "0123456789abcdef";
  guint8 digest[RR_SHA256_LEN];

  _rr_sha256 (data, length, digest);
  for (int i = 0; i < RR_SHA256_LEN; i++)
    {
      hex[2 * i] = digits[digest[i] >> 4];
      hex[2 * i + 1] = digits[digest[i] & 0x0f];
    }
  hex[RR_SHA256_LEN * 2] = '\0';
}
