// A small error-or-value type for rivet's portable core.
//
// The runtime, loader and interpreter build from the C++ standard library
// alone (they must run on riscv64 builds where Abseil is not available), so
// they report failures with this type instead of absl::StatusOr. Host-only
// code converts at its boundary.
#ifndef RIVET_LOADER_RESULT_H_
#define RIVET_LOADER_RESULT_H_

#include <string>
#include <utility>
#include <variant>

namespace rivet {

// What went wrong, as a sentence a user can act on. Decoder errors carry the
// byte offset and the section or function in the text itself, so that every
// consumer prints the same message.
struct Error {
  std::string message;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

// Result<void>: success carries nothing.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool failed_ = false;
};

using Status = Result<void>;

}  // namespace rivet

#endif  // RIVET_LOADER_RESULT_H_
