// lexer: a branchy, switch-driven state machine. A fixed-seed generator
// writes 64 KiB of C-like source text (identifiers, keywords, decimal, hex
// and floating-point numbers, strings with escapes, line and block comments,
// operators); each round tokenises all of it character by character with an
// explicit state machine, hashing token kinds, identifier text and number
// values, and then edits a few bytes so the next round's text differs.
// Measures unpredictable branches, switch dispatch and byte loads.
#include "common.h"

#define TEXT_SIZE 65536

static char text[TEXT_SIZE + 1];

enum {
  T_IDENT, T_KEYWORD, T_INT, T_FLOAT, T_STRING, T_COMMENT, T_OP, T_ERROR, T_KINDS
};

static const char* const kWords[] = {"if", "else", "while", "for", "return", "int", "char",
                                     "struct", "static", "const", "void", "break"};
static const char kOps[] = "+-*/%=<>!&|^~?:;,.()[]{}";

// --- The generator ------------------------------------------------------------

static uint32_t put(uint32_t pos, char ch) {
  if (pos < TEXT_SIZE) text[pos] = ch;
  return pos + 1;
}

static uint32_t put_str(uint32_t pos, const char* s) {
  while (*s) pos = put(pos, *s++);
  return pos;
}

static void generate(uint32_t seed) {
  Rng32 r;
  rng32_seed(&r, seed);
  uint32_t pos = 0;
  while (pos < TEXT_SIZE) {
    uint32_t kind = rng32_below(&r, 100);
    if (kind < 30) {  // identifier
      uint32_t len = 1 + rng32_below(&r, 10);
      pos = put(pos, (char)('a' + rng32_below(&r, 26)));
      for (uint32_t i = 1; i < len; i++) {
        uint32_t c = rng32_below(&r, 38);
        pos = put(pos, c < 26 ? (char)('a' + c) : c < 36 ? (char)('0' + c - 26) : '_');
      }
    } else if (kind < 40) {  // keyword
      pos = put_str(pos, kWords[rng32_below(&r, sizeof kWords / sizeof kWords[0])]);
    } else if (kind < 52) {  // decimal integer
      uint32_t len = 1 + rng32_below(&r, 6);
      for (uint32_t i = 0; i < len; i++) pos = put(pos, (char)('0' + rng32_below(&r, 10)));
    } else if (kind < 56) {  // hex integer
      pos = put_str(pos, "0x");
      uint32_t len = 1 + rng32_below(&r, 8);
      for (uint32_t i = 0; i < len; i++) pos = put(pos, "0123456789abcdefABCDEF"[rng32_below(&r, 22)]);
    } else if (kind < 61) {  // float, maybe with exponent
      pos = put(pos, (char)('0' + rng32_below(&r, 10)));
      pos = put(pos, '.');
      uint32_t len = rng32_below(&r, 5);
      for (uint32_t i = 0; i < len; i++) pos = put(pos, (char)('0' + rng32_below(&r, 10)));
      if (rng32_below(&r, 3) == 0) {
        pos = put(pos, 'e');
        if (rng32_below(&r, 2)) pos = put(pos, '-');
        pos = put(pos, (char)('0' + rng32_below(&r, 10)));
      }
    } else if (kind < 65) {  // string with escapes
      pos = put(pos, '"');
      uint32_t len = rng32_below(&r, 20);
      for (uint32_t i = 0; i < len; i++) {
        uint32_t c = rng32_below(&r, 40);
        if (c == 0) {
          pos = put(pos, '\\');
          pos = put(pos, "n\"t\\"[rng32_below(&r, 4)]);
        } else {
          char ch = (char)(' ' + rng32_below(&r, 95));
          pos = put(pos, ch == '"' || ch == '\\' ? '\'' : c < 20 ? (char)('a' + c) : ch);
        }
      }
      pos = put(pos, '"');
    } else if (kind < 67) {  // comment
      if (rng32_below(&r, 2)) {
        pos = put_str(pos, "// ");
        uint32_t len = rng32_below(&r, 40);
        for (uint32_t i = 0; i < len; i++) pos = put(pos, (char)('a' + rng32_below(&r, 26)));
        pos = put(pos, '\n');
      } else {
        pos = put_str(pos, "/* ");
        uint32_t len = rng32_below(&r, 60);
        for (uint32_t i = 0; i < len; i++) pos = put(pos, i % 7 == 6 ? '*' : (char)('a' + rng32_below(&r, 26)));
        pos = put_str(pos, " */");
      }
    } else if (kind < 90) {  // operator, sometimes doubled (==, &&, ++, <<)
      char op = kOps[rng32_below(&r, sizeof kOps - 1)];
      pos = put(pos, op);
      if (rng32_below(&r, 4) == 0) pos = put(pos, rng32_below(&r, 2) ? op : '=');
    } else if (kind < 99) {  // whitespace
      pos = put(pos, " \t\n "[rng32_below(&r, 4)]);
    } else {  // a stray character the lexer rejects
      pos = put(pos, "@$`#"[rng32_below(&r, 4)]);
    }
    if (rng32_below(&r, 3)) pos = put(pos, ' ');
  }
  text[TEXT_SIZE] = '\0';
}

// --- The lexer ----------------------------------------------------------------

enum State {
  S_START, S_IDENT, S_ZERO, S_DEC, S_HEX, S_FRAC, S_EXP_SIGN, S_EXP, S_STRING, S_ESCAPE,
  S_SLASH, S_LINE_COMMENT, S_BLOCK_COMMENT, S_BLOCK_STAR, S_OP
};

static int is_alpha(uint32_t c) { return (c | 32u) - 'a' < 26u || c == '_'; }
static int is_digit(uint32_t c) { return c - '0' < 10u; }
static int is_hex(uint32_t c) { return is_digit(c) || (c | 32u) - 'a' < 6u; }

static uint32_t keyword_hash(uint32_t h) { return (h * 0x2f1u) >> 23; }

typedef struct {
  uint32_t count[T_KINDS];
  uint32_t hash;
  uint64_t int_sum;
} Stats;

static void emit(Stats* st, int kind, uint32_t value) {
  st->count[kind]++;
  st->hash = (st->hash ^ (uint32_t)kind) * 0x01000193u ^ value;
}

static uint32_t kw_table[512];

static void lex(Stats* st) {
  enum State s = S_START;
  uint32_t h = 0;        // identifier hash or string hash
  uint64_t value = 0;    // number value
  uint32_t frac = 0;     // digits after the point
  uint32_t opchar = 0;
  for (uint32_t i = 0; i <= TEXT_SIZE; i++) {
    uint32_t c = (uint8_t)text[i];  // the final NUL ends every token
  again:
    switch (s) {
      case S_START:
        if (c == ' ' || c == '\t' || c == '\n' || c == 0) break;
        if (is_alpha(c)) { s = S_IDENT; h = c; break; }
        if (c == '0') { s = S_ZERO; value = 0; break; }
        if (is_digit(c)) { s = S_DEC; value = c - '0'; break; }
        if (c == '"') { s = S_STRING; h = 0; break; }
        if (c == '/') { s = S_SLASH; break; }
        for (const char* o = kOps; *o; o++)
          if ((uint32_t)*o == c) { s = S_OP; opchar = c; break; }
        if (s != S_OP) emit(st, T_ERROR, c);
        break;
      case S_IDENT:
        if (is_alpha(c) || is_digit(c)) { h = h * 33u + c; break; }
        emit(st, kw_table[keyword_hash(h) & 511] == h ? T_KEYWORD : T_IDENT, h);
        s = S_START;
        goto again;
      case S_ZERO:
        if (c == 'x' || c == 'X') { s = S_HEX; break; }
        s = S_DEC;
        goto again;
      case S_DEC:
        if (is_digit(c)) { value = value * 10 + (c - '0'); break; }
        if (c == '.') { s = S_FRAC; frac = 0; break; }
        st->int_sum += value;
        emit(st, T_INT, (uint32_t)value);
        s = S_START;
        goto again;
      case S_HEX:
        if (is_hex(c)) { value = value * 16 + (is_digit(c) ? c - '0' : (c | 32u) - 'a' + 10); break; }
        st->int_sum += value;
        emit(st, T_INT, (uint32_t)(value ^ (value >> 32)));
        s = S_START;
        goto again;
      case S_FRAC:
        if (is_digit(c)) { value = value * 10 + (c - '0'); frac++; break; }
        if (c == 'e' || c == 'E') { s = S_EXP_SIGN; break; }
        emit(st, T_FLOAT, (uint32_t)value * 16u + frac);
        s = S_START;
        goto again;
      case S_EXP_SIGN:
        if (c == '-' || c == '+') { frac += c == '-' ? 100 : 200; s = S_EXP; break; }
        s = S_EXP;
        goto again;
      case S_EXP:
        if (is_digit(c)) { frac = frac * 10 + (c - '0'); break; }
        emit(st, T_FLOAT, (uint32_t)value * 16u + frac);
        s = S_START;
        goto again;
      case S_STRING:
        if (c == '"') { emit(st, T_STRING, h); s = S_START; break; }
        if (c == '\\') { s = S_ESCAPE; break; }
        if (c == 0) { emit(st, T_ERROR, h); s = S_START; break; }
        h = rotl32(h, 5) ^ c;
        break;
      case S_ESCAPE:
        h = rotl32(h, 5) ^ (c + 0x100u);
        s = c == 0 ? S_START : S_STRING;
        break;
      case S_SLASH:
        if (c == '/') { s = S_LINE_COMMENT; h = 0; break; }
        if (c == '*') { s = S_BLOCK_COMMENT; h = 0; break; }
        emit(st, T_OP, '/');
        s = S_START;
        goto again;
      case S_LINE_COMMENT:
        if (c == '\n' || c == 0) { emit(st, T_COMMENT, h); s = S_START; break; }
        h++;
        break;
      case S_BLOCK_COMMENT:
        if (c == '*') s = S_BLOCK_STAR;
        else if (c == 0) { emit(st, T_ERROR, h); s = S_START; }
        else h++;
        break;
      case S_BLOCK_STAR:
        if (c == '/') { emit(st, T_COMMENT, h); s = S_START; break; }
        if (c == 0) { emit(st, T_ERROR, h); s = S_START; break; }
        if (c != '*') s = S_BLOCK_COMMENT;
        h += 2;
        break;
      case S_OP:
        // Two-character operators: a doubled character or one followed by '='.
        if (c == opchar && (c == '+' || c == '-' || c == '&' || c == '|' || c == '<' || c == '>' || c == '=')) {
          emit(st, T_OP, opchar * 2u);
          s = S_START;
          break;
        }
        if (c == '=' && opchar != '(' && opchar != ')' && opchar != ';' && opchar != ',') {
          emit(st, T_OP, opchar + 0x100u);
          s = S_START;
          break;
        }
        emit(st, T_OP, opchar);
        s = S_START;
        goto again;
    }
  }
}

int32_t run(int32_t n) {
  for (uint32_t i = 0; i < 512; i++) kw_table[i] = 0;
  for (uint32_t k = 0; k < sizeof kWords / sizeof kWords[0]; k++) {
    uint32_t h = 0;
    for (const char* p = kWords[k]; *p; p++) h = h ? h * 33u + (uint8_t)*p : (uint8_t)*p;
    kw_table[keyword_hash(h) & 511] = h;
  }
  generate(0x1E8E7u);

  uint32_t h = 0;
  Rng32 edits;
  rng32_seed(&edits, 0xED17u);
  for (int32_t round = 0; round < n; round++) {
    Stats st;
    for (int k = 0; k < T_KINDS; k++) st.count[k] = 0;
    st.hash = (uint32_t)round;
    st.int_sum = 0;
    lex(&st);
    for (int k = 0; k < T_KINDS; k++) h = mix32(h, st.count[k]);
    h = mix32(h, st.hash);
    h = mix64(h, st.int_sum);
    // Change a few characters for the next round.
    for (int k = 0; k < 4; k++) {
      uint32_t at = rng32_below(&edits, TEXT_SIZE);
      text[at] = " a1x.\"/*=+"[(st.hash >> (3 * k)) % 10];
    }
  }
  return (int32_t)h;
}
