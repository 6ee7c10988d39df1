// RISC-V relocations that compiled C does not produce, or not reliably:
// CALL (the deprecated non-PLT type), JAL to an external symbol, BRANCH and
// JAL across sections, RVC_BRANCH/RVC_JUMP, HI20/LO12_S, PCREL_LO12_S,
// GOT_HI20, the ADD/SUB pairs and SET_ULEB128/SUB_ULEB128 of label
// differences, 32_PCREL, SET6/SUB6/SET8/SET16/SET32, 32 and 64. Assembled with
// -mrelax, so the assembler emits RELAX and ALIGN too, and cannot fold label
// differences across relaxable calls.
#if __riscv_xlen == 64
#define LOAD_PTR ld
#define PTR .quad
#else
#define LOAD_PTR lw
#define PTR .word
#endif

        .text
        .globl asm_entry
        .type asm_entry, @function
asm_entry:
        // Uncompressed, so that the JALR completing R_RISCV_CALL is 4 bytes
        // and the offsets below are fixed (the stub test decodes them).
        .option push
        .option norvc
        .reloc ., R_RISCV_CALL, rivet_ext_call
        auipc ra, 0
        jalr ra, 0(ra)
        call rivet_ext_call
        jal rivet_ext_jal
        .option pop
.Lgot:  auipc a0, %got_pcrel_hi(rivet_ext_var)
        LOAD_PTR a0, %pcrel_lo(.Lgot)(a0)
.Lpcrel:
        auipc a1, %pcrel_hi(asm_data_word)
        lw a2, %pcrel_lo(.Lpcrel)(a1)
        sw a2, %pcrel_lo(.Lpcrel)(a1)
        lui a3, %hi(asm_data_word)
        addi a5, a3, %lo(asm_data_word)
        lw a4, %lo(asm_data_word)(a3)
        sw a4, %lo(asm_data_word)(a3)
        // The assembler would turn branches to another section into
        // branch-over-jump sequences, so these are raw encodings with the
        // relocation named explicitly.
        .reloc ., R_RISCV_BRANCH, asm_other
        .4byte 0x00b50063  // beq a0, a1, .
        j asm_other
        .reloc ., R_RISCV_RVC_BRANCH, asm_other
        .2byte 0xc101      // c.beqz a0, .
        .reloc ., R_RISCV_RVC_JUMP, asm_other
        .2byte 0xa001      // c.j .
.Lstart:
        call rivet_ext_call
#ifdef WITH_ALIGN
        // Padding that relaxation would shrink; the loader keeps it whole
        // (lld removes the excess, so this variant is not compared with lld).
        .p2align 4
#endif
.Lend:
        ret
        .size asm_entry, . - asm_entry

        .section .text.other, "ax", @progbits
        .globl asm_other
        .type asm_other, @function
asm_other:
        ret
        .size asm_other, . - asm_other

        // A COMDAT group (SHT_GROUP), as C++ inline functions produce: a lone
        // object keeps its members and ignores the group section.
        .section .text.asm_comdat, "axG", @progbits, asm_comdat, comdat
        .globl asm_comdat
        .type asm_comdat, @function
asm_comdat:
        ret
        .size asm_comdat, . - asm_comdat

        .data
        .globl asm_data_word
        .p2align 3
asm_data_word:
        .word 0x12345678
        .byte .Lend - .Lstart
        .half .Lend - .Lstart
        .word .Lend - .Lstart
        .quad .Lend - .Lstart
        .uleb128 .Lend - .Lstart
        .uleb128 .Lend - asm_entry + 200
        .word asm_other - .
        .reloc ., R_RISCV_32_PCREL, asm_other + 6
        .word 0
        .reloc ., R_RISCV_SET6, asm_other + 3
        .byte 0xc0
        .reloc ., R_RISCV_SET6, asm_other + 9
        .reloc ., R_RISCV_SUB6, asm_entry
        .byte 0x40
        .reloc ., R_RISCV_SET8, asm_other + 1
        .byte 0
        .reloc ., R_RISCV_SET16, asm_other + 2
        .half 0
        .reloc ., R_RISCV_SET32, asm_other + 4
        .word 0
        .word asm_other + 12
        .word asm_comdat
        PTR asm_entry
#if __riscv_xlen == 64
        .quad rivet_ext_call + 8
#endif
