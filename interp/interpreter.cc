// The dispatch loop.
//
// Direct threading with computed goto: each handler is a label in Execute,
// and ends by jumping through the next code word. The hot state (code
// pointer, operand stack pointer, frame base, and the current memory's base
// and size) lives in locals that the compiler keeps in registers. GCC, which
// builds rivet for every target here, has no guaranteed tail calls, so
// wasm3's function-per-operation chaining is not available; labels give the
// same one-indirect-jump-per-operation dispatch.
//
// Operations with a fixed signature are not written here: each is a
// function in scalar_ops.h or simd.h named after its opcode, and the
// templates below derive its stack effect from its C++ signature.
#include "interp/interpreter.h"

#include <array>
#include <atomic>
#include <bit>
#include <cstring>
#include <memory>
#include <new>
#include <tuple>
#include <utility>

#include "interp/code.h"
#include "interp/scalar_ops.h"
#include "interp/simd.h"
#include "runtime/object_ops.h"

static_assert(std::endian::native == std::endian::little,
              "wasm memory and rivet's slots assume a little-endian host");

namespace rivet::interp {
namespace {

// --- Slots <-> C++ values ----------------------------------------------------

template <typename T>
constexpr size_t kSlots = sizeof(T) == 16 ? 2 : 1;

template <typename T>
inline T Read(const Slot* p) {
  T v;
  if constexpr (sizeof(T) == 4) {
    uint32_t low = static_cast<uint32_t>(*p);
    std::memcpy(&v, &low, 4);
  } else {
    std::memcpy(&v, p, sizeof(T));
  }
  return v;
}

template <typename T>
inline void Write(Slot* p, T v) {
  if constexpr (sizeof(T) == 4) {
    uint32_t low;
    std::memcpy(&low, &v, 4);
    *p = low;
  } else {
    std::memcpy(p, &v, sizeof(T));
  }
}

template <typename T>
struct IsOrTrap : std::false_type {};
template <typename T>
struct IsOrTrap<OrTrap<T>> : std::true_type {};

template <typename F>
struct Signature;
template <typename R, typename... A>
struct Signature<R (*)(A...)> {
  using Result = R;
  using Params = std::tuple<A...>;
  static constexpr size_t kArity = sizeof...(A);
};

// Writes an operation's result to `dst`, or records its trap and returns
// false.
template <typename R>
inline bool StoreResult(R result, Slot* dst, TrapKind* trap) {
  if constexpr (IsOrTrap<R>::value) {
    if (!result.ok) {
      *trap = result.trap;
      return false;
    }
    Write(dst, result.value);
  } else {
    Write(dst, result);
  }
  return true;
}

// Runs pure operation F on frame slots: the code holds its dst slot (when
// it returns a value) and then one slot per stack parameter; `extra` (a lane
// index, shuffle lanes) follows as the remaining parameters. Returns false
// after a trap.
template <auto F, typename... Extra, size_t... I>
inline bool ApplyImpl(Slot* fp, const Word* ip, TrapKind* trap, std::index_sequence<I...>,
                      Extra... extra) {
  using Params = typename Signature<decltype(F)>::Params;
  return StoreResult(F(Read<std::tuple_element_t<I, Params>>(fp + ip[1 + I].u64)..., extra...),
                     fp + ip[0].u64, trap);
}

// The K form: F's last parameter is the constant in the word after the
// sources.
template <auto F, size_t... I>
inline bool ApplyConstantImpl(Slot* fp, const Word* ip, TrapKind* trap,
                              std::index_sequence<I...>) {
  using Params = typename Signature<decltype(F)>::Params;
  constexpr size_t kLast = Signature<decltype(F)>::kArity - 1;
  return StoreResult(F(Read<std::tuple_element_t<I, Params>>(fp + ip[1 + I].u64)...,
                       Read<std::tuple_element_t<kLast, Params>>(&ip[1 + kLast].u64)),
                     fp + ip[0].u64, trap);
}

template <auto F>
inline bool ApplyConstant(Slot* fp, const Word* ip, TrapKind* trap) {
  return ApplyConstantImpl<F>(fp, ip, trap,
                              std::make_index_sequence<Signature<decltype(F)>::kArity - 1>{});
}

// A comparison's result, for the fused branches: its operands are slots,
// or slots then a constant (`kConstant`), starting at ip[0].
template <auto F, bool kConstant, size_t... I>
inline uint32_t CompareImpl(const Slot* fp, const Word* ip, std::index_sequence<I...>) {
  using Params = typename Signature<decltype(F)>::Params;
  constexpr size_t kLast = Signature<decltype(F)>::kArity - 1;
  if constexpr (kConstant) {
    return F(Read<std::tuple_element_t<I, Params>>(fp + ip[I].u64)...,
             Read<std::tuple_element_t<kLast, Params>>(&ip[kLast].u64));
  } else {
    return F(Read<std::tuple_element_t<I, Params>>(fp + ip[I].u64)...,
             Read<std::tuple_element_t<kLast, Params>>(fp + ip[kLast].u64));
  }
}
template <auto F, bool kConstant>
inline uint32_t Compare(const Slot* fp, const Word* ip) {
  return CompareImpl<F, kConstant>(
      fp, ip, std::make_index_sequence<Signature<decltype(F)>::kArity - 1>{});
}

// A chain (see code.h): [dst][x][a][b] computes B(A(x, a), b), with a and
// b constants in the code.
template <auto A, auto B>
inline void Chain(Slot* fp, const Word* ip) {
  using TA = std::tuple_element_t<0, typename Signature<decltype(A)>::Params>;
  using TB = std::tuple_element_t<1, typename Signature<decltype(B)>::Params>;
  Write(fp + ip[0].u64, B(A(Read<TA>(fp + ip[1].u64), Read<TA>(&ip[2].u64)), Read<TB>(&ip[3].u64)));
}

// How many of F's parameters come from the frame, given `num_extra` more.
template <auto F, size_t kNumExtra = 0>
constexpr size_t kStackParams = Signature<decltype(F)>::kArity - kNumExtra;

template <auto F, typename... Extra>
inline bool Apply(Slot* fp, const Word* ip, TrapKind* trap, Extra... extra) {
  constexpr size_t kStack = kStackParams<F, sizeof...(Extra)>;
  return ApplyImpl<F>(fp, ip, trap, std::make_index_sequence<kStack>{}, extra...);
}

// Loads of `Stored` extended to `Result` (signed types sign-extend).
template <typename Result, typename Stored>
inline Result Extend(Stored v) {
  if constexpr (std::is_signed_v<Stored>) {
    return static_cast<Result>(static_cast<std::make_signed_t<Result>>(v));
  } else {
    return static_cast<Result>(v);
  }
}

// Values carried by branches, returns and tail calls only ever move down
// the frame (to a label's base, to the frame base), and usually one or two
// of them: a forward loop, not a call to memmove.
inline void MoveDown(Slot* dst, const Slot* src, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = src[i];
}

std::string FunctionDisplayName(const FuncInstance* f) {
  return f->instance ? f->instance->module->FunctionName(f->index) : "host function";
}

// --- Execution stacks -------------------------------------------------------------

struct Frame {
  const Word* return_ip;
  Slot* fp;
  Memory* memory;          // the caller's memory 0
  FuncInstance* function;  // the caller, for backtraces
};

struct ExecStack {
  std::unique_ptr<Slot[]> slots;
  Slot* end = nullptr;
  Slot* top = nullptr;  // first free slot, for calls that nest through the host
  // Call records, one per active wasm call: a fixed array, so that a call
  // pushes with one bounds check (the depth limit) and no reallocation.
  std::unique_ptr<Frame[]> frames;
  size_t frame_capacity = 0;
  size_t depth = 0;
};

struct Outcome {
  bool ok = true;
  Trap trap;
};

// Calls host function `callee` with its arguments at `args` and writes its
// results there. Kept out of line: the dispatch loop must hold no objects
// with destructors, because a computed goto out of a scope runs none.
//
// The running call's fuel goes back to `limits` for the host function's
// duration, so that calls it makes back into wasm spend the same budget.
[[gnu::noinline]] std::optional<Trap> CallHost(ExecStack* st, FuncInstance* callee, Slot* args,
                                               ExecutionLimits* limits, int64_t& fuel) {
  std::vector<Slot> results(callee->result_slots);
  struct Restore {
    ExecStack* st;
    Slot* top;
    ExecutionLimits* limits;
    int64_t& fuel;
    ~Restore() {
      st->top = top;
      fuel = limits->fuel;
    }
  } restore{st, st->top, limits, fuel};
  limits->fuel = fuel;
  st->top = args + std::max(callee->param_slots, callee->result_slots);
  std::optional<Trap> trap =
      callee->host(std::span<const Slot>(args, callee->param_slots), results);
  if (!trap) std::copy(results.begin(), results.end(), args);
  return trap;
}

// Runs wasm function `entry` whose arguments are at `fp`; leaves its
// results at `fp`. With `table_out`, only reports the handler table.
Outcome Execute(ExecStack* st, FuncInstance* entry, Slot* fp, ExecutionLimits* limits,
                std::atomic<bool>* interrupt, const void* const** table_out) {
  static const void* const kTable[] = {
#define RIVET_LABEL_ADDRESS(name, ...) &&L_##name,
#define RIVET_LABEL_ADDRESS_CONSTANT(name, ...) &&L_##name##K,
#define RIVET_LABEL_ADDRESS_INDEXED(name, ...) \
  &&L_##name##X, &&L_##name##XK, &&L_##name##XW, &&L_##name##XKW, &&L_##name##V,
#define RIVET_LABEL_ADDRESS_SELECT(name, ...) &&L_##name##Select, &&L_##name##KSelect,
#define RIVET_LABEL_ADDRESS_MUL_ADD(name, ...) &&L_##name##MulAdd, &&L_##name##AddMul,
#define RIVET_LABEL_ADDRESS_CHAIN(A, B) &&L_##A##K##B##K,
#define RIVET_CHAIN_ROW_RIVET_LABEL_ADDRESS_CHAIN(A) \
  RIVET_FOREACH_CHAIN_SECOND(RIVET_LABEL_ADDRESS_CHAIN, A)
#define RIVET_CHAIN64_ROW_RIVET_LABEL_ADDRESS_CHAIN(A) \
  RIVET_FOREACH_CHAIN64_SECOND(RIVET_LABEL_ADDRESS_CHAIN, A)
#define RIVET_LABEL_ADDRESS_LATCH(name) \
  &&L_Add##name##BrIf, &&L_AddK##name##BrIf, &&L_Add##name##KBrIf, &&L_AddK##name##KBrIf,
#define RIVET_LABEL_ADDRESS_BRANCH(name, ...) \
  &&L_##name##BrIf, &&L_##name##BrUnless, &&L_##name##KBrIf, &&L_##name##KBrUnless,
      RIVET_FOREACH_INTERNAL_OP(RIVET_LABEL_ADDRESS)
      RIVET_FOREACH_LOAD_STORE_OPCODE(RIVET_LABEL_ADDRESS)
      RIVET_FOREACH_NUMERIC_OPCODE(RIVET_LABEL_ADDRESS)
      RIVET_FOREACH_SIMD_MEMORY_OPCODE(RIVET_LABEL_ADDRESS)
      RIVET_FOREACH_SIMD_LANE_OPCODE(RIVET_LABEL_ADDRESS)
      RIVET_FOREACH_SIMD_NUMERIC_OPCODE(RIVET_LABEL_ADDRESS)
      RIVET_FOREACH_ATOMIC_OPCODE(RIVET_LABEL_ADDRESS)
      RIVET_FOREACH_NUMERIC_OPCODE(RIVET_LABEL_ADDRESS_CONSTANT)
      RIVET_FOREACH_COMPARE_OPCODE(RIVET_LABEL_ADDRESS_BRANCH)
      RIVET_FOREACH_INDEXED_OPCODE(RIVET_LABEL_ADDRESS_INDEXED)
      RIVET_FOREACH_LATCH_COMPARE(RIVET_LABEL_ADDRESS_LATCH)
      RIVET_FOREACH_CHAIN(RIVET_LABEL_ADDRESS_CHAIN)
      RIVET_FOREACH_COMPARE_OPCODE(RIVET_LABEL_ADDRESS_SELECT)
      RIVET_FOREACH_MUL_ADD(RIVET_LABEL_ADDRESS_MUL_ADD)
#undef RIVET_LABEL_ADDRESS
  };
  static_assert(std::size(kTable) == size_t(Handler::kCount));
  if (table_out) {
    *table_out = kTable;
    return {};
  }

  Outcome outcome;
  TrapKind trap_kind = TrapKind::kUnreachable;
  FuncInstance* current = nullptr;  // the function running, for backtraces
  int64_t fuel = limits->fuel;      // written back when the call ends
  const size_t base_depth = st->depth;
  // max_call_depth counts every wasm frame on this thread, the entry's and
  // those of outer calls that came back in through host functions.
  if (base_depth >= std::min<size_t>(st->frame_capacity, limits->max_call_depth)) {
    return Outcome{false, Trap{TrapKind::kCallStackExhausted,
                               std::string(TrapMessage(TrapKind::kCallStackExhausted))}};
  }
  Frame* const frame_limit =
      st->frames.get() + std::min<size_t>(st->frame_capacity, limits->max_call_depth);
  Frame* frame = st->frames.get() + base_depth;  // the next free record
  FuncInstance* callee = entry;
  const Word* ip = nullptr;
  Memory* memory = nullptr;    // the current function's memory 0
  Memory* accessed = nullptr;  // the memory accesses use: memory 0 or UseMemory's
  uint8_t* mem_base = nullptr;
  uint64_t mem_size = 0;
  bool tail_call = false;  // call_indirect or its tail-call form
  bool wide_wait = false;  // memory.atomic.wait32 or wait64
  uint32_t arg_base = 0;

#define NEXT() goto*(ip++)->handler
#define TRAP(kind)              \
  do {                          \
    trap_kind = TrapKind::kind; \
    goto trap;                  \
  } while (0)
#define LOAD_MEMORY(m)                    \
  do {                                    \
    Memory* m_ = (m);                     \
    accessed = m_;                        \
    mem_base = m_ ? m_->data() : nullptr; \
    mem_size = m_ ? m_->size() : 0;       \
  } while (0)
#define SLOT(i) fp[ip[i].u64]
#define U32(i) static_cast<uint32_t>(SLOT(i))

  // The entry is called like any other function, from a frame that
  // returns out of the loop.
  *frame++ = Frame{nullptr, fp, nullptr, nullptr};
  goto enter;

  // --- Calls ----------------------------------------------------------------
do_call: {
  Slot* args = fp + arg_base;
  if (callee->host) {
    st->depth = frame - st->frames.get();
    if (std::optional<Trap> host_trap = CallHost(st, callee, args, limits, fuel)) {
      outcome.ok = false;
      outcome.trap = std::move(*host_trap);
      goto unwind;
    }
    LOAD_MEMORY(memory);
    NEXT();
  }
  if (frame == frame_limit) TRAP(kCallStackExhausted);
  *frame++ = Frame{ip, fp, memory, current};
  fp = args;
  goto enter_wasm;
}
enter: {
  if (callee->host) {
    // Only the entry can get here with a host function.
    st->depth = frame - st->frames.get();
    if (std::optional<Trap> host_trap = CallHost(st, callee, fp, limits, fuel)) {
      outcome.ok = false;
      outcome.trap = std::move(*host_trap);
      goto unwind;
    }
    return outcome;
  }
}
enter_wasm: {
  current = callee;
  if (interrupt && interrupt->load(std::memory_order_relaxed)) TRAP(kInterrupted);
  if (fuel >= 0) {
    if (fuel == 0) TRAP(kOutOfFuel);
    --fuel;
  }
  const CompiledFunction* fn = callee->code;
  if (fp + fn->frame_slots > st->end) TRAP(kCallStackExhausted);
  // Most functions have few locals: a loop beats a call to memset.
  for (Slot *local = fp + fn->param_slots, *end = local + fn->local_slots; local < end; ++local) {
    *local = 0;
  }
  memory = callee->memory;
  LOAD_MEMORY(memory);
  ip = fn->code.data();
  NEXT();
}

L_Call:
  callee = static_cast<FuncInstance*>(ip[0].ptr);
  arg_base = static_cast<uint32_t>(ip[1].u64);
  ip += 2;
  goto do_call;

L_CallIndirect:
  tail_call = false;
  goto do_call_indirect;
L_ReturnCallIndirect:
  tail_call = true;
do_call_indirect: {
  Table* table = static_cast<Table*>(ip[0].ptr);
  const FuncType* type = static_cast<const FuncType*>(ip[1].ptr);
  uint32_t index = U32(2);
  arg_base = static_cast<uint32_t>(ip[3].u64);
  ip += 4;
  if (index >= table->elements.size()) TRAP(kUndefinedElement);
  Ref ref = table->elements[index];
  if (!ref) TRAP(kUninitializedElement);
  callee = reinterpret_cast<FuncInstance*>(ref);
  if (!(callee->type == *type)) TRAP(kIndirectCallTypeMismatch);
  if (!tail_call) goto do_call;
  goto do_tail_call;
}

L_ReturnCall:
  callee = static_cast<FuncInstance*>(ip[0].ptr);
  arg_base = static_cast<uint32_t>(ip[1].u64);
  ip += 2;
do_tail_call: {
  // Replace the current frame: move the arguments down to the frame base.
  MoveDown(fp, fp + arg_base, callee->param_slots);
  if (callee->host) {
    st->depth = frame - st->frames.get();
    if (std::optional<Trap> host_trap = CallHost(st, callee, fp, limits, fuel)) {
      outcome.ok = false;
      outcome.trap = std::move(*host_trap);
      goto unwind;
    }
    goto do_return;
  }
  goto enter;
}

L_Return: {
  size_t n = ip[0].u64;
  MoveDown(fp, fp + ip[1].u64, n);
}
do_return: {
  const Frame& caller = *--frame;
  if (!caller.return_ip) {  // back to the entry's caller
    limits->fuel = fuel;
    return outcome;
  }
  ip = caller.return_ip;
  fp = caller.fp;
  memory = caller.memory;
  current = caller.function;
  LOAD_MEMORY(memory);
  NEXT();
}

  // --- Control ----------------------------------------------------------------
L_Trap:
  trap_kind = static_cast<TrapKind>(ip[0].u64);
  goto trap;

L_Check:
  if (interrupt && interrupt->load(std::memory_order_relaxed)) TRAP(kInterrupted);
  if (fuel >= 0) {
    if (fuel == 0) TRAP(kOutOfFuel);
    --fuel;
  }
  NEXT();

L_Br:
  ip = ip[0].target;
  NEXT();

L_BrMove:
  MoveDown(fp + ip[2].u64, fp + ip[1].u64, ip[0].u64);
  ip = ip[3].target;
  NEXT();

L_BrIfNz:
  ip = U32(0) ? ip[1].target : ip + 2;
  NEXT();

L_BrIfNzMove:
  if (U32(0)) {
    MoveDown(fp + ip[3].u64, fp + ip[2].u64, ip[1].u64);
    ip = ip[4].target;
  } else {
    ip += 5;
  }
  NEXT();

L_BrIfZ:
  ip = U32(0) ? ip + 2 : ip[1].target;
  NEXT();

L_BrTable: {
  uint32_t index = U32(0);
  uint64_t count = ip[1].u64;
  const Word* entry_words = ip + 4 + 2 * std::min<uint64_t>(index, count);
  uint64_t to = entry_words[0].u64;
  if (to != ~0ull) MoveDown(fp + to, fp + ip[3].u64, ip[2].u64);
  ip = entry_words[1].target;
  NEXT();
}

  // --- Moves, parametric, variables ---------------------------------------------
L_Copy:
  SLOT(0) = SLOT(1);
  ip += 2;
  NEXT();
L_Copy128:
  fp[ip[0].u64] = fp[ip[1].u64];
  fp[ip[0].u64 + 1] = fp[ip[1].u64 + 1];
  ip += 2;
  NEXT();
L_Select:
  SLOT(0) = U32(3) ? SLOT(1) : SLOT(2);
  ip += 4;
  NEXT();
L_Select128: {
  uint64_t from = U32(3) ? ip[1].u64 : ip[2].u64;
  Slot low = fp[from], high = fp[from + 1];
  fp[ip[0].u64] = low;
  fp[ip[0].u64 + 1] = high;
  ip += 4;
  NEXT();
}
L_GlobalGet:
  SLOT(0) = static_cast<Global*>(ip[1].ptr)->value[0];
  ip += 2;
  NEXT();
L_GlobalSet:
  static_cast<Global*>(ip[1].ptr)->value[0] = SLOT(0);
  ip += 2;
  NEXT();
L_GlobalGet128: {
  Global* global = static_cast<Global*>(ip[1].ptr);
  fp[ip[0].u64] = global->value[0];
  fp[ip[0].u64 + 1] = global->value[1];
  ip += 2;
  NEXT();
}
L_GlobalSet128: {
  Global* global = static_cast<Global*>(ip[1].ptr);
  global->value[0] = fp[ip[0].u64];
  global->value[1] = fp[ip[0].u64 + 1];
  ip += 2;
  NEXT();
}
L_Const:
  SLOT(0) = ip[1].u64;
  ip += 2;
  NEXT();
L_Const128:
  fp[ip[0].u64] = ip[1].u64;
  fp[ip[0].u64 + 1] = ip[2].u64;
  ip += 3;
  NEXT();
L_RefIsNull:
  SLOT(0) = SLOT(1) == 0;
  ip += 2;
  NEXT();

  // --- Tables -------------------------------------------------------------------
L_TableGet: {
  Table* table = static_cast<Table*>(ip[2].ptr);
  uint32_t index = U32(1);
  if (index >= table->elements.size()) TRAP(kTableOutOfBounds);
  SLOT(0) = table->elements[index];
  ip += 3;
  NEXT();
}
L_TableSet: {
  Table* table = static_cast<Table*>(ip[2].ptr);
  uint32_t index = U32(0);
  if (index >= table->elements.size()) TRAP(kTableOutOfBounds);
  table->elements[index] = static_cast<Ref>(SLOT(1));
  ip += 3;
  NEXT();
}
L_TableSize:
  SLOT(0) = static_cast<Table*>(ip[1].ptr)->elements.size();
  ip += 2;
  NEXT();
L_TableGrow: {
  Table* table = static_cast<Table*>(ip[3].ptr);
  SLOT(0) = static_cast<uint32_t>(table->Grow(U32(2), static_cast<Ref>(SLOT(1))));
  ip += 4;
  NEXT();
}
L_TableFill: {
  Table* table = static_cast<Table*>(ip[3].ptr);
  if (!TableFill(*table, U32(0), static_cast<Ref>(SLOT(1)), U32(2))) TRAP(kTableOutOfBounds);
  ip += 4;
  NEXT();
}
L_TableInit: {
  Table* table = static_cast<Table*>(ip[3].ptr);
  const std::vector<Ref>* segment = static_cast<const std::vector<Ref>*>(ip[4].ptr);
  if (!TableInit(*table, *segment, U32(0), U32(1), U32(2))) TRAP(kTableOutOfBounds);
  ip += 5;
  NEXT();
}
L_TableCopy: {
  Table* dst_table = static_cast<Table*>(ip[3].ptr);
  Table* src_table = static_cast<Table*>(ip[4].ptr);
  if (!TableCopy(*dst_table, *src_table, U32(0), U32(1), U32(2))) TRAP(kTableOutOfBounds);
  ip += 5;
  NEXT();
}
L_ElemDrop:
  static_cast<std::vector<Ref>*>(ip[0].ptr)->clear();
  ip += 1;
  NEXT();

  // --- Memory management --------------------------------------------------------
L_MemorySize:
  SLOT(0) = static_cast<Memory*>(ip[1].ptr)->pages();
  ip += 2;
  NEXT();
L_MemoryGrow: {
  Memory* target = static_cast<Memory*>(ip[2].ptr);
  SLOT(0) = static_cast<uint32_t>(target->Grow(U32(1)));
  LOAD_MEMORY(memory);
  ip += 3;
  NEXT();
}
L_MemoryInit: {
  Memory* target = static_cast<Memory*>(ip[3].ptr);
  const auto* data = static_cast<const std::span<const uint8_t>*>(ip[4].ptr);
  if (!MemoryInit(*target, *data, U32(0), U32(1), U32(2))) TRAP(kMemoryOutOfBounds);
  ip += 5;
  NEXT();
}
L_DataDrop:
  *static_cast<std::span<const uint8_t>*>(ip[0].ptr) = {};
  ip += 1;
  NEXT();
L_MemoryCopy: {
  Memory* dst_memory = static_cast<Memory*>(ip[3].ptr);
  Memory* src_memory = static_cast<Memory*>(ip[4].ptr);
  if (!MemoryCopy(*dst_memory, *src_memory, U32(0), U32(1), U32(2))) TRAP(kMemoryOutOfBounds);
  ip += 5;
  NEXT();
}
L_MemoryFill: {
  Memory* target = static_cast<Memory*>(ip[3].ptr);
  if (!MemoryFill(*target, U32(0), static_cast<uint8_t>(SLOT(1)), U32(2))) {
    TRAP(kMemoryOutOfBounds);
  }
  ip += 4;
  NEXT();
}
L_UseMemory:
  LOAD_MEMORY(static_cast<Memory*>(ip[0].ptr));
  ip += 1;
  NEXT();
L_RestoreMemory:
  LOAD_MEMORY(memory);
  NEXT();

  // --- Loads and stores -----------------------------------------------------------
  // The effective address is the 32-bit operand plus the 32-bit offset, in
  // 64 bits so that it cannot wrap.
#define EFFECTIVE_ADDRESS(address, offset, size)                      \
  uint64_t ea = uint64_t(static_cast<uint32_t>(address)) + (offset);  \
  if (ea + (size) > mem_size) TRAP(kMemoryOutOfBounds);               \
  uint8_t* at = mem_base + ea;

  // Plain: [dst, address, offset]; X: [dst, a, b, offset] with address
  // a + b; XK: [dst, a, constant, offset]; XW and XKW: the same with
  // [local] after the offset, which receives the address first.
#define NO_WRITE(address)
#define WRITE_LOCAL(word) [&](uint32_t address) { fp[ip[word].u64] = address; }
#define LOAD_FROM(label, address_expr, offset_word, Stored, Result, words, write) \
  label: {                                                                       \
    uint32_t address = (address_expr);                                           \
    write(address);                                                              \
    EFFECTIVE_ADDRESS(address, ip[offset_word].u64, sizeof(Stored));             \
    Stored v;                                                                    \
    std::memcpy(&v, at, sizeof(Stored));                                         \
    Write(fp + ip[0].u64, Extend<Result>(v));                                    \
    ip += words;                                                                 \
    NEXT();                                                                      \
  }
#define LOAD(Name, Stored, Result)                                                         \
  LOAD_FROM(L_##Name, U32(1), 2, Stored, Result, 3, NO_WRITE)                              \
  LOAD_FROM(L_##Name##X, U32(1) + U32(2), 3, Stored, Result, 4, NO_WRITE)                  \
  LOAD_FROM(L_##Name##XK, U32(1) + static_cast<uint32_t>(ip[2].u64), 3, Stored, Result, 4, \
            NO_WRITE)                                                                      \
  LOAD_FROM(L_##Name##XW, U32(1) + U32(2), 3, Stored, Result, 5, WRITE_LOCAL(4))           \
  LOAD_FROM(L_##Name##XKW, U32(1) + static_cast<uint32_t>(ip[2].u64), 3, Stored, Result, 5, \
            WRITE_LOCAL(4))                                                                \
  L_##Name##V : TRAP(kUnreachable); /* not emitted for loads */
  // Plain: [address, value, offset]; X: [a, b, value, offset]; XK: [a,
  // constant, value, offset]; XW and XKW: [local] after the offset.
#define STORE_TO(label, address_expr, value_word, Stored, Operand, words, write)  \
  STORE_FROM(label, address_expr, value_word, Stored, Operand, words, write,     \
             fp + ip[value_word].u64)
  // The value comes from `value_at`: a slot, or the V form's code word.
#define STORE_FROM(label, address_expr, value_word, Stored, Operand, words, write, value_at) \
  label: {                                                                       \
    uint32_t address = (address_expr);                                           \
    write(address);                                                              \
    EFFECTIVE_ADDRESS(address, ip[value_word + 1].u64, sizeof(Stored));          \
    Stored v = static_cast<Stored>(Read<Operand>(value_at));                     \
    std::memcpy(at, &v, sizeof(Stored));                                         \
    ip += words;                                                                 \
    NEXT();                                                                      \
  }
#define STORE(Name, Stored, Operand)                                                        \
  STORE_TO(L_##Name, U32(0), 1, Stored, Operand, 3, NO_WRITE)                               \
  STORE_TO(L_##Name##X, U32(0) + U32(1), 2, Stored, Operand, 4, NO_WRITE)                   \
  STORE_TO(L_##Name##XK, U32(0) + static_cast<uint32_t>(ip[1].u64), 2, Stored, Operand, 4,  \
           NO_WRITE)                                                                        \
  STORE_TO(L_##Name##XW, U32(0) + U32(1), 2, Stored, Operand, 5, WRITE_LOCAL(4))            \
  STORE_TO(L_##Name##XKW, U32(0) + static_cast<uint32_t>(ip[1].u64), 2, Stored, Operand, 5, \
           WRITE_LOCAL(4))                                                                  \
  STORE_FROM(L_##Name##V, U32(0), 1, Stored, Operand, 3, NO_WRITE, &ip[1].u64)
  LOAD(I32Load, uint32_t, uint32_t)
  LOAD(I64Load, uint64_t, uint64_t)
  LOAD(F32Load, uint32_t, uint32_t)
  LOAD(F64Load, uint64_t, uint64_t)
  LOAD(I32Load8S, int8_t, uint32_t)
  LOAD(I32Load8U, uint8_t, uint32_t)
  LOAD(I32Load16S, int16_t, uint32_t)
  LOAD(I32Load16U, uint16_t, uint32_t)
  LOAD(I64Load8S, int8_t, uint64_t)
  LOAD(I64Load8U, uint8_t, uint64_t)
  LOAD(I64Load16S, int16_t, uint64_t)
  LOAD(I64Load16U, uint16_t, uint64_t)
  LOAD(I64Load32S, int32_t, uint64_t)
  LOAD(I64Load32U, uint32_t, uint64_t)
  STORE(I32Store, uint32_t, uint32_t)
  STORE(I64Store, uint64_t, uint64_t)
  STORE(F32Store, uint32_t, uint32_t)
  STORE(F64Store, uint64_t, uint64_t)
  STORE(I32Store8, uint8_t, uint32_t)
  STORE(I32Store16, uint16_t, uint32_t)
  STORE(I64Store8, uint8_t, uint64_t)
  STORE(I64Store16, uint16_t, uint64_t)
  STORE(I64Store32, uint32_t, uint64_t)

  // SIMD memory access: the bytes are loaded here, then shaped by simd.h.
#define SIMD_LOAD(Name, Stored)                             \
  L_##Name: {                                               \
    EFFECTIVE_ADDRESS(SLOT(1), ip[2].u64, sizeof(Stored));  \
    Stored v;                                               \
    std::memcpy(&v, at, sizeof(Stored));                    \
    Write(fp + ip[0].u64, Name(v));                         \
    ip += 3;                                                \
    NEXT();                                                 \
  }
  LOAD(V128Load, V128, V128)
  SIMD_LOAD(V128Load8x8S, uint64_t)
  SIMD_LOAD(V128Load8x8U, uint64_t)
  SIMD_LOAD(V128Load16x4S, uint64_t)
  SIMD_LOAD(V128Load16x4U, uint64_t)
  SIMD_LOAD(V128Load32x2S, uint64_t)
  SIMD_LOAD(V128Load32x2U, uint64_t)
  SIMD_LOAD(V128Load8Splat, uint8_t)
  SIMD_LOAD(V128Load16Splat, uint16_t)
  SIMD_LOAD(V128Load32Splat, uint32_t)
  SIMD_LOAD(V128Load64Splat, uint64_t)
  SIMD_LOAD(V128Load32Zero, uint32_t)
  SIMD_LOAD(V128Load64Zero, uint64_t)
  STORE(V128Store, V128, V128)
  // [dst, address, vector, offset, lane]
#define SIMD_LOAD_LANE(Name, size)                                               \
  L_##Name: {                                                                    \
    EFFECTIVE_ADDRESS(SLOT(1), ip[3].u64, size);                                 \
    V128 v = Read<V128>(fp + ip[2].u64);                                         \
    Write(fp + ip[0].u64, ReplaceLaneBytes(v, at, size, uint8_t(ip[4].u64)));    \
    ip += 5;                                                                     \
    NEXT();                                                                      \
  }
  // [address, vector, offset, lane]
#define SIMD_STORE_LANE(Name, size)                                              \
  L_##Name: {                                                                    \
    EFFECTIVE_ADDRESS(SLOT(0), ip[2].u64, size);                                 \
    ExtractLaneBytes(Read<V128>(fp + ip[1].u64), at, size, uint8_t(ip[3].u64));  \
    ip += 4;                                                                     \
    NEXT();                                                                      \
  }
  SIMD_LOAD_LANE(V128Load8Lane, 1)
  SIMD_LOAD_LANE(V128Load16Lane, 2)
  SIMD_LOAD_LANE(V128Load32Lane, 4)
  SIMD_LOAD_LANE(V128Load64Lane, 8)
  SIMD_STORE_LANE(V128Store8Lane, 1)
  SIMD_STORE_LANE(V128Store16Lane, 2)
  SIMD_STORE_LANE(V128Store32Lane, 4)
  SIMD_STORE_LANE(V128Store64Lane, 8)

  // --- Pure operations, bound by name ---------------------------------------------
#define APPLY(Name, ...)                                       \
  L_##Name:                                                    \
  if (!Apply<&ops::Name>(fp, ip, &trap_kind)) goto trap;       \
  ip += 1 + kStackParams<&ops::Name>;                          \
  NEXT();
  RIVET_FOREACH_NUMERIC_OPCODE(APPLY)
#undef APPLY
#define APPLY_CONSTANT(Name, ...)                                 \
  L_##Name##K:                                                    \
  if (!ApplyConstant<&ops::Name>(fp, ip, &trap_kind)) goto trap;  \
  ip += 1 + kStackParams<&ops::Name>;                             \
  NEXT();
  RIVET_FOREACH_NUMERIC_OPCODE(APPLY_CONSTANT)
#undef APPLY_CONSTANT
  // [operands...][target]: the operand words are the comparison's, the
  // target follows them.
#define COMPARE_BRANCH(Name, ...)                                                  \
  L_##Name##BrIf:                                                                  \
  ip = Compare<&ops::Name, false>(fp, ip) ? ip[kStackParams<&ops::Name>].target    \
                                          : ip + kStackParams<&ops::Name> + 1;     \
  NEXT();                                                                          \
  L_##Name##BrUnless:                                                              \
  ip = Compare<&ops::Name, false>(fp, ip) ? ip + kStackParams<&ops::Name> + 1      \
                                          : ip[kStackParams<&ops::Name>].target;   \
  NEXT();                                                                          \
  L_##Name##KBrIf:                                                                 \
  ip = Compare<&ops::Name, true>(fp, ip) ? ip[kStackParams<&ops::Name>].target     \
                                         : ip + kStackParams<&ops::Name> + 1;      \
  NEXT();                                                                          \
  L_##Name##KBrUnless:                                                             \
  ip = Compare<&ops::Name, true>(fp, ip) ? ip + kStackParams<&ops::Name> + 1       \
                                         : ip[kStackParams<&ops::Name>].target;    \
  NEXT();
  RIVET_FOREACH_COMPARE_OPCODE(COMPARE_BRANCH)
#undef COMPARE_BRANCH
  // Loop latches: [x][a][b][c][target], b and c slots or constants.
#define LATCH_FORM(label, Cmp, b, c)                              \
  label: {                                                        \
    uint32_t x = U32(1) + static_cast<uint32_t>(b);               \
    SLOT(0) = x;                                                  \
    ip = ops::Cmp(x, static_cast<uint32_t>(c)) ? ip[4].target : ip + 5; \
    NEXT();                                                       \
  }
#define LATCH(Cmp)                                                \
  LATCH_FORM(L_Add##Cmp##BrIf, Cmp, SLOT(2), SLOT(3))             \
  LATCH_FORM(L_AddK##Cmp##BrIf, Cmp, ip[2].u64, SLOT(3))          \
  LATCH_FORM(L_Add##Cmp##KBrIf, Cmp, SLOT(2), ip[3].u64)          \
  LATCH_FORM(L_AddK##Cmp##KBrIf, Cmp, ip[2].u64, ip[3].u64)
  RIVET_FOREACH_LATCH_COMPARE(LATCH)
#undef LATCH
#undef LATCH_FORM
  // Chains: [dst][x][a][b] = B(A(x, a), b).
#define CHAIN(A, B)                        \
  L_##A##K##B##K:                          \
  Chain<&ops::A, &ops::B>(fp, ip);         \
  ip += 4;                                 \
  NEXT();
#define RIVET_CHAIN_ROW_CHAIN(A) RIVET_FOREACH_CHAIN_SECOND(CHAIN, A)
#define RIVET_CHAIN64_ROW_CHAIN(A) RIVET_FOREACH_CHAIN64_SECOND(CHAIN, A)
  RIVET_FOREACH_CHAIN(CHAIN)
#undef CHAIN
  // Compare-and-select: [dst][a][b] then the comparison's operands.
#define COMPARE_SELECT(Name, ...)                                                   \
  L_##Name##Select:                                                                 \
  SLOT(0) = Compare<&ops::Name, false>(fp, ip + 3) ? SLOT(1) : SLOT(2);             \
  ip += 3 + kStackParams<&ops::Name>;                                               \
  NEXT();                                                                           \
  L_##Name##KSelect:                                                                \
  SLOT(0) = Compare<&ops::Name, true>(fp, ip + 3) ? SLOT(1) : SLOT(2);              \
  ip += 3 + kStackParams<&ops::Name>;                                               \
  NEXT();
  RIVET_FOREACH_COMPARE_OPCODE(COMPARE_SELECT)
#undef COMPARE_SELECT
  // Multiply-adds: [dst][a][b][c].
#define MUL_ADD(name, Mul, Add)                                                     \
  L_##name##MulAdd: {                                                               \
    using T = std::tuple_element_t<0, typename Signature<decltype(&Mul)>::Params>;  \
    Write(fp + ip[0].u64, Add(Mul(Read<T>(fp + ip[1].u64), Read<T>(fp + ip[2].u64)), \
                              Read<T>(fp + ip[3].u64)));                            \
    ip += 4;                                                                        \
    NEXT();                                                                         \
  }                                                                                 \
  L_##name##AddMul: {                                                               \
    using T = std::tuple_element_t<0, typename Signature<decltype(&Mul)>::Params>;  \
    Write(fp + ip[0].u64, Add(Read<T>(fp + ip[3].u64),                              \
                              Mul(Read<T>(fp + ip[1].u64), Read<T>(fp + ip[2].u64)))); \
    ip += 4;                                                                        \
    NEXT();                                                                         \
  }
#define MUL_ADD_SCALAR(name, Mul, Add) MUL_ADD(name, ops::Mul, ops::Add)
#define MUL_ADD_VECTOR(name, Mul, Add) MUL_ADD(name, Mul, Add)
  MUL_ADD_SCALAR(F32, F32Mul, F32Add)
  MUL_ADD_SCALAR(F64, F64Mul, F64Add)
  MUL_ADD_VECTOR(F32x4, F32x4Mul, F32x4Add)
  MUL_ADD_VECTOR(F64x2, F64x2Mul, F64x2Add)
#undef MUL_ADD
#undef MUL_ADD_SCALAR
#undef MUL_ADD_VECTOR
#define APPLY_SIMD(Name, ...)                                  \
  L_##Name:                                                    \
  Apply<&Name>(fp, ip, &trap_kind);                            \
  ip += 1 + kStackParams<&Name>;                               \
  NEXT();
  RIVET_FOREACH_SIMD_NUMERIC_OPCODE(APPLY_SIMD)
#undef APPLY_SIMD
#define APPLY_LANE(Name, code, text, imm, ...) APPLY_LANE_##imm(Name)
#define APPLY_LANE_kLane(Name)                                                  \
  L_##Name:                                                                     \
  Apply<&Name>(fp, ip, &trap_kind, uint8_t(ip[1 + kStackParams<&Name, 1>].u64)); \
  ip += 2 + kStackParams<&Name, 1>;                                             \
  NEXT();
#define APPLY_LANE_kShuffle(Name)                                               \
  L_##Name:                                                                     \
  Apply<&Name>(fp, ip, &trap_kind,                                              \
               reinterpret_cast<const uint8_t*>(ip + 1 + kStackParams<&Name, 1>)); \
  ip += 3 + kStackParams<&Name, 1>;                                             \
  NEXT();
  RIVET_FOREACH_SIMD_LANE_OPCODE(APPLY_LANE)
#undef APPLY_LANE

  // --- Atomics ----------------------------------------------------------------------
  // Atomic accesses must be naturally aligned: the effective address, not
  // only the alignment hint, is checked.
#define ATOMIC_ADDRESS(address, offset, T)              \
  EFFECTIVE_ADDRESS(address, offset, sizeof(T));        \
  if (ea % sizeof(T)) TRAP(kUnalignedAtomic);           \
  std::atomic_ref<T> cell(*reinterpret_cast<T*>(at));
  // [dst, address, offset]
#define ATOMIC_LOAD(Name, T, Result)                                 \
  L_##Name: {                                                        \
    ATOMIC_ADDRESS(SLOT(1), ip[2].u64, T);                           \
    Write(fp + ip[0].u64, static_cast<Result>(cell.load()));         \
    ip += 3;                                                         \
    NEXT();                                                          \
  }
  // [address, value, offset]
#define ATOMIC_STORE(Name, T, Operand)                               \
  L_##Name: {                                                        \
    ATOMIC_ADDRESS(SLOT(0), ip[2].u64, T);                           \
    cell.store(static_cast<T>(Read<Operand>(fp + ip[1].u64)));       \
    ip += 3;                                                         \
    NEXT();                                                          \
  }
  // [dst, address, value, offset]
#define ATOMIC_RMW(Name, T, Operand, method)                                           \
  L_##Name: {                                                                          \
    ATOMIC_ADDRESS(SLOT(1), ip[3].u64, T);                                             \
    T operand = static_cast<T>(Read<Operand>(fp + ip[2].u64));                         \
    Write(fp + ip[0].u64, static_cast<Operand>(cell.method(operand)));                 \
    ip += 4;                                                                           \
    NEXT();                                                                            \
  }
  // [dst, address, expected, replacement, offset]
#define ATOMIC_CMPXCHG(Name, T, Operand)                                  \
  L_##Name: {                                                             \
    ATOMIC_ADDRESS(SLOT(1), ip[4].u64, T);                                \
    T expected = static_cast<T>(Read<Operand>(fp + ip[2].u64));           \
    T desired = static_cast<T>(Read<Operand>(fp + ip[3].u64));            \
    /* A narrow cmpxchg compares the wrapped operand. */                  \
    cell.compare_exchange_strong(expected, desired);                      \
    Write(fp + ip[0].u64, static_cast<Operand>(expected));                \
    ip += 5;                                                              \
    NEXT();                                                               \
  }
#define ATOMIC_RMW_FAMILY(Op, method)                                  \
  ATOMIC_RMW(I32AtomicRmw##Op, uint32_t, uint32_t, method)             \
  ATOMIC_RMW(I64AtomicRmw##Op, uint64_t, uint64_t, method)             \
  ATOMIC_RMW(I32AtomicRmw8##Op##U, uint8_t, uint32_t, method)          \
  ATOMIC_RMW(I32AtomicRmw16##Op##U, uint16_t, uint32_t, method)        \
  ATOMIC_RMW(I64AtomicRmw8##Op##U, uint8_t, uint64_t, method)          \
  ATOMIC_RMW(I64AtomicRmw16##Op##U, uint16_t, uint64_t, method)        \
  ATOMIC_RMW(I64AtomicRmw32##Op##U, uint32_t, uint64_t, method)
  ATOMIC_LOAD(I32AtomicLoad, uint32_t, uint32_t)
  ATOMIC_LOAD(I64AtomicLoad, uint64_t, uint64_t)
  ATOMIC_LOAD(I32AtomicLoad8U, uint8_t, uint32_t)
  ATOMIC_LOAD(I32AtomicLoad16U, uint16_t, uint32_t)
  ATOMIC_LOAD(I64AtomicLoad8U, uint8_t, uint64_t)
  ATOMIC_LOAD(I64AtomicLoad16U, uint16_t, uint64_t)
  ATOMIC_LOAD(I64AtomicLoad32U, uint32_t, uint64_t)
  ATOMIC_STORE(I32AtomicStore, uint32_t, uint32_t)
  ATOMIC_STORE(I64AtomicStore, uint64_t, uint64_t)
  ATOMIC_STORE(I32AtomicStore8, uint8_t, uint32_t)
  ATOMIC_STORE(I32AtomicStore16, uint16_t, uint32_t)
  ATOMIC_STORE(I64AtomicStore8, uint8_t, uint64_t)
  ATOMIC_STORE(I64AtomicStore16, uint16_t, uint64_t)
  ATOMIC_STORE(I64AtomicStore32, uint32_t, uint64_t)
  ATOMIC_RMW_FAMILY(Add, fetch_add)
  ATOMIC_RMW_FAMILY(Sub, fetch_sub)
  ATOMIC_RMW_FAMILY(And, fetch_and)
  ATOMIC_RMW_FAMILY(Or, fetch_or)
  ATOMIC_RMW_FAMILY(Xor, fetch_xor)
  ATOMIC_RMW_FAMILY(Xchg, exchange)
  ATOMIC_CMPXCHG(I32AtomicRmwCmpxchg, uint32_t, uint32_t)
  ATOMIC_CMPXCHG(I64AtomicRmwCmpxchg, uint64_t, uint64_t)
  ATOMIC_CMPXCHG(I32AtomicRmw8CmpxchgU, uint8_t, uint32_t)
  ATOMIC_CMPXCHG(I32AtomicRmw16CmpxchgU, uint16_t, uint32_t)
  ATOMIC_CMPXCHG(I64AtomicRmw8CmpxchgU, uint8_t, uint64_t)
  ATOMIC_CMPXCHG(I64AtomicRmw16CmpxchgU, uint16_t, uint64_t)
  ATOMIC_CMPXCHG(I64AtomicRmw32CmpxchgU, uint32_t, uint64_t)

L_AtomicFence:
  std::atomic_thread_fence(std::memory_order_seq_cst);
  NEXT();

  // [dst, address, count, offset]
L_MemoryAtomicNotify: {
  EFFECTIVE_ADDRESS(SLOT(1), ip[3].u64, 4);
  if (ea % 4) TRAP(kUnalignedAtomic);
  // An unshared memory has no waiters (wait traps on it), so this finds none.
  SLOT(0) = AtomicNotify(at, U32(2));
  ip += 4;
  NEXT();
}

  // [dst, address, expected, timeout, offset]
L_MemoryAtomicWait32:
  wide_wait = false;
  goto do_wait;
L_MemoryAtomicWait64:
  wide_wait = true;
do_wait: {
  size_t size = wide_wait ? 8 : 4;
  EFFECTIVE_ADDRESS(SLOT(1), ip[4].u64, size);
  if (ea % size) TRAP(kUnalignedAtomic);
  if (!accessed->shared()) TRAP(kExpectedSharedMemory);
  uint64_t expected = wide_wait ? SLOT(2) : U32(2);
  int64_t timeout = static_cast<int64_t>(SLOT(3));
  SLOT(0) = AtomicWait(at, wide_wait, expected, timeout);
  ip += 5;
  NEXT();
}

trap:
  outcome.ok = false;
  outcome.trap = Trap{trap_kind, std::string(TrapMessage(trap_kind)), {}};
unwind:
  limits->fuel = fuel;
  // The backtrace: the function that trapped, then its callers, down to
  // this entry (a host function that trapped appears as its caller).
  // Deep recursion is summarised after the innermost kMaxBacktrace frames.
  if (current) {
    constexpr size_t kMaxBacktrace = 100;
    std::vector<std::string>& backtrace = outcome.trap.backtrace;
    backtrace.push_back(FunctionDisplayName(current));
    Frame* bottom = st->frames.get() + base_depth + 1;
    for (Frame* f = frame; f-- > bottom;) {
      if (backtrace.size() == kMaxBacktrace) {
        backtrace.push_back("... and " + std::to_string(f - bottom + 1) + " more frames");
        break;
      }
      if (f->function) backtrace.push_back(FunctionDisplayName(f->function));
    }
  }
  return outcome;

#undef NEXT
#undef TRAP
#undef LOAD_MEMORY
#undef SLOT
#undef U32
}

}  // namespace

const void* const* HandlerTable() {
  static const void* const* table = [] {
    const void* const* t = nullptr;
    Execute(nullptr, nullptr, nullptr, nullptr, nullptr, &t);
    return t;
  }();
  return table;
}

std::variant<std::vector<Slot>, Trap> Call(FuncInstance* func, std::span<const Slot> args,
                                           ExecutionLimits& limits,
                                           std::atomic<bool>* interrupt) {
  auto exhausted = [] {
    return Trap{TrapKind::kCallStackExhausted,
                std::string(TrapMessage(TrapKind::kCallStackExhausted)), {}};
  };
  // Each thread keeps one stack for its lifetime. Calls from host functions
  // back into wasm continue on it, above the caller's operands; only an
  // outermost call may replace it when the limits ask for another size.
  thread_local std::unique_ptr<ExecStack> stack;
  thread_local int nesting = 0;
  if (nesting == 0) {
    // An interrupt is meant for the call it arrived in: the next outermost
    // call starts afresh (calls nested through host functions still see it).
    if (interrupt) interrupt->store(false, std::memory_order_relaxed);
    if (!stack || size_t(stack->end - stack->slots.get()) != limits.value_stack_slots) {
      stack = std::make_unique<ExecStack>();
      // Not value-initialised: untouched pages of a large stack cost nothing.
      stack->slots.reset(new (std::nothrow) Slot[limits.value_stack_slots]);
      if (!stack->slots) {
        stack.reset();
        return exhausted();
      }
      stack->end = stack->slots.get() + limits.value_stack_slots;
      stack->top = stack->slots.get();
    }
    // Room for the deepest nesting the limits allow, plus entry records of
    // calls that come back in through host functions. Every frame takes at
    // least two value slots, which bounds the depth whatever the limit says.
    size_t frames_needed =
        std::min<size_t>(limits.max_call_depth, limits.value_stack_slots / 2) + 64;
    if (stack->frame_capacity < frames_needed) {
      stack->frames.reset(new (std::nothrow) Frame[frames_needed]);
      stack->frame_capacity = stack->frames ? frames_needed : 0;
    }
  }
  if (!stack || stack->frame_capacity == 0) return exhausted();
  // Each call back in through a host function also nests on the host's own
  // stack (this function, the host function, Execute): bound that nesting
  // separately, by count and by the native stack actually left, since frames
  // differ in size (a host function's own, a thread with a small stack, an
  // instrumented build where Execute's frame alone is 64 KiB).
  constexpr int kMaxHostReentry = 500;
  if (nesting > kMaxHostReentry) return exhausted();
  if (nesting > 0 &&
      reinterpret_cast<uintptr_t>(__builtin_frame_address(0)) < NativeStackLimit()) {
    return exhausted();
  }
  ExecStack* st = stack.get();
  Slot* fp = st->top;
  size_t needed = std::max<size_t>(func->param_slots, func->result_slots);
  if (fp + needed > st->end) return exhausted();
  std::copy(args.begin(), args.end(), fp);

  // Restores this thread's bookkeeping however the call ends, even if a
  // host function throws through it.
  struct Restore {
    ExecStack* st;
    Slot* top;
    size_t depth;
    ~Restore() {
      st->top = top;
      st->depth = depth;
      --nesting;
    }
  } restore{st, fp, st->depth};
  st->top = fp + needed;
  ++nesting;
  Outcome outcome = Execute(st, func, fp, &limits, interrupt, nullptr);
  if (!outcome.ok) return std::move(outcome.trap);
  return std::vector<Slot>(fp, fp + func->result_slots);
}

}  // namespace rivet::interp
