// Wasm values as command-line text: parsing arguments and printing results.
#ifndef RIVET_CLI_VALUE_TEXT_H_
#define RIVET_CLI_VALUE_TEXT_H_

#include <string>
#include <string_view>

#include "loader/module.h"
#include "loader/result.h"
#include "runtime/store.h"

namespace rivet::cli {

// Parses `text` as a value of `type` into slots (appended to `out`):
// integers in decimal (signed or unsigned) or 0x hex, floats in any form
// strtod reads plus nan, inf and -inf, references as "null".
Status ParseValue(std::string_view text, ValType type, std::vector<Slot>& out);

// Integers in signed decimal; floats in the shortest form that reads back
// to the same bits ("nan", "inf", "-inf", "-0"); v128 as two hex halves;
// references as "null" or "ref".
std::string FormatValue(ValType type, const Slot* slots);

}  // namespace rivet::cli

#endif  // RIVET_CLI_VALUE_TEXT_H_
