// State machine test program: a tokenizer for a tiny expression language
// whose dense switch over states compiles to br_table, whose actions are
// called through a table of function pointers (call_indirect through an
// element segment), with mutable state in memory, constant tables in data
// segments and a small evaluator of the token stream.
#include "libc_min.h"

enum State { kStart, kNumber, kIdent, kOperator, kSpace, kComment, kError, kNumStates };
enum CharClass { kDigit, kAlpha, kOp, kBlank, kHash, kNewline, kOther, kNumClasses };

typedef struct {
  int kind;   // the state that produced it
  int start;  // offset in the input
  int length;
  long long value;
} Token;

Token tokens[64];
int num_tokens;
int counts[kNumStates];
long long stack[32];

static const unsigned char kTransitions[kNumStates][kNumClasses] = {
    /* start    */ {kNumber, kIdent, kOperator, kSpace, kComment, kSpace, kError},
    /* number   */ {kNumber, kError, kOperator, kSpace, kComment, kSpace, kError},
    /* ident    */ {kIdent, kIdent, kOperator, kSpace, kComment, kSpace, kError},
    /* operator */ {kNumber, kIdent, kOperator, kSpace, kComment, kSpace, kError},
    /* space    */ {kNumber, kIdent, kOperator, kSpace, kComment, kSpace, kError},
    /* comment  */ {kComment, kComment, kComment, kComment, kComment, kStart, kComment},
    /* error    */ {kError, kError, kError, kError, kError, kError, kError},
};

static const char kSample[] =
    "x1 = 12 + 30 * 4 # the answer, more or less\n"
    "y = x1 - 7 / 2\n"
    "z = 1 2 3 + + * 99\n";

__attribute__((noinline)) static int classify(unsigned char c) {
  switch (c) {
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return kDigit;
    case '+': case '-': case '*': case '/': case '=':
      return kOp;
    case ' ': case '\t':
      return kBlank;
    case '#':
      return kHash;
    case '\n':
      return kNewline;
  }
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') return kAlpha;
  return kOther;
}

static void emit(int kind, int start, int length, long long value) {
  if (num_tokens < 64) {
    Token* t = &tokens[num_tokens++];
    t->kind = kind;
    t->start = start;
    t->length = length;
    t->value = value;
  }
}

typedef void (*action_fn)(const char* text, int start, int end);

static void on_number(const char* text, int start, int end) {
  long long v = 0;
  for (int i = start; i < end; ++i) v = v * 10 + (text[i] - '0');
  emit(kNumber, start, end - start, v);
}
static void on_ident(const char* text, int start, int end) {
  long long h = 0;
  for (int i = start; i < end; ++i) h = h * 131 + text[i];
  emit(kIdent, start, end - start, h);
}
static void on_operator(const char* text, int start, int end) {
  for (int i = start; i < end; ++i) emit(kOperator, i, 1, text[i]);
}
static void on_skip(const char* text, int start, int end) {
  (void)text; (void)start; (void)end;
}
static void on_error(const char* text, int start, int end) {
  emit(kError, start, end - start, text[start]);
}

static action_fn const kActions[kNumStates] = {
    on_skip, on_number, on_ident, on_operator, on_skip, on_skip, on_error,
};

int tokenize(const char* text, int n) {
  num_tokens = 0;
  for (int s = 0; s < kNumStates; ++s) counts[s] = 0;
  int state = kStart, start = 0;
  for (int i = 0; i <= n; ++i) {
    int next = i < n ? kTransitions[state][classify((unsigned char)text[i])] : kStart;
    // Operators are single characters: each one ends its token.
    if (next != state || state == kOperator) {
      kActions[state](text, start, i);
      counts[state]++;
      state = next;
      start = i;
    }
  }
  return num_tokens;
}

// Evaluates the tokens as reverse Polish notation, ignoring identifiers.
long long evaluate(void) {
  int sp = 0;
  for (int i = 0; i < num_tokens; ++i) {
    const Token* t = &tokens[i];
    switch (t->kind) {
      case kNumber:
        if (sp < 32) stack[sp++] = t->value;
        break;
      case kOperator: {
        if (sp < 2) break;
        long long b = stack[--sp], a = stack[--sp];
        long long r;
        switch ((char)t->value) {
          case '+': r = a + b; break;
          case '-': r = a - b; break;
          case '*': r = a * b; break;
          case '/': r = b ? a / b : 0; break;
          default: r = a; break;
        }
        stack[sp++] = r;
        break;
      }
      default:
        break;
    }
  }
  return sp ? stack[sp - 1] : 0;
}

long long run_sample(void) {
  tokenize(kSample, sizeof(kSample) - 1);
  return evaluate() * 1000 + counts[kNumber] * 10 + counts[kError];
}
