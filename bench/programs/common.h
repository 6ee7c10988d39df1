// Shared by every benchmark program in bench/programs/.
//
// Each program is one C file that builds two ways:
//   wasm:   clang-19 --target=wasm32 -O2 -nostdlib ... (no libc at all)
//   native: gcc -O2 NAME.c native_main.c (glibc)
// and defines `int32_t run(int32_t n)`, which does n units of work and returns
// a 32-bit checksum of all of it. Both builds must return the same checksum:
// bench/run compares them, and a difference means an engine bug.
//
// Rules for the programs: static arrays only (no malloc), fixed-seed PRNGs,
// every unit of work feeds the checksum (so no compiler can drop or hoist it),
// and no floating-point operation whose result may differ between the two
// builds (plain IEEE +,-,*,/ and sqrt are exact on both).
#ifndef RIVET_BENCH_COMMON_H_
#define RIVET_BENCH_COMMON_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __wasm__
#define EXPORT_RUN __attribute__((export_name("run")))

// clang may turn struct copies and clearing loops into calls to these, and
// there is no libc in the wasm build. (LLVM does not turn the loops inside
// functions with these names back into calls to themselves.)
void* memcpy(void* dst, const void* src, size_t n) {
  unsigned char* d = (unsigned char*)dst;
  const unsigned char* s = (const unsigned char*)src;
  while (n--) *d++ = *s++;
  return dst;
}

void* memset(void* dst, int c, size_t n) {
  unsigned char* d = (unsigned char*)dst;
  while (n--) *d++ = (unsigned char)c;
  return dst;
}

void* memmove(void* dst, const void* src, size_t n) {
  unsigned char* d = (unsigned char*)dst;
  const unsigned char* s = (const unsigned char*)src;
  if (d < s) {
    while (n--) *d++ = *s++;
  } else {
    while (n--) d[n] = s[n];
  }
  return dst;
}
#else
#define EXPORT_RUN
#endif

int32_t run(int32_t n) EXPORT_RUN;

// --- Deterministic pseudo-random numbers --------------------------------------

// xorshift32: fast, full period over non-zero states.
typedef struct {
  uint32_t s;
} Rng32;

static inline void rng32_seed(Rng32* r, uint32_t seed) { r->s = seed ? seed : 0x9e3779b9u; }

static inline uint32_t rng32_next(Rng32* r) {
  uint32_t x = r->s;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  r->s = x;
  return x;
}

// A value in [0, bound) (bound > 0), by multiply-shift rather than modulo.
static inline uint32_t rng32_below(Rng32* r, uint32_t bound) {
  return (uint32_t)(((uint64_t)rng32_next(r) * bound) >> 32);
}

// A double in [0, 1) with 32 random bits: exact on both builds.
static inline double rng32_unit(Rng32* r) { return (double)rng32_next(r) * (1.0 / 4294967296.0); }

// --- Checksum mixing ------------------------------------------------------------

static inline uint32_t rotl32(uint32_t x, unsigned k) { return (x << (k & 31)) | (x >> ((32 - k) & 31)); }

static inline uint64_t rotl64(uint64_t x, unsigned k) { return (x << (k & 63)) | (x >> ((64 - k) & 63)); }

// Folds a 32-bit value into a running checksum (order-sensitive).
static inline uint32_t mix32(uint32_t h, uint32_t v) {
  h ^= v * 0x9e3779b1u;
  h = rotl32(h, 13);
  return h * 5u + 0xe6546b64u;
}

static inline uint32_t mix64(uint32_t h, uint64_t v) {
  return mix32(mix32(h, (uint32_t)v), (uint32_t)(v >> 32));
}

// The exact bit pattern of a double, for checksums of floating-point results.
static inline uint64_t double_bits(double d) {
  union {
    double d;
    uint64_t u;
  } u;
  u.d = d;
  return u.u;
}

static inline uint32_t float_bits(float f) {
  union {
    float f;
    uint32_t u;
  } u;
  u.f = f;
  return u.u;
}

#endif  // RIVET_BENCH_COMMON_H_
