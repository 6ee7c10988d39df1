#include "loader/module.h"

#include "loader/function_validator.h"

namespace rivet {

std::string_view ValTypeName(ValType type) {
  switch (type) {
    case ValType::kI32: return "i32";
    case ValType::kI64: return "i64";
    case ValType::kF32: return "f32";
    case ValType::kF64: return "f64";
    case ValType::kV128: return "v128";
    case ValType::kFuncRef: return "funcref";
    case ValType::kExternRef: return "externref";
  }
  return "unknown";
}

std::string_view TypeName(ValType type) {
  return type == kUnknownType ? "any" : ValTypeName(type);
}

std::string_view ExternKindName(ExternKind kind) {
  switch (kind) {
    case ExternKind::kFunc: return "function";
    case ExternKind::kTable: return "table";
    case ExternKind::kMemory: return "memory";
    case ExternKind::kGlobal: return "global";
  }
  return "unknown";
}

FuncType::FuncType(std::vector<ValType> params, std::vector<ValType> results)
    : types_(std::move(params)), num_params_(types_.size()) {
  types_.insert(types_.end(), results.begin(), results.end());
}

std::string FuncType::ToString() const {
  auto list = [](std::span<const ValType> types) {
    std::string out = "(";
    for (size_t i = 0; i < types.size(); ++i) {
      if (i) out += ", ";
      out += ValTypeName(types[i]);
    }
    return out + ")";
  };
  return list(params()) + " -> " + list(results());
}

std::string Module::FunctionName(uint32_t func_index) const {
  auto it = names.functions.find(func_index);
  if (it != names.functions.end()) return "$" + it->second + " (#" + std::to_string(func_index) + ")";
  return "#" + std::to_string(func_index);
}

}  // namespace rivet
