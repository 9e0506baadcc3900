#pragma once
// What a harness checks in what a parser returned, beyond not crashing. A failed check aborts,
// which libFuzzer (and the replay) report as a crash, with the input that caused it.
#include <cstdio>
#include <cstdlib>

namespace fieldbook::fuzz {

inline void require(bool holds, const char* what) {
    if (holds) return;
    std::fprintf(stderr, "fuzz: does not hold: %s\n", what);
    std::abort();
}

}  // namespace fieldbook::fuzz
