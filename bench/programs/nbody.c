// nbody: double-precision gravitational simulation of a small cluster of
// bodies with a symplectic (leapfrog-style) step: pairwise distances, one
// square root and one division per pair, velocity and position updates.
// Measures f64 arithmetic, sqrt and loads/stores of struct fields. The
// checksum hashes the exact bit patterns of the final state, so any rounding
// difference between engines shows.
#include "common.h"

#define BODIES 8

typedef struct {
  double x, y, z;
  double vx, vy, vz;
  double mass;
} Body;

static Body bodies[BODIES];

static void init(void) {
  Rng32 rng;
  rng32_seed(&rng, 0xB0D1E5u);
  // A heavy central body at rest and lighter ones on roughly circular,
  // slightly inclined orbits.
  bodies[0] = (Body){0, 0, 0, 0, 0, 0, 1000.0};
  for (int i = 1; i < BODIES; i++) {
    double r = 5.0 + 4.0 * i + rng32_unit(&rng);
    double c = 1.0 - 2.0 * rng32_unit(&rng);      // a cheap "cosine"
    double s = __builtin_sqrt(1.0 - c * c);       // and its "sine"
    double speed = __builtin_sqrt(1000.0 / r);
    Body* b = &bodies[i];
    b->x = r * c;
    b->y = r * s;
    b->z = 0.05 * r * (rng32_unit(&rng) - 0.5);
    b->vx = -speed * s;
    b->vy = speed * c;
    b->vz = 0.01 * (rng32_unit(&rng) - 0.5);
    b->mass = 0.1 + rng32_unit(&rng);
  }
  // Move to the centre-of-momentum frame.
  double px = 0, py = 0, pz = 0, m = 0;
  for (int i = 0; i < BODIES; i++) {
    px += bodies[i].vx * bodies[i].mass;
    py += bodies[i].vy * bodies[i].mass;
    pz += bodies[i].vz * bodies[i].mass;
    m += bodies[i].mass;
  }
  for (int i = 0; i < BODIES; i++) {
    bodies[i].vx -= px / m;
    bodies[i].vy -= py / m;
    bodies[i].vz -= pz / m;
  }
}

static void step(double dt) {
  for (int i = 0; i < BODIES; i++) {
    Body* a = &bodies[i];
    for (int j = i + 1; j < BODIES; j++) {
      Body* b = &bodies[j];
      double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
      double d2 = dx * dx + dy * dy + dz * dz + 1e-3;  // softened
      double d = __builtin_sqrt(d2);
      double mag = dt / (d2 * d);
      double ma = a->mass * mag, mb = b->mass * mag;
      a->vx -= dx * mb;
      a->vy -= dy * mb;
      a->vz -= dz * mb;
      b->vx += dx * ma;
      b->vy += dy * ma;
      b->vz += dz * ma;
    }
  }
  for (int i = 0; i < BODIES; i++) {
    Body* b = &bodies[i];
    b->x += dt * b->vx;
    b->y += dt * b->vy;
    b->z += dt * b->vz;
  }
}

static double energy(void) {
  double e = 0;
  for (int i = 0; i < BODIES; i++) {
    const Body* a = &bodies[i];
    e += 0.5 * a->mass * (a->vx * a->vx + a->vy * a->vy + a->vz * a->vz);
    for (int j = i + 1; j < BODIES; j++) {
      const Body* b = &bodies[j];
      double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
      e -= a->mass * b->mass / __builtin_sqrt(dx * dx + dy * dy + dz * dz + 1e-3);
    }
  }
  return e;
}

int32_t run(int32_t n) {
  init();
  uint32_t h = mix64(0, double_bits(energy()));
  // n rounds of 100 steps; the energy after each round goes into the checksum.
  for (int32_t i = 0; i < n; i++) {
    for (int k = 0; k < 100; k++) step(0.001);
    h = mix64(h, double_bits(energy()));
  }
  for (int i = 0; i < BODIES; i++) {
    h = mix64(h, double_bits(bodies[i].x));
    h = mix64(h, double_bits(bodies[i].vy));
    h = mix64(h, double_bits(bodies[i].z));
  }
  return (int32_t)h;
}
