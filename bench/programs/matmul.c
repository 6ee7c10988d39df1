// matmul: dense matrix multiplication in double and single precision. Each
// round multiplies 64x64 double matrices (i-k-j loop order, row-major), scales
// the product by its largest magnitude so values stay bounded (a power
// iteration), and does the same with 48x48 float matrices. Measures f64/f32
// multiply-add throughput, strided loads and compares.
#include "common.h"

#define DN 64
#define FN 48

static double da[DN][DN], db[DN][DN], dc[DN][DN];
static float fa[FN][FN], fb[FN][FN], fc[FN][FN];

static void mul_double(void) {
  for (int i = 0; i < DN; i++) {
    for (int j = 0; j < DN; j++) dc[i][j] = 0.0;
    for (int k = 0; k < DN; k++) {
      double a = da[i][k];
      for (int j = 0; j < DN; j++) dc[i][j] += a * db[k][j];
    }
  }
}

static void mul_float(void) {
  for (int i = 0; i < FN; i++) {
    for (int j = 0; j < FN; j++) fc[i][j] = 0.0f;
    for (int k = 0; k < FN; k++) {
      float a = fa[i][k];
      for (int j = 0; j < FN; j++) fc[i][j] += a * fb[k][j];
    }
  }
}

int32_t run(int32_t n) {
  Rng32 rng;
  rng32_seed(&rng, 0x3A7121u);
  for (int i = 0; i < DN; i++)
    for (int j = 0; j < DN; j++) {
      da[i][j] = rng32_unit(&rng) - 0.5;
      db[i][j] = rng32_unit(&rng) - 0.5;
    }
  for (int i = 0; i < FN; i++)
    for (int j = 0; j < FN; j++) {
      fa[i][j] = (float)(rng32_unit(&rng) - 0.5);
      fb[i][j] = (float)(rng32_unit(&rng) - 0.5);
    }

  uint32_t h = 0;
  for (int32_t round = 0; round < n; round++) {
    // B <- (A x B) / max|A x B|
    mul_double();
    double dmax = 0.0;
    for (int i = 0; i < DN; i++)
      for (int j = 0; j < DN; j++) {
        double v = dc[i][j] < 0 ? -dc[i][j] : dc[i][j];
        if (v > dmax) dmax = v;
      }
    double dscale = 1.0 / dmax;
    for (int i = 0; i < DN; i++)
      for (int j = 0; j < DN; j++) db[i][j] = dc[i][j] * dscale;
    h = mix64(h, double_bits(dmax));
    h = mix64(h, double_bits(db[round & (DN - 1)][(round * 7) & (DN - 1)]));

    mul_float();
    float fmax = 0.0f;
    for (int i = 0; i < FN; i++)
      for (int j = 0; j < FN; j++) {
        float v = fc[i][j] < 0 ? -fc[i][j] : fc[i][j];
        if (v > fmax) fmax = v;
      }
    float fscale = 1.0f / fmax;
    for (int i = 0; i < FN; i++)
      for (int j = 0; j < FN; j++) fb[i][j] = fc[i][j] * fscale;
    h = mix32(h, float_bits(fmax));
    h = mix32(h, float_bits(fb[(round * 3) % FN][round % FN]));
  }
  return (int32_t)h;
}
