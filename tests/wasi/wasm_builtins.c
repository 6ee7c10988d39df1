// The two compiler-rt builtins that Debian's wasi-libc needs from the
// compiler's runtime library (libclang_rt.builtins for wasm32 is a separate
// package that the build machines do not have): 128-bit multiplication,
// used by strtol and friends, and 128-bit multiplication with overflow
// check, used by clock_nanosleep, futimens and utimensat. Linked into every
// test program built for wasm32-wasi (with -nodefaultlibs, so that clang
// does not ask for the missing library). Only 64-bit arithmetic here, so
// neither can call itself.
#include <stdint.h>

typedef unsigned __int128 tu_int;
typedef __int128 ti_int;

// The 128-bit product of two 64-bit values.
static tu_int mul64(uint64_t a, uint64_t b) {
  uint64_t a0 = a & 0xffffffffu, a1 = a >> 32, b0 = b & 0xffffffffu, b1 = b >> 32;
  uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  uint64_t mid = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);
  uint64_t lo = (p00 & 0xffffffffu) | (mid << 32);
  uint64_t hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
  return ((tu_int)hi << 64) | lo;
}

ti_int __multi3(ti_int a, ti_int b) {
  uint64_t al = (uint64_t)a, ah = (uint64_t)((tu_int)a >> 64);
  uint64_t bl = (uint64_t)b, bh = (uint64_t)((tu_int)b >> 64);
  tu_int r = mul64(al, bl);
  r += (tu_int)(al * bh + ah * bl) << 64;
  return (ti_int)r;
}

ti_int __muloti4(ti_int a, ti_int b, int* overflow) {
  tu_int ua = a < 0 ? -(tu_int)a : (tu_int)a;
  tu_int ub = b < 0 ? -(tu_int)b : (tu_int)b;
  uint64_t a0 = (uint64_t)ua, a1 = (uint64_t)(ua >> 64);
  uint64_t b0 = (uint64_t)ub, b1 = (uint64_t)(ub >> 64);
  int of = a1 != 0 && b1 != 0;
  // At most one of the cross products is non-zero when there is no overflow.
  tu_int cross = mul64(a1, b0) + mul64(a0, b1);
  if ((uint64_t)(cross >> 64) != 0) of = 1;
  tu_int low = mul64(a0, b0);
  tu_int magnitude = low + (cross << 64);
  if (magnitude < low) of = 1;
  tu_int limit = (tu_int)1 << 127;  // |INT128_MIN|
  if ((a < 0) != (b < 0) ? magnitude > limit : magnitude >= limit) of = 1;
  if (a == 0 || b == 0) of = 0;
  *overflow = of;
  return (ti_int)((tu_int)__multi3(a, b));
}
