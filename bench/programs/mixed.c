// mixed: a CoreMark-like blend, written for this suite. Each iteration runs
// four small kernels on fresh data and chains their results through a
// CRC-16 (CCITT, bit by bit):
//   - list:   a singly linked list in a static node pool: searches, reversal
//             and a merge sort by value, then by key;
//   - matrix: 16-bit integer matrices: add a constant, matrix-vector and
//             matrix-matrix products into 32-bit sums, bit-field extraction;
//   - state:  a character-driven state machine that classifies comma
//             separated tokens as integer, hex, decimal, scientific or
//             invalid;
//   - crc:    CRC-16 of every intermediate result.
// Measures a balanced mix of pointer chasing, small integer arithmetic,
// branches and short loops, like an embedded controller's day.
#include "common.h"

// --- CRC-16/CCITT ---------------------------------------------------------------

static uint16_t crc16_byte(uint16_t crc, uint8_t b) {
  crc ^= (uint16_t)(b << 8);
  for (int k = 0; k < 8; k++) crc = (uint16_t)(crc & 0x8000u ? ((uint32_t)crc << 1) ^ 0x1021u : (uint32_t)crc << 1);
  return crc;
}

static uint16_t crc16_u16(uint16_t crc, uint16_t v) {
  return crc16_byte(crc16_byte(crc, (uint8_t)v), (uint8_t)(v >> 8));
}

static uint16_t crc16_u32(uint16_t crc, uint32_t v) {
  return crc16_u16(crc16_u16(crc, (uint16_t)v), (uint16_t)(v >> 16));
}

// --- List -------------------------------------------------------------------------

#define NODES 128
#define NIL 0xffffu

typedef struct {
  uint16_t next;
  int16_t value;
  uint16_t key;
} ListNode;

static ListNode nodes[NODES];

static uint16_t list_build(Rng32* r) {
  uint16_t head = NIL;
  for (uint16_t i = 0; i < NODES; i++) {
    nodes[i].value = (int16_t)(rng32_next(r) & 0x0fff) - 0x0800;
    nodes[i].key = i;
    nodes[i].next = head;
    head = i;
  }
  return head;
}

static uint16_t list_find(uint16_t head, int16_t value) {
  uint16_t pos = 0;
  for (uint16_t p = head; p != NIL; p = nodes[p].next, pos++)
    if (nodes[p].value == value) return pos;
  return NIL;
}

static uint16_t list_reverse(uint16_t head) {
  uint16_t prev = NIL;
  while (head != NIL) {
    uint16_t next = nodes[head].next;
    nodes[head].next = prev;
    prev = head;
    head = next;
  }
  return prev;
}

static int list_less(uint16_t a, uint16_t b, int by_key) {
  return by_key ? nodes[a].key < nodes[b].key : nodes[a].value < nodes[b].value;
}

// Merge sort on the list itself (stable), by repeated merging of runs of
// doubling length.
static uint16_t list_sort(uint16_t head, int by_key) {
  for (uint32_t width = 1;; width *= 2) {
    uint16_t p = head, tail = NIL;
    uint32_t merges = 0;
    head = NIL;
    while (p != NIL) {
      merges++;
      uint16_t q = p;
      uint32_t psize = 0;
      for (uint32_t i = 0; i < width && q != NIL; i++) {
        psize++;
        q = nodes[q].next;
      }
      uint32_t qsize = width;
      while (psize > 0 || (qsize > 0 && q != NIL)) {
        uint16_t e;
        if (psize == 0) { e = q; q = nodes[q].next; qsize--; }
        else if (qsize == 0 || q == NIL || !list_less(q, p, by_key)) { e = p; p = nodes[p].next; psize--; }
        else { e = q; q = nodes[q].next; qsize--; }
        if (tail != NIL) nodes[tail].next = e; else head = e;
        tail = e;
      }
      p = q;
    }
    nodes[tail].next = NIL;
    if (merges <= 1) return head;
  }
}

static uint16_t bench_list(Rng32* r, uint16_t crc) {
  uint16_t head = list_build(r);
  for (int k = 0; k < 8; k++) {
    int16_t probe = k & 1 ? nodes[(k * 37) % NODES].value : (int16_t)(k * 100 - 400);
    crc = crc16_u16(crc, list_find(head, probe));
  }
  head = list_reverse(head);
  head = list_sort(head, 0);
  int32_t prev = -0x8000;
  uint16_t inversions = 0;
  for (uint16_t p = head; p != NIL; p = nodes[p].next) {
    inversions += nodes[p].value < prev;
    prev = nodes[p].value;
    crc = crc16_u16(crc, (uint16_t)nodes[p].value);
  }
  crc = crc16_u16(crc, inversions);
  head = list_sort(head, 1);
  uint16_t i = 0;
  for (uint16_t p = head; p != NIL; p = nodes[p].next, i++) crc = crc16_u16(crc, (uint16_t)(nodes[p].key ^ i));
  return crc;
}

// --- Matrix -------------------------------------------------------------------------

#define MN 16

static int16_t ma[MN][MN], mb[MN][MN];
static int32_t mc[MN][MN], mv[MN];

static uint16_t bench_matrix(Rng32* r, uint16_t crc) {
  for (int i = 0; i < MN; i++)
    for (int j = 0; j < MN; j++) {
      uint32_t x = rng32_next(r);
      ma[i][j] = (int16_t)((x & 0x3ff) - 0x200);
      mb[i][j] = (int16_t)(((x >> 10) & 0x3ff) - 0x200);
    }
  int16_t k = (int16_t)(rng32_next(r) & 0x7f);
  for (int i = 0; i < MN; i++)
    for (int j = 0; j < MN; j++) ma[i][j] = (int16_t)(ma[i][j] + k);
  // Matrix times vector (the first row of B).
  for (int i = 0; i < MN; i++) {
    int32_t s = 0;
    for (int j = 0; j < MN; j++) s += ma[i][j] * mb[0][j];
    mv[i] = s;
    crc = crc16_u32(crc, (uint32_t)s);
  }
  // Matrix times matrix.
  for (int i = 0; i < MN; i++)
    for (int j = 0; j < MN; j++) {
      int32_t s = 0;
      for (int t = 0; t < MN; t++) s += ma[i][t] * mb[t][j];
      mc[i][j] = s;
    }
  // Bit fields of the product: sums of bits 2..5 and a max.
  int32_t bits = 0, max = -0x7fffffff;
  for (int i = 0; i < MN; i++)
    for (int j = 0; j < MN; j++) {
      bits += (mc[i][j] >> 2) & 0xf;
      if (mc[i][j] > max) max = mc[i][j];
    }
  crc = crc16_u32(crc, (uint32_t)bits);
  return crc16_u32(crc, (uint32_t)max);
}

// --- State machine -----------------------------------------------------------------

#define INPUT_SIZE 512
static char input[INPUT_SIZE];

enum { ST_START, ST_INT, ST_ZERO, ST_HEX, ST_DEC, ST_EXP_SIGN, ST_EXP, ST_INVALID, ST_COUNT };

static void make_input(Rng32* r) {
  static const char* const kPieces[] = {"0", "12", "-7", "+345", "0x1f", "0XaB", "3.14", "-.5", "6.02e23",
                                        "1e-9", "2.e", "x1", "1.2.3", "--4", "0x", "7e+", "99", "5.5E5"};
  uint32_t pos = 0;
  while (pos < INPUT_SIZE - 12) {
    const char* p = kPieces[rng32_below(r, sizeof kPieces / sizeof kPieces[0])];
    while (*p) input[pos++] = *p++;
    input[pos++] = ',';
  }
  while (pos < INPUT_SIZE - 1) input[pos++] = ' ';
  input[INPUT_SIZE - 1] = '\0';
}

static uint32_t classify(const char* s, uint32_t counts[ST_COUNT]) {
  uint32_t transitions = 0;
  int state = ST_START;
  for (;; s++) {
    char c = *s;
    if (c == ',' || c == '\0') {
      counts[state]++;
      state = ST_START;
      if (c == '\0') return transitions;
      continue;
    }
    int next = state;
    switch (state) {
      case ST_START:
        if (c == '0') next = ST_ZERO;
        else if (c >= '1' && c <= '9') next = ST_INT;
        else if (c == '+' || c == '-') next = ST_INT;  // a sign; digits must follow
        else if (c == '.') next = ST_DEC;
        else if (c == ' ') next = ST_START;
        else next = ST_INVALID;
        break;
      case ST_ZERO:
        if (c == 'x' || c == 'X') next = ST_HEX;
        else if (c >= '0' && c <= '9') next = ST_INT;
        else if (c == '.') next = ST_DEC;
        else next = ST_INVALID;
        break;
      case ST_INT:
        if (c >= '0' && c <= '9') next = ST_INT;
        else if (c == '.') next = ST_DEC;
        else if (c == 'e' || c == 'E') next = ST_EXP_SIGN;
        else next = ST_INVALID;
        break;
      case ST_HEX:
        if ((c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'f')) next = ST_HEX;
        else next = ST_INVALID;
        break;
      case ST_DEC:
        if (c >= '0' && c <= '9') next = ST_DEC;
        else if (c == 'e' || c == 'E') next = ST_EXP_SIGN;
        else next = ST_INVALID;
        break;
      case ST_EXP_SIGN:
        if (c == '+' || c == '-' || (c >= '0' && c <= '9')) next = ST_EXP;
        else next = ST_INVALID;
        break;
      case ST_EXP:
        next = c >= '0' && c <= '9' ? ST_EXP : ST_INVALID;
        break;
      default:
        break;
    }
    transitions += next != state;
    state = next;
  }
}

static uint16_t bench_state(Rng32* r, uint16_t crc) {
  make_input(r);
  uint32_t counts[ST_COUNT] = {0};
  uint32_t transitions = classify(input, counts);
  // Corrupt every 7th character and scan again.
  for (int i = (int)rng32_below(r, 7); i < INPUT_SIZE - 1; i += 7)
    if (input[i] != ',') input[i] = (char)(input[i] ^ 1);
  transitions += classify(input, counts) << 12;
  for (int s = 0; s < ST_COUNT; s++) crc = crc16_u32(crc, counts[s]);
  return crc16_u32(crc, transitions);
}

// --- Driver ---------------------------------------------------------------------------

int32_t run(int32_t n) {
  Rng32 r;
  rng32_seed(&r, 0x66u);
  uint16_t crc = 0;
  uint32_t h = 0;
  for (int32_t i = 0; i < n; i++) {
    crc = bench_list(&r, crc);
    crc = bench_matrix(&r, crc);
    crc = bench_state(&r, crc);
    h = mix32(h, crc);
    rng32_seed(&r, r.s ^ crc);
  }
  return (int32_t)h;
}
