// Loaded and run by aot_image_x86_64_test.cc, compiled with -fPIC and with
// -fno-pic -mcmodel=small. Each function exercises one kind of relocation:
// calls and tail calls to external functions (PLT32, through stubs when far),
// constants in .rodata, a switch's jump table, string literals, arrays in
// .data and .bss, pointers to local functions, and (PIC only) an external
// variable reached through the GOT.

extern long rivet_test_far_add(long a, long b);
extern long rivet_test_far_mul(long a, long b);
#ifdef __PIC__
extern long rivet_test_counter;
#endif

static const int kPrimes[10] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29};
int data_table[8] = {1, 2, 3, 4, 5, 6, 7, 8};
static long bss_accumulators[16];

long call_far(long a, long b) { return rivet_test_far_add(a, b) * 2; }

long tail_call_far(long a, long b) { return rivet_test_far_mul(a, b); }

int prime(int i) { return kPrimes[i % 10]; }

// Distinct computations per case so that clang builds a jump table rather
// than a lookup table of constants.
int switch_table(int selector, int x) {
  switch (selector) {
    case 0: return x * 3;
    case 1: return x + 7;
    case 2: return x ^ 0x55;
    case 3: return x - 100;
    case 4: return x << 2;
    case 5: return x / 3;
    case 6: return ~x;
    case 7: return x * x;
    default: return -1;
  }
}

const char* greeting(int which) { return which ? "hello, rivet" : "goodbye"; }

int data_sum(void) {
  int sum = 0;
  for (int i = 0; i < 8; ++i) sum += data_table[i];
  data_table[0] += 1;
  return sum;
}

long bss_add(int slot, long value) {
  bss_accumulators[slot & 15] += value;
  return bss_accumulators[slot & 15];
}

static int square(int x) { return x * x; }
static int cube(int x) { return x * x * x; }
typedef int (*unary_fn)(int);
static unary_fn volatile kUnary[2] = {square, cube};

int apply_local(int which, int x) { return kUnary[which & 1](x); }

#ifdef __PIC__
long bump_counter(long delta) {
  rivet_test_counter += delta;
  return rivet_test_counter;
}
#endif
