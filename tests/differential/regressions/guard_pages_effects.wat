;; Code compiled with --bounds-checks=guard-pages has no bounds checks: the
;; fault of an out-of-bounds access is the trap. Found by tests/differential
;; (seed 1508 and 27 others, -O2 guard pages): LLVM deleted loads whose value
;; was unused, so they did not trap, and moved stores of memory and globals
;; across a faulting access, so memory and globals after the trap differed.
;; Fixed by making accesses and global stores volatile in that mode
;; (aot/function_translator.cc, Load, Store and global.set).
;;
;; expect: dead_load() => error
;; expect: dead_load_v128() => error
;; expect: store_trap_store() => error
;; expect: peek() => i32:1
;; expect: global_trap_global() => error
;; expect: global() => i32:3
(module
  (memory 1)
  (global $g (mut i32) (i32.const 0))
  (func (export "dead_load") (result i32)
    i32.const 70000
    i32.load8_u
    drop
    i32.const 1)
  (func (export "dead_load_v128")
    i32.const 65530
    v128.load
    drop)
  ;; The load between the two stores to 8 traps: memory must then hold the
  ;; first store's value, not the second's, and not the old one.
  (func (export "store_trap_store")
    i32.const 8
    i32.const 1
    i32.store
    i32.const 0
    i32.const 70000
    i32.load
    i32.store
    i32.const 8
    i32.const 2
    i32.store)
  (func (export "peek") (result i32)
    i32.const 8
    i32.load)
  (func (export "global_trap_global")
    i32.const 3
    global.set $g
    i32.const 70000
    i32.load
    global.set $g)
  (func (export "global") (result i32)
    global.get $g))
