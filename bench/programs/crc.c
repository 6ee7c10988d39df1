// crc: byte-at-a-time integer and bit work over a buffer. A table-driven
// CRC-32 (reflected, polynomial 0xEDB88320), a bit-by-bit CRC-32C
// (Castagnoli, 0x82F63B78) with a branch-free shift-and-mask step, and an
// Adler-32-style pair of running sums. Measures loads, shifts, xors, table
// lookups and short inner loops.
#include "common.h"

#define BUF_SIZE 16384

static uint8_t buf[BUF_SIZE];
static uint32_t crc_table[256];

static void make_table(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    crc_table[i] = c;
  }
}

static uint32_t crc32_table(const uint8_t* p, uint32_t len, uint32_t crc) {
  crc = ~crc;
  for (uint32_t i = 0; i < len; i++) crc = crc_table[(crc ^ p[i]) & 0xffu] ^ (crc >> 8);
  return ~crc;
}

static uint32_t crc32c_bitwise(const uint8_t* p, uint32_t len, uint32_t crc) {
  crc = ~crc;
  for (uint32_t i = 0; i < len; i++) {
    crc ^= p[i];
    for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
  }
  return ~crc;
}

// Two running sums modulo the largest prime below 2^16, reduced every 4096
// bytes as in zlib's Adler-32 (which cannot overflow 32 bits in that span).
static uint32_t adler(const uint8_t* p, uint32_t len, uint32_t start) {
  uint32_t a = start & 0xffffu, b = start >> 16;
  while (len) {
    uint32_t chunk = len < 4096 ? len : 4096;
    len -= chunk;
    while (chunk--) {
      a += *p++;
      b += a;
    }
    a %= 65521u;
    b %= 65521u;
  }
  return (b << 16) | a;
}

int32_t run(int32_t n) {
  Rng32 rng;
  rng32_seed(&rng, 0xC0FFEEu);
  for (uint32_t i = 0; i < BUF_SIZE; i += 4) {
    uint32_t r = rng32_next(&rng);
    buf[i] = (uint8_t)r;
    buf[i + 1] = (uint8_t)(r >> 8);
    buf[i + 2] = (uint8_t)(r >> 16);
    buf[i + 3] = (uint8_t)(r >> 24);
  }
  make_table();

  uint32_t h = 0, a = 1, c1 = 0, c2 = 0;
  for (int32_t i = 0; i < n; i++) {
    // Each round reads what the previous one wrote, so rounds cannot be
    // merged or skipped.
    c1 = crc32_table(buf, BUF_SIZE, c1);
    uint32_t off = c1 & (BUF_SIZE / 2 - 1);
    c2 = crc32c_bitwise(buf + off, BUF_SIZE / 8, c2);
    a = adler(buf, BUF_SIZE, a);
    buf[c2 & (BUF_SIZE - 1)] ^= (uint8_t)(a | 1u);
    h = mix32(h, c1 ^ rotl32(c2, 7) ^ rotl32(a, 19));
  }
  return (int32_t)h;
}
