#pragma once
// Writing a longer text in the user's editor, as git has a commit message written.
#include <string>
#include <string_view>

#include "context.hpp"

namespace fieldbook::app {

// The editor to run: $VISUAL, then $EDITOR, then vi (git's order), as found in `env`.
std::string editor_command(const Environment& env);

// Opens the editor on a new temporary file (in $TMPDIR, else /tmp) and returns what was saved
// in it, the file removed. The command is run by the shell with the file as its argument, so
// that an editor with options ("code --wait") works. `what` names the text in messages. An
// editor that cannot be started or exits with an error is a UsageError: nothing is written.
std::string edit_text(const Environment& env, std::string_view what);

}  // namespace fieldbook::app
