#include "editor.hpp"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "errors.hpp"

namespace fieldbook::app {
namespace {

bool set(const std::optional<std::string>& value) {
    return value && !value->empty();
}

// Removes the temporary file however the editing ends.
struct RemoveOnExit {
    std::string path;
    ~RemoveOnExit() {
        std::error_code ignored;
        std::filesystem::remove(path, ignored);
    }
};

// Runs `sh -c '<command> "$@"' <command> <path>`, git's way: the shell splits the command's
// words and the path is passed as one argument, whatever characters it has. Returns the
// shell's wait status.
int run_in_shell(const std::string& command, const std::string& path) {
    std::string script = command + " \"$@\"";
    pid_t child = ::fork();
    if (child < 0)
        throw SystemError(fmt::format("cannot start the editor: {}", std::strerror(errno)));
    if (child == 0) {
        ::execl("/bin/sh", "sh", "-c", script.c_str(), command.c_str(), path.c_str(),
                static_cast<char*>(nullptr));
        ::_exit(127);
    }
    int status = 0;
    while (::waitpid(child, &status, 0) < 0)
        if (errno != EINTR)
            throw SystemError(fmt::format("waiting for the editor: {}", std::strerror(errno)));
    return status;
}

}  // namespace

std::string editor_command(const Environment& env) {
    if (set(env.visual)) return *env.visual;
    if (set(env.editor)) return *env.editor;
    return "vi";
}

std::string edit_text(const Environment& env, std::string_view what) {
    std::string dir = set(env.tmpdir) ? *env.tmpdir : std::string("/tmp");
    std::string name = dir + "/fieldbook-XXXXXX.txt";
    std::vector<char> buffer(name.begin(), name.end());
    buffer.push_back('\0');
    int fd = ::mkstemps(buffer.data(), 4);
    if (fd < 0)
        throw SystemError(fmt::format("cannot make a temporary file in {} for the {}: {}", dir,
                                      what, std::strerror(errno)));
    ::close(fd);
    RemoveOnExit file{buffer.data()};
    std::string command = editor_command(env);
    int status = run_in_shell(command, file.path);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw UsageError(
            fmt::format("the editor '{}' failed ({}); the {} was not saved", command,
                        WIFEXITED(status) ? fmt::format("exit {}", WEXITSTATUS(status))
                                          : std::string("killed"),
                        what),
            "set VISUAL or EDITOR to an editor that works here, or give the text as an argument");
    std::ifstream in(file.path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace fieldbook::app
