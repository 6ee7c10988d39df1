// hash: 64-bit integer mixing and an open-addressing hash table. Keys are
// hashed with FNV-1a over their bytes and with a multiply-xorshift finaliser,
// inserted into a linear-probing table of 64-bit keys, then looked up (half
// present, half absent) and deleted by backward shifting. Measures i64
// multiply, shifts and rotates, and data-dependent loads and branches.
#include "common.h"

#define TABLE_BITS 14
#define TABLE_SIZE (1u << TABLE_BITS)
#define KEYS (TABLE_SIZE / 2)  // load factor 1/2

static uint64_t keys[KEYS];
static uint64_t slot_key[TABLE_SIZE];  // 0 means empty (keys are never 0)
static uint32_t slot_val[TABLE_SIZE];

static uint64_t fnv1a64(uint64_t key) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (int i = 0; i < 8; i++) {
    h ^= (key >> (8 * i)) & 0xffu;
    h *= 0x100000001b3ull;
  }
  return h;
}

static uint64_t finalise(uint64_t x) {
  x ^= x >> 31;
  x *= 0x7fb5d329728ea185ull;
  x ^= x >> 27;
  x *= 0x81dadef4bc2dd44dull;
  x ^= x >> 33;
  return x;
}

static uint32_t slot_of(uint64_t key) {
  return (uint32_t)(finalise(fnv1a64(key) ^ rotl64(key, 29)) >> (64 - TABLE_BITS));
}

static void insert(uint64_t key, uint32_t val) {
  uint32_t i = slot_of(key);
  while (slot_key[i] != 0 && slot_key[i] != key) i = (i + 1) & (TABLE_SIZE - 1);
  slot_key[i] = key;
  slot_val[i] = val;
}

// Returns the value, or 0xffffffff if absent.
static uint32_t lookup(uint64_t key) {
  uint32_t i = slot_of(key);
  while (slot_key[i] != 0) {
    if (slot_key[i] == key) return slot_val[i];
    i = (i + 1) & (TABLE_SIZE - 1);
  }
  return 0xffffffffu;
}

// Deletes key if present, moving later entries of the probe run back so that
// lookups stay correct without tombstones.
static int erase(uint64_t key) {
  uint32_t i = slot_of(key);
  while (slot_key[i] != key) {
    if (slot_key[i] == 0) return 0;
    i = (i + 1) & (TABLE_SIZE - 1);
  }
  uint32_t j = i;
  for (;;) {
    slot_key[i] = 0;
    for (;;) {
      j = (j + 1) & (TABLE_SIZE - 1);
      if (slot_key[j] == 0) return 1;
      uint32_t home = slot_of(slot_key[j]);
      // Move j into the hole at i unless its home lies cyclically in (i, j].
      if (i <= j ? (i < home && home <= j) : (i < home || home <= j)) continue;
      break;
    }
    slot_key[i] = slot_key[j];
    slot_val[i] = slot_val[j];
    i = j;
  }
}

int32_t run(int32_t n) {
  uint64_t state = 0x0123456789abcdefull;
  uint32_t h = 0;
  for (int32_t round = 0; round < n; round++) {
    for (uint32_t i = 0; i < TABLE_SIZE; i++) slot_key[i] = 0;
    for (uint32_t i = 0; i < KEYS; i++) {
      // A 64-bit xorshift* stream, never 0.
      state ^= state >> 12;
      state ^= state << 25;
      state ^= state >> 27;
      keys[i] = (state * 0x2545F4914F6CDD1Dull) | 1u;
      insert(keys[i], i);
    }
    uint32_t found = 0, sum = 0;
    for (uint32_t i = 0; i < KEYS; i++) {
      uint32_t v = lookup(keys[i]);
      sum += v;
      uint32_t miss = lookup(keys[i] ^ 0x8000000000000000ull);
      found += (miss != 0xffffffffu);
    }
    uint32_t erased = 0;
    for (uint32_t i = 0; i < KEYS; i += 3) erased += erase(keys[i]);
    for (uint32_t i = 1; i < KEYS; i += 3) sum ^= lookup(keys[i]) * 0x9e3779b1u;
    for (uint32_t i = 0; i < KEYS; i += 3) found += (lookup(keys[i]) != 0xffffffffu);
    h = mix32(h, sum);
    h = mix32(h, found * 65536u + erased);
    h = mix64(h, state);
  }
  return (int32_t)h;
}
