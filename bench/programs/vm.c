// vm: a bytecode interpreter inside the benchmark, the classic branchy
// dispatch loop. A small stack machine with 64-bit values, locals, jumps and
// calls runs a program (assembled at start-up) that computes Collatz
// trajectory lengths and GCDs (Euclid, in a called subroutine) for a range of
// numbers. Measures indirect branches from a switch, a hot loop with loads and
// stores of the VM state, and i64 arithmetic.
#include "common.h"

enum Op {
  OP_HALT, OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_MUL, OP_AND, OP_XOR, OP_SHR,
  OP_REM, OP_EQ, OP_LTU, OP_DUP, OP_DROP, OP_JMP, OP_JZ, OP_JNZ, OP_CALL, OP_RET, OP_INC
};

#define MAX_CODE 256
static uint32_t code[MAX_CODE];  // op in the low 8 bits, a signed operand above
static uint32_t code_len;

static void emit(enum Op op, int32_t arg) { code[code_len++] = (uint32_t)op | ((uint32_t)arg << 8); }
static uint32_t here(void) { return code_len; }
static void patch(uint32_t at, uint32_t target) { code[at] = (code[at] & 0xffu) | (target << 8); }

// Locals: 0 = limit, 1 = i, 2 = x, 3 = steps, 4 = acc, 5 = seed, 6/7 = gcd args.
static void assemble(void) {
  code_len = 0;
  // gcd subroutine at 0 is jumped over.
  uint32_t skip = here();
  emit(OP_JMP, 0);
  uint32_t gcd = here();
  // while (b != 0) { t = a % b; a = b; b = t; } push a
  uint32_t gcd_loop = here();
  emit(OP_LOAD, 7);
  uint32_t gcd_done = here();
  emit(OP_JZ, 0);
  emit(OP_LOAD, 6);
  emit(OP_LOAD, 7);
  emit(OP_REM, 0);
  emit(OP_LOAD, 7);
  emit(OP_STORE, 6);
  emit(OP_STORE, 7);
  emit(OP_JMP, (int32_t)gcd_loop);
  patch(gcd_done, here());
  emit(OP_LOAD, 6);
  emit(OP_RET, 0);
  patch(skip, here());

  // main: for (i = 0; i < limit; i++) { x = seed + i; steps = 0;
  //   while (x != 1) { x = x & 1 ? 3x + 1 : x >> 1; steps++; }
  //   acc = (acc * 31 + steps) ^ gcd(seed + i, acc & 0xffff | 1) }
  uint32_t outer = here();
  emit(OP_LOAD, 1);
  emit(OP_LOAD, 0);
  emit(OP_LTU, 0);
  uint32_t exit_jump = here();
  emit(OP_JZ, 0);
  emit(OP_LOAD, 5);
  emit(OP_LOAD, 1);
  emit(OP_ADD, 0);
  emit(OP_STORE, 2);
  emit(OP_PUSH, 0);
  emit(OP_STORE, 3);
  uint32_t inner = here();
  emit(OP_LOAD, 2);
  emit(OP_PUSH, 1);
  emit(OP_EQ, 0);
  uint32_t inner_exit = here();
  emit(OP_JNZ, 0);
  emit(OP_LOAD, 2);
  emit(OP_PUSH, 1);
  emit(OP_AND, 0);
  uint32_t even = here();
  emit(OP_JZ, 0);
  emit(OP_LOAD, 2);
  emit(OP_DUP, 0);
  emit(OP_ADD, 0);
  emit(OP_LOAD, 2);
  emit(OP_ADD, 0);
  emit(OP_INC, 0);
  uint32_t joined = here();
  emit(OP_JMP, 0);
  patch(even, here());
  emit(OP_LOAD, 2);
  emit(OP_PUSH, 1);
  emit(OP_SHR, 0);
  patch(joined, here());
  emit(OP_STORE, 2);
  emit(OP_LOAD, 3);
  emit(OP_INC, 0);
  emit(OP_STORE, 3);
  emit(OP_JMP, (int32_t)inner);
  patch(inner_exit, here());
  emit(OP_LOAD, 4);
  emit(OP_PUSH, 31);
  emit(OP_MUL, 0);
  emit(OP_LOAD, 3);
  emit(OP_ADD, 0);
  emit(OP_LOAD, 5);
  emit(OP_LOAD, 1);
  emit(OP_ADD, 0);
  emit(OP_STORE, 6);
  emit(OP_LOAD, 4);
  emit(OP_PUSH, 0xffff);
  emit(OP_AND, 0);
  emit(OP_PUSH, 1);
  emit(OP_ADD, 0);
  emit(OP_STORE, 7);
  emit(OP_CALL, (int32_t)gcd);
  emit(OP_XOR, 0);
  emit(OP_STORE, 4);
  emit(OP_LOAD, 1);
  emit(OP_INC, 0);
  emit(OP_STORE, 1);
  emit(OP_JMP, (int32_t)outer);
  patch(exit_jump, here());
  emit(OP_LOAD, 4);
  emit(OP_HALT, 0);
}

static uint64_t stack[64];
static uint32_t calls[16];

static uint64_t execute(uint64_t* locals) {
  uint32_t pc = 0, sp = 0, csp = 0;
  for (;;) {
    uint32_t insn = code[pc++];
    int32_t arg = (int32_t)insn >> 8;
    switch ((enum Op)(insn & 0xffu)) {
      case OP_HALT: return stack[sp - 1];
      case OP_PUSH: stack[sp++] = (uint64_t)(int64_t)arg; break;
      case OP_LOAD: stack[sp++] = locals[arg]; break;
      case OP_STORE: locals[arg] = stack[--sp]; break;
      case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
      case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
      case OP_MUL: sp--; stack[sp - 1] *= stack[sp]; break;
      case OP_AND: sp--; stack[sp - 1] &= stack[sp]; break;
      case OP_XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
      case OP_SHR: sp--; stack[sp - 1] >>= stack[sp] & 63; break;
      case OP_REM: sp--; stack[sp - 1] = stack[sp] ? stack[sp - 1] % stack[sp] : 0; break;
      case OP_EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
      case OP_LTU: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
      case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
      case OP_DROP: sp--; break;
      case OP_JMP: pc = (uint32_t)arg; break;
      case OP_JZ: if (stack[--sp] == 0) pc = (uint32_t)arg; break;
      case OP_JNZ: if (stack[--sp] != 0) pc = (uint32_t)arg; break;
      case OP_CALL: calls[csp++] = pc; pc = (uint32_t)arg; break;
      case OP_RET: pc = calls[--csp]; break;
      case OP_INC: stack[sp - 1]++; break;
      default: return 0xdeadull;
    }
  }
}

int32_t run(int32_t n) {
  assemble();
  uint32_t h = 0;
  uint64_t seed = 27;
  for (int32_t round = 0; round < n; round++) {
    uint64_t locals[8] = {200, 0, 0, 0, 0, seed, 0, 0};
    uint64_t result = execute(locals);
    h = mix64(h, result);
    seed = 1000 + (result % 1000000);
  }
  return (int32_t)h;
}
