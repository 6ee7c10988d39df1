// Hashing test program: FNV-1a (32 and 64 bit), CRC-32 with a lazily built
// table, and a 64-bit mixer, selectable through a table of function pointers.
// Exercises i64 arithmetic, shifts and rotates, loads and stores of several
// widths, string constants in data segments and a zero-initialised table.
#include "libc_min.h"

typedef unsigned int u32;
typedef unsigned long long u64;

static u32 crc_table[256];
static int crc_ready;

u32 fnv1a32(const unsigned char* p, int n) {
  u32 h = 2166136261u;
  for (int i = 0; i < n; ++i) h = (h ^ p[i]) * 16777619u;
  return h;
}

u64 fnv1a64(const unsigned char* p, int n) {
  u64 h = 14695981039346656037ull;
  for (int i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

static void crc_init(void) {
  for (u32 i = 0; i < 256; ++i) {
    u32 c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
  crc_ready = 1;
}

u32 crc32(const unsigned char* p, int n) {
  if (!crc_ready) crc_init();
  u32 c = 0xffffffffu;
  for (int i = 0; i < n; ++i) c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

static inline u64 rotl64(u64 x, int r) { return (x << r) | (x >> (64 - r)); }

u64 mix64(u64 h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return rotl64(h, 17);
}

u64 block_hash(const unsigned char* p, int n) {
  u64 h = 0x9e3779b97f4a7c15ull ^ (u64)n;
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    u64 k = 0;
    for (int b = 0; b < 8; ++b) k |= (u64)p[i + b] << (8 * b);
    h = mix64(h ^ k);
  }
  u64 tail = 0;
  for (int b = 0; i < n; ++i, ++b) tail |= (u64)p[i] << (8 * b);
  return mix64(h ^ tail);
}

static u64 via_fnv32(const unsigned char* p, int n) { return fnv1a32(p, n); }
static u64 via_crc(const unsigned char* p, int n) { return crc32(p, n); }

typedef u64 (*hash_fn)(const unsigned char*, int);
static hash_fn const kHashes[] = {via_fnv32, fnv1a64, via_crc, block_hash};

static const char kText[] =
    "The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs.";
static const char* const kWords[] = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot"};

unsigned char scratch[256];

u64 hash_with(int which, const unsigned char* p, int n) { return kHashes[which & 3](p, n); }

u64 hash_text(int which) { return hash_with(which, (const unsigned char*)kText, sizeof(kText) - 1); }

u64 hash_words(int which) {
  u64 acc = 0;
  for (int w = 0; w < 6; ++w) {
    const char* s = kWords[w];
    int n = 0;
    while (s[n]) ++n;
    acc = acc * 0x100000001b3ull + hash_with(which, (const unsigned char*)s, n);
  }
  return acc;
}

u32 hash_scratch(int n) {
  for (int i = 0; i < n && i < 256; ++i) scratch[i] = (unsigned char)(i * 7 + 3);
  return crc32(scratch, n < 256 ? n : 256);
}
