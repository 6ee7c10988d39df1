/* A C host for examples/guest.wasm through rivet's C API (runtime/rivet.h).
 *
 *   bazel run //examples:host_c -- path/to/guest.wasm
 *
 * Loads the module, lists its imports and exports, provides the two host
 * functions it imports (host.log and host.add), instantiates it, calls its
 * exports, reads a string the guest wrote into its linear memory, and shows
 * two traps with their messages and backtraces: one raised by wasm code
 * (a division by zero) and one raised by a host function.
 *
 * Without an argument it loads the guest.wasm built next to it (Bazel's
 * runfiles). examples/host.cc does the same through the C++ API and prints
 * exactly the same lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/rivet.h"

/* --- Reading the module ----------------------------------------------------- */

/* Reads a whole file; NULL if it cannot. */
static uint8_t* read_file(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  size_t capacity = 1 << 16, used = 0;
  uint8_t* bytes = malloc(capacity);
  size_t n;
  while (bytes && (n = fread(bytes + used, 1, capacity - used, f)) > 0) {
    used += n;
    if (used == capacity) {
      uint8_t* grown = realloc(bytes, capacity *= 2);
      if (!grown) free(bytes);
      bytes = grown;
    }
  }
  fclose(f);
  *size = used;
  return bytes;
}

/* The module to load: argv[1] (relative to where `bazel run` was started),
 * else guest.wasm from the runfiles. */
static const char* module_path(int argc, char** argv, char* buf, size_t buf_size) {
  if (argc > 1) {
    const char* cwd = getenv("BUILD_WORKING_DIRECTORY"); /* set by `bazel run` */
    if (argv[1][0] != '/' && cwd) {
      snprintf(buf, buf_size, "%s/%s", cwd, argv[1]);
      return buf;
    }
    return argv[1];
  }
  const char* runfiles = getenv("RUNFILES_DIR");
  if (runfiles) {
    snprintf(buf, buf_size, "%s/rivet/examples/guest.wasm", runfiles);
  } else {
    snprintf(buf, buf_size, "%s.runfiles/rivet/examples/guest.wasm", argv[0]);
  }
  FILE* f = fopen(buf, "rb");
  if (f) {
    fclose(f);
    return buf;
  }
  return "examples/guest.wasm"; /* in the runfiles tree itself (bazel test) */
}

/* --- The host functions ----------------------------------------------------- */

/* What the host functions share: the instance's memory (known only after
 * instantiation, so set then) and a count of host.add calls. */
typedef struct HostState {
  rivet_memory* memory;
  int add_calls;
} HostState;

/* host.log(ptr: i32, len: i32): prints a string from the guest's memory. */
static rivet_trap* host_log(void* env, const rivet_val* args, size_t num_args,
                            rivet_val* results, size_t num_results) {
  (void)num_args, (void)results, (void)num_results;
  HostState* state = env;
  uint32_t ptr = (uint32_t)args[0].of.i32, len = (uint32_t)args[1].of.i32;
  char text[256];
  if (len >= sizeof text) return rivet_trap_new("host.log: message too long");
  if (!state->memory || !rivet_memory_read(state->memory, ptr, text, len)) {
    return rivet_trap_new("host.log: string out of bounds");
  }
  printf("[guest] %.*s\n", (int)len, text);
  return NULL;
}

/* host.add(a: i32, b: i32) -> i32. Results come with their kind already set. */
static rivet_trap* host_add(void* env, const rivet_val* args, size_t num_args,
                            rivet_val* results, size_t num_results) {
  (void)num_args, (void)num_results;
  HostState* state = env;
  ++state->add_calls;
  results[0].of.i32 = (int32_t)((uint32_t)args[0].of.i32 + (uint32_t)args[1].of.i32);
  return NULL;
}

/* --- Helpers ---------------------------------------------------------------------- */

static const char* extern_kind_name(rivet_externkind kind) {
  switch (kind) {
    case RIVET_EXTERN_FUNC: return "func";
    case RIVET_EXTERN_TABLE: return "table";
    case RIVET_EXTERN_MEMORY: return "memory";
    case RIVET_EXTERN_GLOBAL: return "global";
  }
  return "?";
}

/* Prints a trap's message and backtrace, then frees it. */
static void print_trap(const char* call, rivet_trap* trap) {
  printf("%s trapped: %s%s\n", call, rivet_trap_message(trap),
         rivet_trap_kind(trap) == RIVET_TRAP_HOST ? " (raised by the host)" : "");
  for (size_t i = 0; i < rivet_trap_backtrace_size(trap); ++i) {
    printf("    at %s\n", rivet_trap_backtrace_frame(trap, i));
  }
  rivet_trap_delete(trap);
}

/* Finds an exported function; exits if there is none. */
static rivet_func* export_func(const rivet_instance* instance, const char* name) {
  rivet_extern ext;
  if (!rivet_instance_export(instance, name, &ext) || ext.kind != RIVET_EXTERN_FUNC) {
    fprintf(stderr, "error: the module exports no function \"%s\"\n", name);
    exit(1);
  }
  return ext.of.func;
}

static rivet_val i32_val(int32_t v) {
  rivet_val val;
  memset(&val, 0, sizeof val);
  val.kind = RIVET_I32;
  val.of.i32 = v;
  return val;
}

/* Calls an export taking and returning i32s; on a trap, prints it and
 * returns 0. */
static int call_i32(rivet_store* store, rivet_func* func, const char* call,
                    const int32_t* args, size_t num_args, int32_t* result) {
  rivet_val arg_vals[4], result_val;
  for (size_t i = 0; i < num_args; ++i) arg_vals[i] = i32_val(args[i]);
  size_t num_results = rivet_func_result_count(func);
  rivet_trap* trap = rivet_func_call(store, func, arg_vals, num_args, &result_val, num_results);
  if (trap) {
    print_trap(call, trap);
    return 0;
  }
  if (result && num_results == 1) *result = result_val.of.i32;
  return 1;
}

/* --- main ----------------------------------------------------------------------- */

int main(int argc, char** argv) {
  char path_buf[4096];
  const char* path = module_path(argc, argv, path_buf, sizeof path_buf);
  size_t size = 0;
  uint8_t* bytes = read_file(path, &size);
  if (!bytes) {
    fprintf(stderr, "error: cannot read %s\n", path);
    return 1;
  }

  /* Decode and validate. The module does not depend on any store. */
  rivet_module* module = NULL;
  rivet_error* error = rivet_module_new(bytes, size, &module);
  free(bytes);
  if (error) {
    fprintf(stderr, "error: %s: %s\n", path, rivet_error_message(error));
    rivet_error_delete(error);
    return 1;
  }
  for (size_t i = 0; i < rivet_module_import_count(module); ++i) {
    const char *module_name, *name;
    rivet_externkind kind;
    rivet_module_import(module, i, &module_name, &name, &kind);
    printf("import %s.%s (%s)\n", module_name, name, extern_kind_name(kind));
  }
  for (size_t i = 0; i < rivet_module_export_count(module); ++i) {
    const char* name;
    rivet_externkind kind;
    rivet_module_export(module, i, &name, &kind);
    printf("export %s (%s)\n", name, extern_kind_name(kind));
  }

  /* A store holds the instance and everything it uses. */
  rivet_store* store = rivet_store_new();
  HostState state = {NULL, 0};
  const rivet_valkind two_i32[] = {RIVET_I32, RIVET_I32};
  const rivet_valkind one_i32[] = {RIVET_I32};
  rivet_func* log_func = rivet_func_new(store, two_i32, 2, NULL, 0, host_log, &state, NULL);
  rivet_func* add_func = rivet_func_new(store, two_i32, 2, one_i32, 1, host_add, &state, NULL);

  /* One import per module import, in the module's order: host.log, host.add. */
  rivet_extern imports[2];
  imports[0].kind = RIVET_EXTERN_FUNC;
  imports[0].of.func = log_func;
  imports[1].kind = RIVET_EXTERN_FUNC;
  imports[1].of.func = add_func;
  rivet_instance* instance = NULL;
  rivet_trap* trap = NULL;
  error = rivet_instance_new(store, module, imports, 2, &instance, &trap);
  if (error) {
    fprintf(stderr, "error: cannot instantiate: %s\n", rivet_error_message(error));
    rivet_error_delete(error);
    return 1;
  }
  if (trap) {
    print_trap("the start function", trap);
    return 1;
  }
  rivet_extern memory_export;
  if (!rivet_instance_export(instance, "memory", &memory_export) ||
      memory_export.kind != RIVET_EXTERN_MEMORY) {
    fprintf(stderr, "error: the module exports no memory\n");
    return 1;
  }
  state.memory = memory_export.of.memory;
  printf("memory: %llu bytes\n", (unsigned long long)rivet_memory_size(state.memory));

  /* greet() prints through host.log. */
  call_i32(store, export_func(instance, "greet"), "greet()", NULL, 0, NULL);

  /* sum(10) adds through host.add. */
  int32_t result = 0;
  int32_t ten = 10;
  if (call_i32(store, export_func(instance, "sum"), "sum(10)", &ten, 1, &result)) {
    printf("sum(10) = %d (host.add called %d times)\n", result, state.add_calls);
  }

  /* describe(7) writes a string into linear memory; read it back out. */
  int32_t seven = 7, length = 0, address = 0;
  if (call_i32(store, export_func(instance, "describe"), "describe(7)", &seven, 1, &length) &&
      call_i32(store, export_func(instance, "buffer_address"), "buffer_address()", NULL, 0,
               &address)) {
    char text[64];
    if (length < 0 || (size_t)length >= sizeof text ||
        !rivet_memory_read(state.memory, (uint32_t)address, text, (size_t)length)) {
      fprintf(stderr, "error: describe() returned a bad range\n");
      return 1;
    }
    printf("describe(7) = \"%.*s\"\n", (int)length, text);
  }

  /* divide(7, 2) returns; divide(1, 0) traps in wasm code. */
  rivet_func* divide = export_func(instance, "divide");
  const int32_t seven_two[] = {7, 2}, one_zero[] = {1, 0};
  if (call_i32(store, divide, "divide(7, 2)", seven_two, 2, &result)) {
    printf("divide(7, 2) = %d\n", result);
  }
  call_i32(store, divide, "divide(1, 0)", one_zero, 2, &result);

  /* log_range() with a range outside memory: host.log refuses with a trap. */
  const int32_t bad_range[] = {-16, 8};
  call_i32(store, export_func(instance, "log_range"), "log_range(-16, 8)", bad_range, 2, NULL);

  /* The instance is still usable after a trap. */
  int32_t three = 3;
  if (call_i32(store, export_func(instance, "sum"), "sum(3)", &three, 1, &result)) {
    printf("sum(3) = %d after the traps\n", result);
  }

  rivet_store_delete(store); /* frees the functions, the instance and its memory */
  rivet_module_delete(module);
  return 0;
}
