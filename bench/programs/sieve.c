// sieve: prime sieves over large static arrays. A byte-per-number sieve of
// Eratosthenes up to about 1.5 million (strided stores over 1.5 MB), then a
// bit-packed odd-only sieve of the same range (word loads, shifts and masked
// stores), cross-checked against each other; the count, the sum and a hash of
// the primes go into the checksum. Measures memory bandwidth, strided access
// and tight loops.
#include "common.h"

#define LIMIT 1500000

static uint8_t composite[LIMIT + 1];
static uint32_t bits[(LIMIT / 2) / 32 + 1];  // bit k: 2k+1 is composite

// Returns the number of primes <= limit; *sum gets their sum, *hash a hash.
static uint32_t byte_sieve(uint32_t limit, uint64_t* sum, uint32_t* hash) {
  for (uint32_t i = 0; i <= limit; i++) composite[i] = 0;
  for (uint32_t p = 2; p * p <= limit; p++)
    if (!composite[p])
      for (uint32_t m = p * p; m <= limit; m += p) composite[m] = 1;
  uint32_t count = 0, h = 0;
  uint64_t s = 0;
  for (uint32_t i = 2; i <= limit; i++)
    if (!composite[i]) {
      count++;
      s += i;
      h = h * 0x01000193u ^ i;
    }
  *sum = s;
  *hash = h;
  return count;
}

static uint32_t bit_sieve(uint32_t limit, uint32_t* hash) {
  uint32_t half = limit / 2 + 1;  // candidates 1, 3, 5, ... <= limit (+ maybe one past)
  uint32_t words = (half + 31) / 32;
  for (uint32_t i = 0; i < words; i++) bits[i] = 0;
  for (uint32_t p = 3; p * p <= limit; p += 2) {
    uint32_t k = p / 2;
    if (bits[k >> 5] & (1u << (k & 31))) continue;
    for (uint32_t m = (p * p) / 2; m < half; m += p) bits[m >> 5] |= 1u << (m & 31);
  }
  uint32_t count = limit >= 2, h = 0;
  for (uint32_t k = 1; k < half; k++) {
    if (2 * k + 1 > limit) break;
    if (!(bits[k >> 5] & (1u << (k & 31)))) {
      count++;
      h += (2 * k + 1) ^ (h >> 5);
    }
  }
  *hash = h;
  return count;
}

int32_t run(int32_t n) {
  uint32_t h = 0;
  for (int32_t round = 0; round < n; round++) {
    // A slightly different limit each round.
    uint32_t limit = LIMIT - (uint32_t)((round * 7919 + (int32_t)(h & 0xff)) % 4096);
    uint64_t sum;
    uint32_t hash1, hash2;
    uint32_t c1 = byte_sieve(limit, &sum, &hash1);
    uint32_t c2 = bit_sieve(limit, &hash2);
    h = mix32(h, c1);
    h = mix32(h, c2 == c1 ? 0x600Du : 0xBADu);
    h = mix64(h, sum);
    h = mix32(h, hash1 ^ hash2);
  }
  return (int32_t)h;
}
