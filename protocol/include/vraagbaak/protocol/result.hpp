#pragma once
// Result<T, E>: a value or an error, used at every layer boundary instead of exceptions.
// A tiny stand-in for C++23 std::expected.

#include <cassert>
#include <utility>
#include <variant>

namespace vraagbaak {

template <typename E>
struct Failure {
    E error;
};

template <typename E>
Failure<E> fail(E error) {
    return Failure<E>{std::move(error)};
}

template <typename T, typename E>
class Result {
public:
    Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
    Result(Failure<E> failure)                                              // NOLINT
        : state_(std::in_place_index<1>, std::move(failure.error)) {}

    bool ok() const { return state_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { assert(ok()); return std::get<0>(state_); }
    const T& value() const& { assert(ok()); return std::get<0>(state_); }
    T&& value() && { assert(ok()); return std::get<0>(std::move(state_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const E& error() const { assert(!ok()); return std::get<1>(state_); }
    E& error() { assert(!ok()); return std::get<1>(state_); }

private:
    std::variant<T, E> state_;
};

}  // namespace vraagbaak
