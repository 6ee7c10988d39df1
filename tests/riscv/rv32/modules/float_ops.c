// f32 and f64 arithmetic, min/max, rounding and conversions. Values cross
// the boundary as bit patterns (i32 for f32, i64 for f64) so that the
// expected results, printed by the interpreter, are exact; the functions in
// between take and return real floats, so calls between compiled functions
// pass them in FP registers on ilp32d and in integer registers on ilp32.
#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(#name), noinline))
#define INTERNAL __attribute__((noinline))

static float F(int32_t bits) { return __builtin_bit_cast(float, bits); }
static int32_t FBits(float value) { return __builtin_bit_cast(int32_t, value); }
static double D(int64_t bits) { return __builtin_bit_cast(double, bits); }
static int64_t DBits(double value) { return __builtin_bit_cast(int64_t, value); }

INTERNAL float f32_binary(int32_t op, float a, float b) {
  switch (op) {
    case 0:
      return a + b;
    case 1:
      return a - b;
    case 2:
      return a * b;
    case 3:
      return a / b;
    case 4:
      return __builtin_wasm_min_f32(a, b);
    case 5:
      return __builtin_wasm_max_f32(a, b);
    case 6:
      return __builtin_copysignf(a, b);
    case 7:
      return __builtin_sqrtf(a);
    case 8:
      return __builtin_ceilf(a);
    case 9:
      return __builtin_floorf(a);
    case 10:
      return __builtin_truncf(a);
    case 11:
      return __builtin_rintf(a);  // f32.nearest
    case 12:
      return __builtin_fabsf(a) * -b;
    default:
      return 0;
  }
}

INTERNAL double f64_binary(int32_t op, double a, double b) {
  switch (op) {
    case 0:
      return a + b;
    case 1:
      return a - b;
    case 2:
      return a * b;
    case 3:
      return a / b;
    case 4:
      return __builtin_wasm_min_f64(a, b);
    case 5:
      return __builtin_wasm_max_f64(a, b);
    case 6:
      return __builtin_copysign(a, b);
    case 7:
      return __builtin_sqrt(a);
    case 8:
      return __builtin_ceil(a);
    case 9:
      return __builtin_floor(a);
    case 10:
      return __builtin_trunc(a);
    case 11:
      return __builtin_rint(a);  // f64.nearest
    case 12:
      return __builtin_fabs(a) * -b;
    default:
      return 0;
  }
}

EXPORT(f32_op) int32_t f32_op(int32_t op, int32_t a, int32_t b) {
  return FBits(f32_binary(op, F(a), F(b)));
}

EXPORT(f64_op) int64_t f64_op(int32_t op, int64_t a, int64_t b) {
  return DBits(f64_binary(op, D(a), D(b)));
}

// Comparisons, as a bit set: eq, ne, lt, le, gt, ge (NaN makes all but ne
// false).
EXPORT(f64_compare) int32_t f64_compare(int64_t a_bits, int64_t b_bits) {
  const double a = D(a_bits), b = D(b_bits);
  return (a == b) | (a != b) << 1 | (a < b) << 2 | (a <= b) << 3 | (a > b) << 4 | (a >= b) << 5;
}

EXPORT(f32_compare) int32_t f32_compare(int32_t a_bits, int32_t b_bits) {
  const float a = F(a_bits), b = F(b_bits);
  return (a == b) | (a != b) << 1 | (a < b) << 2 | (a <= b) << 3 | (a > b) << 4 | (a >= b) << 5;
}

// Conversions from f64 (bits) to an integer or f32; the trapping ones trap
// on NaN and out-of-range values, the saturating ones clamp.
EXPORT(from_f64) int64_t from_f64(int32_t op, int64_t bits) {
  const double value = D(bits);
  switch (op) {
    case 0:
      return __builtin_wasm_trunc_s_i32_f64(value);
    case 1:
      return (uint32_t)__builtin_wasm_trunc_u_i32_f64(value);
    case 2:
      return __builtin_wasm_trunc_s_i64_f64(value);
    case 3:
      return (int64_t)__builtin_wasm_trunc_u_i64_f64(value);
    case 4:
      return __builtin_wasm_trunc_saturate_s_i32_f64(value);
    case 5:
      return (int64_t)__builtin_wasm_trunc_saturate_u_i64_f64(value);
    case 6:
      return FBits((float)value);  // f32.demote_f64
    default:
      return -1;
  }
}

EXPORT(from_f32) int64_t from_f32(int32_t op, int32_t bits) {
  const float value = F(bits);
  switch (op) {
    case 0:
      return __builtin_wasm_trunc_s_i32_f32(value);
    case 1:
      return (int64_t)__builtin_wasm_trunc_u_i64_f32(value);
    case 2:
      return __builtin_wasm_trunc_saturate_u_i32_f32(value);
    case 3:
      return DBits((double)value);  // f64.promote_f32
    default:
      return -1;
  }
}

// Conversions from integers: f64 (bits) from i32/i64 signed and unsigned,
// f32 (bits, zero-extended) likewise.
EXPORT(to_float) int64_t to_float(int32_t op, int64_t value) {
  switch (op) {
    case 0:
      return DBits((double)(int32_t)value);
    case 1:
      return DBits((double)(uint32_t)value);
    case 2:
      return DBits((double)value);
    case 3:
      return DBits((double)(uint64_t)value);
    case 4:
      return (uint32_t)FBits((float)(int32_t)value);
    case 5:
      return (uint32_t)FBits((float)(uint32_t)value);
    case 6:
      return (uint32_t)FBits((float)value);
    case 7:
      return (uint32_t)FBits((float)(uint64_t)value);
    default:
      return -1;
  }
}

// A small numeric kernel: Newton's square root and a polynomial, mixing f32
// and f64 and their conversions.
EXPORT(kernel) int64_t kernel(int32_t n) {
  double sum = 0;
  float fsum = 0;
  for (int32_t i = 1; i <= n; ++i) {
    double x = i, guess = x / 2 + 1;
    for (int step = 0; step < 8; ++step) guess = (guess + x / guess) / 2;
    sum += guess * 1.5 - __builtin_floor(guess) + (double)(i % 7) / 3.0;
    fsum = fsum * 0.75f + (float)guess / (float)(i + 2);
  }
  return DBits(sum + fsum) ^ (int64_t)(sum * 1000.0);
}
