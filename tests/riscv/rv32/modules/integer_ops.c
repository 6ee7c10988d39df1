// 32- and 64-bit integer arithmetic: what rv32 without M calls __mulsi3,
// __divsi3, __udivsi3, __modsi3, __umodsi3 for, and what every rv32 core
// calls __muldi3, __divdi3, __udivdi3, __moddi3, __umoddi3, __ashldi3,
// __ashrdi3, __lshrdi3 and friends for. Each export takes two operands and
// an operation number, so one call line covers one instruction.
#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(#name), noinline))

EXPORT(i32_op) int32_t i32_op(int32_t op, int32_t a, int32_t b) {
  const uint32_t ua = (uint32_t)a, ub = (uint32_t)b;
  switch (op) {
    case 0:
      return a * b;
    case 1:
      return a / b;  // div_s: traps on 0 and overflow
    case 2:
      return (int32_t)(ua / ub);  // div_u
    case 3:
      return a % b;  // rem_s
    case 4:
      return (int32_t)(ua % ub);  // rem_u
    case 5:
      return (int32_t)(ua << (ub & 31));
    case 6:
      return a >> (b & 31);  // shr_s
    case 7:
      return (int32_t)(ua >> (ub & 31));
    case 8:
      return (int32_t)((ua << (ub & 31)) | (ua >> ((32 - ub) & 31)));  // rotl
    case 9:
      return ua == 0 ? 32 : __builtin_clz(ua);  // i32.clz
    case 10:
      return a == 0 ? 32 : __builtin_ctz(ua);
    case 11:
      return __builtin_popcount(ua);
    case 12:
      return (int32_t)((int64_t)a * b >> 32);  // mulh through i64.mul
    default:
      return -1;
  }
}

EXPORT(i64_op) int64_t i64_op(int32_t op, int64_t a, int64_t b) {
  const uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
  switch (op) {
    case 0:
      return a * b;
    case 1:
      return a / b;
    case 2:
      return (int64_t)(ua / ub);
    case 3:
      return a % b;
    case 4:
      return (int64_t)(ua % ub);
    case 5:
      return (int64_t)(ua << (ub & 63));
    case 6:
      return a >> (b & 63);
    case 7:
      return (int64_t)(ua >> (ub & 63));
    case 8:
      return (int64_t)((ua >> (ub & 63)) | (ua << ((64 - ub) & 63)));  // rotr
    case 9:
      return ua == 0 ? 64 : __builtin_clzll(ua);
    case 10:
      return ua == 0 ? 64 : __builtin_ctzll(ua);
    case 11:
      return __builtin_popcountll(ua);
    case 12:
      return (int64_t)(int32_t)a * (int64_t)(int32_t)b;  // i64.extend_i32_s + mul
    default:
      return -1;
  }
}

// A loop mixing both widths, so a wrong helper shows in one checksum.
EXPORT(mix) int64_t mix(int32_t seed, int32_t rounds) {
  uint64_t x = (uint32_t)seed | 1;
  uint32_t y = (uint32_t)seed;
  for (int32_t i = 0; i < rounds; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    y = y * 1103515245u + 12345u;
    x ^= (x >> 29) / ((y & 0xff) + 1);
    y ^= (uint32_t)(x % 1000003u) << (i & 7);
    x += (uint64_t)(int64_t)((int32_t)y / ((int32_t)(i & 15) - 7 | 1));
  }
  return (int64_t)(x ^ y);
}

// Recursion: deep enough, it traps as "call stack exhausted" in every
// engine (the interpreter counts frames, compiled code checks its stack
// pointer against the limit the harness sets).
EXPORT(recurse) int32_t recurse(int32_t depth) {
  if (depth <= 0) return 1;
  volatile int32_t kept = depth;
  const int32_t inner = recurse(depth - 1);
  return inner * 3 + kept % 7;
}
