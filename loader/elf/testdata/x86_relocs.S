// x86-64 relocations that C at -O2 does not produce, each written with
// .reloc so that the type is exactly the one named (the assembler would
// otherwise pick the relaxable variants or PLT32). Used by
// aot_image_x86_64_test.cc.
        .text

// long asm_got_load(void): rivet_test_counter's value, read through its GOT
// slot with R_X86_64_GOTPCREL.
        .globl asm_got_load
        .type asm_got_load, @function
        .p2align 4
asm_got_load:
        .byte 0x48, 0x8b, 0x05          // movq disp32(%rip), %rax
        .reloc ., R_X86_64_GOTPCREL, rivet_test_counter - 4
        .long 0
        movq (%rax), %rax
        ret
        .size asm_got_load, . - asm_got_load

// long asm_call_via_got(long a, long b): rivet_test_far_add(a, b), called
// through its GOT slot with R_X86_64_GOTPCRELX.
        .globl asm_call_via_got
        .type asm_call_via_got, @function
        .p2align 4
asm_call_via_got:
        subq $8, %rsp
        .byte 0xff, 0x15                // call *disp32(%rip)
        .reloc ., R_X86_64_GOTPCRELX, rivet_test_far_add - 4
        .long 0
        addq $8, %rsp
        ret
        .size asm_call_via_got, . - asm_call_via_got

// long asm_call_pc32(long a, long b): rivet_test_far_mul(a, b), a call with
// R_X86_64_PC32 (not PLT32): it too must go through a stub when far.
        .globl asm_call_pc32
        .type asm_call_pc32, @function
        .p2align 4
asm_call_pc32:
        subq $8, %rsp
        .byte 0xe8                      // call rel32
        .reloc ., R_X86_64_PC32, rivet_test_far_mul - 4
        .long 0
        addq $8, %rsp
        ret
        .size asm_call_pc32, . - asm_call_pc32

// int asm_pc64_target(void): returns 42; asm_pc64_field holds its distance.
        .globl asm_pc64_target
        .type asm_pc64_target, @function
        .p2align 4
asm_pc64_target:
        movl $42, %eax
        ret
        .size asm_pc64_target, . - asm_pc64_target

        .section .rodata.asm_pc64, "a", @progbits
        .p2align 3
        .globl asm_pc64_field
asm_pc64_field:
        .reloc ., R_X86_64_PC64, asm_pc64_target
        .quad 0
        .globl asm_abs64_field
asm_abs64_field:
        .quad asm_pc64_target + 16      // R_X86_64_64 with an addend

        .section .note.GNU-stack, "", @progbits
