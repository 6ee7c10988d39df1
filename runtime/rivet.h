/* rivet: a WebAssembly runtime. The C embedding API.
 *
 * Usable from C and C++. Nothing here throws or aborts: failures come back as
 * values. A rivet_error (owned by the caller, freed with rivet_error_delete)
 * says why something could not be created or linked; a rivet_trap (likewise
 * owned, rivet_trap_delete) says why wasm code stopped, with a backtrace.
 *
 * Ownership: a store owns every function, memory, table, global and
 * instance created in it, which live until rivet_store_delete. Modules are
 * independent of stores and may be instantiated in many stores. A store and
 * everything in it is used by one thread at a time (different stores may
 * run on different threads at once); rivet_store_interrupt is the exception
 * and may be called from any thread.
 */
#ifndef RIVET_H_
#define RIVET_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rivet_valkind {
  RIVET_I32,
  RIVET_I64,
  RIVET_F32,
  RIVET_F64,
  RIVET_V128,
  RIVET_FUNCREF,
  RIVET_EXTERNREF,
} rivet_valkind;

typedef enum rivet_externkind {
  RIVET_EXTERN_FUNC,
  RIVET_EXTERN_TABLE,
  RIVET_EXTERN_MEMORY,
  RIVET_EXTERN_GLOBAL,
} rivet_externkind;

typedef struct rivet_store rivet_store;
typedef struct rivet_module rivet_module;
typedef struct rivet_instance rivet_instance;
typedef struct rivet_func rivet_func;
typedef struct rivet_memory rivet_memory;
typedef struct rivet_table rivet_table;
typedef struct rivet_global rivet_global;
typedef struct rivet_error rivet_error;
typedef struct rivet_trap rivet_trap;

/* A value. References: a funcref is a rivet_func* (NULL for null), an
 * externref is any pointer the embedder chooses (NULL for null). */
typedef struct rivet_val {
  rivet_valkind kind;
  union {
    int32_t i32;
    int64_t i64;
    float f32;
    double f64;
    uint8_t v128[16];
    void* ref;
  } of;
} rivet_val;

typedef struct rivet_extern {
  rivet_externkind kind;
  union {
    rivet_func* func;
    rivet_table* table;
    rivet_memory* memory;
    rivet_global* global;
  } of;
} rivet_extern;

/* --- Errors and traps ------------------------------------------------------ */

const char* rivet_error_message(const rivet_error* error);
void rivet_error_delete(rivet_error* error);

typedef enum rivet_trapkind {
  RIVET_TRAP_UNREACHABLE,
  RIVET_TRAP_MEMORY_OUT_OF_BOUNDS,
  RIVET_TRAP_TABLE_OUT_OF_BOUNDS,
  RIVET_TRAP_INTEGER_DIVIDE_BY_ZERO,
  RIVET_TRAP_INTEGER_OVERFLOW,
  RIVET_TRAP_INVALID_CONVERSION,
  RIVET_TRAP_INDIRECT_CALL_TYPE_MISMATCH,
  RIVET_TRAP_UNINITIALIZED_ELEMENT,
  RIVET_TRAP_UNDEFINED_ELEMENT,
  RIVET_TRAP_CALL_STACK_EXHAUSTED,
  RIVET_TRAP_UNALIGNED_ATOMIC,
  RIVET_TRAP_EXPECTED_SHARED_MEMORY,
  RIVET_TRAP_HOST, /* raised by a host function, or a misuse of the API */
  RIVET_TRAP_INTERRUPTED,
  RIVET_TRAP_OUT_OF_FUEL,
} rivet_trapkind;

rivet_trapkind rivet_trap_kind(const rivet_trap* trap);
const char* rivet_trap_message(const rivet_trap* trap);
/* The wasm functions active when it trapped, innermost first, named from the
 * module's name section when it has one ("$fib (#3)"), else "#3". */
size_t rivet_trap_backtrace_size(const rivet_trap* trap);
const char* rivet_trap_backtrace_frame(const rivet_trap* trap, size_t index);
/* For host functions: a trap that stops the wasm call with `message`. */
rivet_trap* rivet_trap_new(const char* message);
void rivet_trap_delete(rivet_trap* trap);

/* --- Stores and their limits --------------------------------------------------- */

rivet_store* rivet_store_new(void);
void rivet_store_delete(rivet_store* store);

/* Memories created in this store never grow beyond `pages` 64 KiB pages
 * (the limit in force when they grow counts, not the one when they were
 * made), and modules asking for more fail to instantiate. */
void rivet_store_set_max_memory_pages(rivet_store* store, uint64_t pages);
/* Calls nest at most `depth` wasm frames deep (default 100000). */
void rivet_store_set_max_call_depth(rivet_store* store, uint32_t depth);
/* Fuel: each function entry and loop iteration consumes one unit; a call
 * that runs out traps with RIVET_TRAP_OUT_OF_FUEL. Negative: unlimited (the
 * default). Set it before instantiating for loops to be metered. */
void rivet_store_set_fuel(rivet_store* store, int64_t fuel);
int64_t rivet_store_fuel(const rivet_store* store);
/* Instances created after this is enabled check for interrupts at every
 * loop iteration, not only at function entries (it costs some speed). */
void rivet_store_set_interruptible(rivet_store* store, bool interruptible);
/* Thread-safe: stops the call running in `store` with
 * RIVET_TRAP_INTERRUPTED at its next check. The instance stays usable. The
 * flag is cleared when the next outermost call (or instantiation) starts;
 * calls made from host functions inside an interrupted call see it too. */
void rivet_store_interrupt(rivet_store* store);

/* --- Modules -------------------------------------------------------------------- */

/* How a module's code runs. A module may carry AOT code (`rivet compile`
 * adds one rivet.aot section per target); AUTO runs the section made for this
 * machine when its architecture, float ABI, ISA extensions, AOT ABI version
 * and code hash fit and every symbol resolves, and interprets otherwise; AOT
 * fails instead of interpreting; INTERP always interprets. AOT code does not
 * count fuel or check interrupts: in a store with fuel or interruptible set,
 * instances of such modules are interpreted. */
typedef enum rivet_engine {
  RIVET_ENGINE_AUTO = 0,
  RIVET_ENGINE_AOT = 1,
  RIVET_ENGINE_INTERP = 2,
} rivet_engine;

typedef struct rivet_load_options {
  rivet_engine engine;
  /* Decide for this machine description instead of probing the one rivet
   * runs on (firmware embedders name their core): "ARCH:ISA:ABI", e.g.
   * "riscv32:rv32imac:ilp32", "riscv64:rv64gc:lp64d", "x86_64:+avx2". NULL
   * probes this machine. A profile of another architecture is checked all
   * the way through relocation but never run: the module is interpreted. */
  const char* host_profile;
} rivet_load_options;

/* Decodes and validates a module and decides how it runs (RIVET_ENGINE_AUTO).
 * On failure returns an error naming what is wrong and where (byte offset,
 * section, function). */
rivet_error* rivet_module_new(const uint8_t* bytes, size_t size, rivet_module** out);
/* The same with options (NULL: the defaults). With RIVET_ENGINE_AOT, fails
 * with every reason the module's AOT code cannot run here. */
rivet_error* rivet_module_new_with_options(const uint8_t* bytes, size_t size,
                                           const rivet_load_options* options,
                                           rivet_module** out);
/* RIVET_ENGINE_AOT or RIVET_ENGINE_INTERP: what was chosen. */
rivet_engine rivet_module_engine(const rivet_module* module);
/* "engine: aot" or "engine: interp", then the reasons, one per line; lives as
 * long as the module. */
const char* rivet_module_explain(const rivet_module* module);
void rivet_module_delete(rivet_module* module);
size_t rivet_module_import_count(const rivet_module* module);
/* The strings live as long as the module. False, with NULL names, when
 * `index` is out of range. */
bool rivet_module_import(const rivet_module* module, size_t index, const char** module_name,
                         const char** name, rivet_externkind* kind);
size_t rivet_module_export_count(const rivet_module* module);
bool rivet_module_export(const rivet_module* module, size_t index, const char** name,
                         rivet_externkind* kind);

/* --- Functions ------------------------------------------------------------------ */

/* A host function: reads `args`, writes `results` (their kinds are already
 * set), and returns NULL, or a trap (rivet_trap_new) to stop the call. */
typedef rivet_trap* (*rivet_host_callback)(void* env, const rivet_val* args, size_t num_args,
                                           rivet_val* results, size_t num_results);

/* `finalizer`, if not NULL, is called with `env` when the store is deleted. */
rivet_func* rivet_func_new(rivet_store* store, const rivet_valkind* params, size_t num_params,
                           const rivet_valkind* results, size_t num_results,
                           rivet_host_callback callback, void* env, void (*finalizer)(void*));
size_t rivet_func_param_count(const rivet_func* func);
size_t rivet_func_result_count(const rivet_func* func);
/* The kind of parameter or result `index`, which must be below the count
 * (RIVET_I32 otherwise). */
rivet_valkind rivet_func_param(const rivet_func* func, size_t index);
rivet_valkind rivet_func_result(const rivet_func* func, size_t index);

/* Calls `func`. Arguments must match its parameters in number and kind, and
 * `num_results` its results; otherwise, and when the call traps, returns the
 * trap. */
rivet_trap* rivet_func_call(rivet_store* store, rivet_func* func, const rivet_val* args,
                            size_t num_args, rivet_val* results, size_t num_results);

/* --- Instances ------------------------------------------------------------------- */

/* Instantiates `module` with one import per module import, in order. On a
 * link error (a missing or mismatched import, limits) returns the error;
 * when initialisation or the start function traps, returns NULL and sets
 * *trap. On success sets *out. */
rivet_error* rivet_instance_new(rivet_store* store, const rivet_module* module,
                                const rivet_extern* imports, size_t num_imports,
                                rivet_instance** out, rivet_trap** trap);
/* An import definition for rivet_instance_new_named. */
typedef struct rivet_named_extern {
  const char* module;
  const char* name;
  rivet_extern item;
} rivet_named_extern;

/* Instantiates `module`, resolving each of its imports by module and field
 * name among `definitions` (which may hold more than the module needs). If
 * any import has no definition, returns an error naming all of them;
 * otherwise as rivet_instance_new. */
rivet_error* rivet_instance_new_named(rivet_store* store, const rivet_module* module,
                                      const rivet_named_extern* definitions,
                                      size_t num_definitions, rivet_instance** out,
                                      rivet_trap** trap);

/* Finds an export by name; false if there is none. */
bool rivet_instance_export(const rivet_instance* instance, const char* name, rivet_extern* out);

/* --- Memories, globals, tables ----------------------------------------------------- */

/* `max_pages` < 0: no maximum. */
rivet_memory* rivet_memory_new(rivet_store* store, uint32_t min_pages, int64_t max_pages,
                               bool shared);
uint64_t rivet_memory_size(const rivet_memory* memory); /* bytes */
uint8_t* rivet_memory_data(rivet_memory* memory);       /* moves when memory grows */
/* Bounds-checked copies: false, and nothing copied, if out of bounds. */
bool rivet_memory_read(const rivet_memory* memory, uint64_t offset, void* dst, size_t size);
bool rivet_memory_write(rivet_memory* memory, uint64_t offset, const void* src, size_t size);
/* Returns the old size in pages, or -1. */
int64_t rivet_memory_grow(rivet_memory* memory, uint32_t delta_pages);

rivet_global* rivet_global_new(rivet_store* store, const rivet_val* init, bool is_mutable);
void rivet_global_get(const rivet_global* global, rivet_val* out);
/* False if the global is immutable or `value` has another kind. */
bool rivet_global_set(rivet_global* global, const rivet_val* value);

/* `max` < 0: no maximum. `elem_kind` is RIVET_FUNCREF or RIVET_EXTERNREF. Null
 * when `min` exceeds rivet's table limit of 10,000,000 elements. */
rivet_table* rivet_table_new(rivet_store* store, rivet_valkind elem_kind, uint32_t min,
                             int64_t max);
uint32_t rivet_table_size(const rivet_table* table);
bool rivet_table_get(const rivet_table* table, uint32_t index, rivet_val* out);
bool rivet_table_set(rivet_table* table, uint32_t index, const rivet_val* value);
int64_t rivet_table_grow(rivet_table* table, uint32_t delta, const rivet_val* init);

#ifdef __cplusplus
}
#endif

#endif /* RIVET_H_ */
