#include "loader/helpers/wasm_ops_ir.h"

#include <string>
#include <vector>

namespace rivet::helpers {
namespace {

// Appends one function per operation, numbering them so names never clash.
class IrWriter {
 public:
  // `params` are the parameter types; the body uses %p0, %p1, ... and must
  // end by computing %r of type `result`.
  void Function(const std::string& result, const std::vector<std::string>& params,
                const std::string& body) {
    text_ += "define " + result + " @op" + std::to_string(count_++) + "(";
    for (size_t i = 0; i < params.size(); ++i) {
      if (i != 0) text_ += ", ";
      text_ += params[i] + " %p" + std::to_string(i);
    }
    text_ += ") {\n" + body + "  ret " + result + " %r\n}\n\n";
  }

  void Declare(const std::string& declaration) { text_ += "declare " + declaration + "\n"; }

  std::string Take() { return std::move(text_); }

 private:
  std::string text_;
  int count_ = 0;
};

// "i32" -> "i32"; "<4 x float>" -> "v4f32": the suffix of an overloaded
// intrinsic's name for that type.
std::string Mangle(const std::string& type) {
  if (type[0] != '<') {
    if (type == "float") return "f32";
    if (type == "double") return "f64";
    return type;
  }
  // "<N x T>"
  size_t x = type.find(" x ");
  std::string lanes = type.substr(1, x - 1);
  std::string element = type.substr(x + 3, type.size() - x - 4);
  return "v" + lanes + Mangle(element);
}

// The type with the same lane count and `element` lanes: ("<4 x float>",
// "i1") -> "<4 x i1>"; scalars map to scalars.
std::string WithElement(const std::string& type, const std::string& element) {
  if (type[0] != '<') return element;
  size_t x = type.find(" x ");
  return type.substr(0, x + 3) + element + ">";
}

void IntegerOperations(IrWriter& ir) {
  const std::vector<std::string> types = {"i32",       "i64",       "<4 x i32>",
                                          "<2 x i64>", "<8 x i16>", "<16 x i8>"};
  for (const std::string& t : types) {
    const std::string m = Mangle(t);
    for (const char* op : {"add", "sub", "mul", "sdiv", "udiv", "srem", "urem", "shl", "lshr",
                           "ashr", "and", "or", "xor"}) {
      ir.Function(t, {t, t}, std::string("  %r = ") + op + " " + t + " %p0, %p1\n");
    }
    // Division and multiplication by constants, which backends turn into
    // multiply-high sequences (and those into wider multiplies).
    if (t[0] != '<') {
      for (const char* constant : {"10", "7", "-3", "12345"}) {
        for (const char* op : {"mul", "sdiv", "udiv", "srem", "urem"}) {
          ir.Function(t, {t}, std::string("  %r = ") + op + " " + t + " %p0, " + constant + "\n");
        }
      }
    }
    // Rotates, as wasm's rotl/rotr become funnel shifts of a value with itself.
    for (const char* funnel : {"fshl", "fshr"}) {
      std::string name = std::string("@llvm.") + funnel + "." + m;
      ir.Declare(t + " " + name + "(" + t + ", " + t + ", " + t + ")");
      ir.Function(t, {t, t}, "  %r = call " + t + " " + name + "(" + t + " %p0, " + t + " %p0, " +
                                 t + " %p1)\n");
    }
    for (const char* count : {"ctlz", "cttz"}) {
      std::string name = std::string("@llvm.") + count + "." + m;
      ir.Declare(t + " " + name + "(" + t + ", i1)");
      ir.Function(t, {t}, "  %r = call " + t + " " + name + "(" + t + " %p0, i1 false)\n");
    }
    ir.Declare(t + " @llvm.ctpop." + m + "(" + t + ")");
    ir.Function(t, {t}, "  %r = call " + t + " @llvm.ctpop." + m + "(" + t + " %p0)\n");
    ir.Declare(t + " @llvm.abs." + m + "(" + t + ", i1)");
    ir.Function(t, {t}, "  %r = call " + t + " @llvm.abs." + m + "(" + t + " %p0, i1 false)\n");
    for (const char* binary : {"smin", "smax", "umin", "umax", "sadd.sat", "uadd.sat", "ssub.sat",
                               "usub.sat"}) {
      std::string name = std::string("@llvm.") + binary + "." + m;
      ir.Declare(t + " " + name + "(" + t + ", " + t + ")");
      ir.Function(t, {t, t}, "  %r = call " + t + " " + name + "(" + t + " %p0, " + t + " %p1)\n");
    }
  }
  // Extending multiplies (i64x2.extmul, i64.mul of extended i32) and the
  // 64-bit products of 32-bit values that 32-bit cores form in pieces.
  ir.Function("i64", {"i32", "i32"},
              "  %a = sext i32 %p0 to i64\n  %b = sext i32 %p1 to i64\n  %r = mul i64 %a, %b\n");
  ir.Function("i64", {"i32", "i32"},
              "  %a = zext i32 %p0 to i64\n  %b = zext i32 %p1 to i64\n  %r = mul i64 %a, %b\n");
  ir.Function("<2 x i64>", {"<2 x i32>", "<2 x i32>"},
              "  %a = sext <2 x i32> %p0 to <2 x i64>\n  %b = sext <2 x i32> %p1 to <2 x i64>\n"
              "  %r = mul <2 x i64> %a, %b\n");
}

void FloatOperations(IrWriter& ir, const WasmIrOptions& options) {
  const std::vector<std::string> types = {"float", "double", "<4 x float>", "<2 x double>"};
  const char* predicates[] = {"oeq", "one", "olt", "ole", "ogt", "oge", "ord",
                              "uno", "ueq", "une", "ult", "ule", "ugt", "uge"};
  for (const std::string& t : types) {
    const std::string m = Mangle(t);
    for (const char* op : {"fadd", "fsub", "fmul", "fdiv"}) {
      ir.Function(t, {t, t}, std::string("  %r = ") + op + " " + t + " %p0, %p1\n");
    }
    ir.Function(t, {t}, "  %r = fneg " + t + " %p0\n");
    for (const char* unary : {"sqrt", "fabs", "ceil", "floor", "trunc", "nearbyint", "rint",
                              "roundeven", "round"}) {
      std::string name = std::string("@llvm.") + unary + "." + m;
      ir.Declare(t + " " + name + "(" + t + ")");
      ir.Function(t, {t}, "  %r = call " + t + " " + name + "(" + t + " %p0)\n");
    }
    const bool in_hardware =
        t.find("double") != std::string::npos ? options.f64_in_hardware : options.f32_in_hardware;
    for (const char* binary : {"minimum", "maximum", "minnum", "maxnum", "copysign"}) {
      // LLVM 19 aborts ("Do not know how to soften the result of this
      // operator") on llvm.minimum/maximum of a type it must soften.
      const std::string op = binary;
      if (!in_hardware && (op == "minimum" || op == "maximum")) continue;
      std::string name = std::string("@llvm.") + binary + "." + m;
      ir.Declare(t + " " + name + "(" + t + ", " + t + ")");
      ir.Function(t, {t, t}, "  %r = call " + t + " " + name + "(" + t + " %p0, " + t + " %p1)\n");
    }
    // relaxed_madd/nmadd, which the compiler may leave unfused.
    ir.Declare(t + " @llvm.fmuladd." + m + "(" + t + ", " + t + ", " + t + ")");
    ir.Function(t, {t, t, t},
                "  %r = call " + t + " @llvm.fmuladd." + m + "(" + t + " %p0, " + t + " %p1, " + t +
                    " %p2)\n");
    const std::string bools = WithElement(t, "i1");
    const std::string ints = WithElement(t, t.find("double") != std::string::npos ? "i64" : "i32");
    for (const char* predicate : predicates) {
      ir.Function(ints, {t, t},
                  std::string("  %c = fcmp ") + predicate + " " + t + " %p0, %p1\n  %r = sext " +
                      bools + " %c to " + ints + "\n");
    }
    // pmin/pmax: a select on a comparison.
    ir.Function(t, {t, t},
                "  %c = fcmp olt " + t + " %p1, %p0\n  %r = select " + bools + " %c, " + t +
                    " %p1, " + t + " %p0\n");
    // Conversions to and from integers of both widths, trapping (the
    // compiler range-checks first) and saturating; on <2 x double> the i32
    // forms are i32x4.trunc_sat_f64x2_s_zero and f64x2.convert_low_i32x4.
    for (const char* int_element : {"i32", "i64"}) {
      const std::string it = WithElement(t, int_element);
      const std::string im = Mangle(it);
      for (const char* op : {"fptosi", "fptoui"}) {
        ir.Function(it, {t}, std::string("  %r = ") + op + " " + t + " %p0 to " + it + "\n");
        std::string name = std::string("@llvm.") + op + ".sat." + im + "." + m;
        ir.Declare(it + " " + name + "(" + t + ")");
        ir.Function(it, {t}, "  %r = call " + it + " " + name + "(" + t + " %p0)\n");
      }
      for (const char* op : {"sitofp", "uitofp"}) {
        ir.Function(t, {it}, std::string("  %r = ") + op + " " + it + " %p0 to " + t + "\n");
      }
    }
  }
  ir.Function("double", {"float"}, "  %r = fpext float %p0 to double\n");
  ir.Function("float", {"double"}, "  %r = fptrunc double %p0 to float\n");
  ir.Function("<2 x double>", {"<2 x float>"}, "  %r = fpext <2 x float> %p0 to <2 x double>\n");
  ir.Function("<2 x float>", {"<2 x double>"}, "  %r = fptrunc <2 x double> %p0 to <2 x float>\n");
  ir.Function("i32", {"float"}, "  %r = bitcast float %p0 to i32\n");
  ir.Function("double", {"i64"}, "  %r = bitcast i64 %p0 to double\n");
}

void AtomicOperations(IrWriter& ir) {
  for (const char* t : {"i8", "i16", "i32", "i64"}) {
    const std::string type = t;
    const std::string align = type == "i8" ? "1" : type == "i16" ? "2" : type == "i32" ? "4" : "8";
    for (const char* order : {"seq_cst", "monotonic"}) {
      ir.Function(type, {"ptr"},
                  "  %r = load atomic " + type + ", ptr %p0 " + order + ", align " + align + "\n");
      ir.Function("i32", {"ptr", type},
                  "  store atomic " + type + " %p1, ptr %p0 " + order + ", align " + align +
                      "\n  %r = add i32 0, 0\n");
      for (const char* rmw : {"xchg", "add", "sub", "and", "or", "xor", "nand", "max", "min",
                              "umax", "umin"}) {
        ir.Function(type, {"ptr", type},
                    std::string("  %r = atomicrmw ") + rmw + " ptr %p0, " + type + " %p1 " +
                        order + ", align " + align + "\n");
      }
      ir.Function(type, {"ptr", type, type},
                  "  %pair = cmpxchg ptr %p0, " + type + " %p1, " + type + " %p2 " + order + " " +
                      order + ", align " + align + "\n  %r = extractvalue { " + type +
                      ", i1 } %pair, 0\n");
    }
  }
  ir.Function("i32", {}, "  fence seq_cst\n  %r = add i32 0, 0\n");
}

void MemoryOperations(IrWriter& ir, const WasmIrOptions& options) {
  const std::string size = "i" + std::to_string(options.pointer_bits);
  ir.Declare("void @llvm.memcpy.p0.p0." + size + "(ptr, ptr, " + size + ", i1)");
  ir.Declare("void @llvm.memmove.p0.p0." + size + "(ptr, ptr, " + size + ", i1)");
  ir.Declare("void @llvm.memset.p0." + size + "(ptr, i8, " + size + ", i1)");
  for (const char* length : {"%p2", "4096"}) {
    ir.Function("i32", {"ptr", "ptr", size},
                "  call void @llvm.memcpy.p0.p0." + size + "(ptr %p0, ptr %p1, " + size + " " +
                    length + ", i1 false)\n  %r = add i32 0, 0\n");
    ir.Function("i32", {"ptr", "ptr", size},
                "  call void @llvm.memmove.p0.p0." + size + "(ptr %p0, ptr %p1, " + size + " " +
                    length + ", i1 false)\n  %r = add i32 0, 0\n");
    ir.Function("i32", {"ptr", "i8", size},
                "  call void @llvm.memset.p0." + size + "(ptr %p0, i8 %p1, " + size + " " +
                    length + ", i1 false)\n  %r = add i32 0, 0\n");
  }
}

}  // namespace

std::string WasmOperationsIr(const WasmIrOptions& options) {
  IrWriter ir;
  IntegerOperations(ir);
  FloatOperations(ir, options);
  AtomicOperations(ir);
  MemoryOperations(ir, options);
  return ir.Take();
}

}  // namespace rivet::helpers
