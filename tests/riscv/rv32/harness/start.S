// The process entry and the setjmp/longjmp pair that traps unwind with, for
// a freestanding rv32 program under qemu-riscv32 (no C library).
//
// _start: Linux puts argc at sp, then argv[], NULL, envp[]; HarnessMain
// gets a pointer to argc and returns the exit status, which goes straight
// to the exit system call.
//
// rivet_rv32_setjmp(buffer) saves what the calling convention says a callee
// preserves (ra, sp, s0-s11 and, on hard-float ABIs, fs0-fs11) and returns
// 0; rivet_rv32_longjmp(buffer, value) restores it and returns `value`
// (never 0) from that setjmp again.
#if __riscv_xlen != 32
#error "rv32 only"
#endif

  .text
  .globl _start
  .type _start, @function
_start:
  mv a0, sp
  andi sp, sp, -16
  call HarnessMain
  li a7, 93            // exit
  ecall
1:
  j 1b
  .size _start, .-_start

  .globl rivet_rv32_setjmp
  .type rivet_rv32_setjmp, @function
rivet_rv32_setjmp:
  sw ra, 0(a0)
  sw sp, 4(a0)
  sw s0, 8(a0)
  sw s1, 12(a0)
  sw s2, 16(a0)
  sw s3, 20(a0)
  sw s4, 24(a0)
  sw s5, 28(a0)
  sw s6, 32(a0)
  sw s7, 36(a0)
  sw s8, 40(a0)
  sw s9, 44(a0)
  sw s10, 48(a0)
  sw s11, 52(a0)
#if defined(__riscv_float_abi_double)
  fsd fs0, 56(a0)
  fsd fs1, 64(a0)
  fsd fs2, 72(a0)
  fsd fs3, 80(a0)
  fsd fs4, 88(a0)
  fsd fs5, 96(a0)
  fsd fs6, 104(a0)
  fsd fs7, 112(a0)
  fsd fs8, 120(a0)
  fsd fs9, 128(a0)
  fsd fs10, 136(a0)
  fsd fs11, 144(a0)
#elif defined(__riscv_float_abi_single)
#error "ilp32f is not supported by this harness"
#endif
  li a0, 0
  ret
  .size rivet_rv32_setjmp, .-rivet_rv32_setjmp

  .globl rivet_rv32_longjmp
  .type rivet_rv32_longjmp, @function
rivet_rv32_longjmp:
  lw ra, 0(a0)
  lw sp, 4(a0)
  lw s0, 8(a0)
  lw s1, 12(a0)
  lw s2, 16(a0)
  lw s3, 20(a0)
  lw s4, 24(a0)
  lw s5, 28(a0)
  lw s6, 32(a0)
  lw s7, 36(a0)
  lw s8, 40(a0)
  lw s9, 44(a0)
  lw s10, 48(a0)
  lw s11, 52(a0)
#if defined(__riscv_float_abi_double)
  fld fs0, 56(a0)
  fld fs1, 64(a0)
  fld fs2, 72(a0)
  fld fs3, 80(a0)
  fld fs4, 88(a0)
  fld fs5, 96(a0)
  fld fs6, 104(a0)
  fld fs7, 112(a0)
  fld fs8, 120(a0)
  fld fs9, 128(a0)
  fld fs10, 136(a0)
  fld fs11, 144(a0)
#endif
  seqz a2, a1          // a value of 0 would look like setjmp's own return
  add a0, a1, a2
  ret
  .size rivet_rv32_longjmp, .-rivet_rv32_longjmp
