// toml++'s implementation, compiled into a fuzzing build in place of the shared library, so
// that it is instrumented like the code that calls it.
#define TOML_IMPLEMENTATION
#include <toml++/toml.h>
