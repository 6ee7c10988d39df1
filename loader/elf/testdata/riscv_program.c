// Relocated for RISC-V (rv32 and rv64, several -march/-mabi/-mcmodel/-mrelax
// and -O combinations) by aot_image_riscv_test.cc and compared with ld.lld's
// output. Calls to external and local functions (CALL_PLT), absolute or
// PC-relative data addressing depending on the code model (HI20/LO12 or
// PCREL_HI20/PCREL_LO12), the GOT with -fPIC (GOT_HI20), jump tables,
// strings, .data, .bss, small data, function pointers, floating point (soft
// float pulls in compiler helpers on the integer-only targets), and
// .eh_frame.

extern long rivet_ext_call(long a, long b);
extern long rivet_ext_var;
extern double rivet_ext_double(double x);

static const int kPrimes[10] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29};
int data_table[8] = {1, 2, 3, 4, 5, 6, 7, 8};
long small_data = 5;
static long bss_accumulators[16];
static int small_bss;

long call_external(long a, long b) { return rivet_ext_call(a, b) * 2 + rivet_ext_var; }

long tail_external(long a, long b) { return rivet_ext_call(b, a); }

void store_external(long value) { rivet_ext_var = value; }

int prime(int i) { return kPrimes[i % 10]; }

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
  small_bss += sum;
  return sum + (int)small_data;
}

long bss_add(int slot, long value) {
  bss_accumulators[slot & 15] += value;
  return bss_accumulators[slot & 15];
}

static int square(int x) { return x * x; }
static int cube(int x) { return x * x * x; }
typedef int (*unary_fn)(int);
static unary_fn volatile kUnary[2] = {square, cube};

int apply_local(int which, int x) { return kUnary[which & 1](x) + prime(which); }

double mix(double x, long long y, float z) {
  return rivet_ext_double(x * 1.5 + (double)(y / 7) - (double)z);
}

long long divide(long long a, long long b) { return a / b + a % b; }
