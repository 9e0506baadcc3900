#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <string>

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
    CHECK(dir.entries() == 1);  // the temporary, beside the target
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
