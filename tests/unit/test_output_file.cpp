#include <doctest/doctest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <string>
#include <vector>

#include "errors.hpp"
#include "output_file.hpp"

namespace fs = std::filesystem;
using fieldbook::OutputFile;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "fb-output-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ~TempDir() { fs::remove_all(path); }
    std::size_t entries() const {
        return static_cast<std::size_t>(
            std::distance(fs::directory_iterator(path), fs::directory_iterator()));
    }
};

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> names(const fs::path& directory) {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(directory))
        out.push_back(entry.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

std::string host_name() {
    char host[256] = {};
    REQUIRE(::gethostname(host, sizeof host - 1) == 0);
    return host;
}

// The id of a process that has ended.
pid_t dead_pid() {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) ::_exit(0);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    return child;
}

void write(OutputFile& file, const std::string& text) {
    std::ostream out(file.buffer());
    out << text;
    out.flush();
}

}  // namespace

TEST_CASE("output file: a new file appears, 0600, only on commit") {
    TempDir dir;
    const fs::path target = dir.path / "visits.csv";
    auto file = OutputFile::open(target);
    write(*file, "id,name\r\n1,成都蓝海\r\n");
    CHECK_FALSE(fs::exists(target));
    CHECK(dir.entries() == 0);  // the temporary has no name: killed now, nothing is left
    file->commit();
    CHECK(read(target) == "id,name\r\n1,成都蓝海\r\n");
    struct stat st {};
    REQUIRE(::stat(target.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(dir.entries() == 1);
}

TEST_CASE("output file: without commit an existing file is untouched and nothing is left") {
    TempDir dir;
    const fs::path target = dir.path / "visits.csv";
    std::ofstream(target) << "old\n";
    {
        auto file = OutputFile::open(target);
        write(*file, "new, but the command failed\n");
    }
    CHECK(read(target) == "old\n");
    CHECK(dir.entries() == 1);
}

TEST_CASE("output file: commit replaces an existing file") {
    TempDir dir;
    const fs::path target = dir.path / "visits.csv";
    std::ofstream(target) << "old\n";
    auto file = OutputFile::open(target);
    write(*file, "new\n");
    file->commit();
    CHECK(read(target) == "new\n");
    CHECK(dir.entries() == 1);
}

TEST_CASE("output file: a symbolic link keeps pointing at the replaced file") {
    TempDir dir;
    const fs::path real = dir.path / "real.csv";
    const fs::path link = dir.path / "link.csv";
    std::ofstream(real) << "old\n";
    fs::create_symlink(real, link);
    auto file = OutputFile::open(link);
    write(*file, "new\n");
    file->commit();
    CHECK(fs::is_symlink(link));
    CHECK(read(real) == "new\n");
}

TEST_CASE("output file: a write error is reported with the file and the reason") {
    if (!fs::exists("/dev/full")) return;
    auto file = OutputFile::open("/dev/full");
    write(*file, "data\n");
    CHECK_THROWS_WITH_AS(file->commit(), "cannot write /dev/full: No space left on device",
                         fieldbook::SystemError);
}

TEST_CASE("output file: a directory that does not exist") {
    TempDir dir;
    CHECK_THROWS_AS(OutputFile::open(dir.path / "missing" / "x.csv"), fieldbook::SystemError);
    CHECK(dir.entries() == 0);
}

TEST_CASE("output file: without O_TMPFILE the temporary is named by host and process") {
    TempDir dir;
    const fs::path target = dir.path / "visits.csv";
    std::ofstream(target) << "old\n";
    auto file = OutputFile::open(target, OutputFile::Temporary::named);
    write(*file, "new\n");
    const auto during = names(dir.path);
    REQUIRE(during.size() == 2);
    const std::string prefix =
        ".visits.csv." + host_name() + "." + std::to_string(::getpid()) + ".";
    CHECK(during[0].rfind(prefix, 0) == 0);
    CHECK(during[0].size() == prefix.size() + 6);
    struct stat st {};
    REQUIRE(::stat((dir.path / during[0]).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(read(target) == "old\n");
    file->commit();
    CHECK(names(dir.path) == std::vector<std::string>{"visits.csv"});
    CHECK(read(target) == "new\n");
}

TEST_CASE("output file: temporaries whose process is gone are removed, no others") {
    TempDir dir;
    const std::string host = host_name();
    const std::string dead = std::to_string(dead_pid());
    const std::string alive = std::to_string(::getppid());
    const std::string self = std::to_string(::getpid());
    const std::vector<std::string> kept = {
        ".visits.csv." + host + "." + alive + ".aB3xY9",  // a concurrent export, running
        ".visits.csv." + host + "." + self + ".aB3xY9",   // this process's own
        ".visits.csv.otherhost." + dead + ".aB3xY9",      // another host's: its PIDs are not ours
        ".report.csv." + host + "." + dead + ".aB3xY9",   // another target's
        ".visits.csv." + host + "." + dead + ".aB3xY",    // not the exact form
        ".visits.csv." + host + "." + dead + ".aB3xY9.bak",
        ".visits.csv." + host + ".x" + dead + ".aB3xY9",
        ".visits.csv.Ab12Cd",  // an earlier version's: no process
        "visits.csv",
    };
    for (const auto& name : kept) std::ofstream(dir.path / name) << "x";
    std::ofstream(dir.path / (".visits.csv." + host + "." + dead + ".Zz0Zz0")) << "partial";
    std::ofstream(dir.path / (".visits.csv." + host + "." + dead + ".q1w2e3")) << "partial";

    for (auto temporary : {OutputFile::Temporary::unnamed, OutputFile::Temporary::named}) {
        auto file = OutputFile::open(dir.path / "visits.csv", temporary);
        write(*file, "new\n");
        file->commit();
        auto expected = kept;
        std::sort(expected.begin(), expected.end());
        CHECK(names(dir.path) == expected);
    }
    CHECK(read(dir.path / "visits.csv") == "new\n");
}

TEST_CASE("output file: an unnamed temporary replaces an existing file only on commit") {
    TempDir dir;
    const fs::path target = dir.path / "visits.csv";
    std::ofstream(target) << "old\n";
    {
        auto file = OutputFile::open(target);
        write(*file, std::string(200000, 'x'));
        CHECK(names(dir.path) == std::vector<std::string>{"visits.csv"});
        CHECK(read(target) == "old\n");
    }
    CHECK(read(target) == "old\n");
    auto file = OutputFile::open(target);
    write(*file, "new\n");
    file->commit();
    CHECK(read(target) == "new\n");
    CHECK(names(dir.path) == std::vector<std::string>{"visits.csv"});
    struct stat st {};
    REQUIRE(::stat(target.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
}
