#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "errors.hpp"
#include "store/damage_mark.hpp"
#include "store/pending_file.hpp"

namespace fs = std::filesystem;
using fieldbook::store::PendingFile;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "fb-pending-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ~TempDir() { fs::remove_all(path); }
    std::vector<std::string> names() const {
        std::vector<std::string> out;
        for (const auto& entry : fs::directory_iterator(path))
            out.push_back(entry.path().filename().string());
        std::sort(out.begin(), out.end());
        return out;
    }
};

void put(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("pending file: the target appears, 0600, only on commit") {
    TempDir dir;
    const fs::path target = dir.path / "copy.db";
    {
        PendingFile pending(target);
        put(pending.path(), "whole");
        CHECK_FALSE(fs::exists(target));
        CHECK(pending.path().parent_path() == dir.path);
        CHECK(pending.commit());
    }
    CHECK(read(target) == "whole");
    struct stat st {};
    REQUIRE(::stat(target.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(dir.names() == std::vector<std::string>{"copy.db"});
}

TEST_CASE("pending file: without commit nothing is left") {
    TempDir dir;
    {
        PendingFile pending(dir.path / "copy.db");
        put(pending.path(), "half");
        put(pending.path().string() + "-journal", "journal");
    }
    CHECK(dir.names().empty());
}

TEST_CASE("pending file: a target that appeared meanwhile is kept") {
    TempDir dir;
    const fs::path target = dir.path / "copy.db";
    {
        PendingFile pending(target);
        put(pending.path(), "mine");
        put(target, "theirs");
        CHECK_FALSE(pending.commit());
    }
    CHECK(read(target) == "theirs");
    CHECK(dir.names() == std::vector<std::string>{"copy.db"});
}

TEST_CASE("pending file: temporaries of dead runs go, those of live runs and other names stay") {
    TempDir dir;
    const fs::path target = dir.path / "copy.db";
    // A run killed half-way: its temporary and SQLite's journal beside it, no lock held.
    const fs::path dead = dir.path / ".copy.db.fieldbook-partial-Abc123";
    put(dead, "half");
    put(dead.string() + "-journal", "journal");
    const fs::path other = dir.path / ".other.db.fieldbook-partial-Xyz789";
    put(other, "another target's");
    PendingFile live(target);
    PendingFile next(target);
    std::vector<std::string> names = dir.names();
    CHECK(std::find(names.begin(), names.end(), dead.filename().string()) == names.end());
    CHECK(std::find(names.begin(), names.end(), dead.filename().string() + "-journal") ==
          names.end());
    CHECK(fs::exists(live.path()));
    CHECK(fs::exists(next.path()));
    CHECK(fs::exists(other));
}

TEST_CASE("pending file: a directory that cannot take it is named with the reason") {
    TempDir dir;
    try {
        PendingFile pending(dir.path / "nodir" / "copy.db");
        FAIL("no error");
    } catch (const fieldbook::SystemError& e) {
        std::string what = e.what();
        CHECK(what.find("copy.db") != std::string::npos);
        CHECK(what.find("directory " + (dir.path / "nodir").string() + " does not exist") !=
              std::string::npos);
    }
}

TEST_CASE("damage mark: applies to its file only, not to one moved into its place") {
    TempDir dir;
    const fs::path store = dir.path / "fb.db";
    put(store, "damaged");
    CHECK_FALSE(fieldbook::store::find_damage_mark(store));
    fieldbook::store::mark_damaged(store, "database disk image is malformed");
    auto mark = fieldbook::store::find_damage_mark(store);
    REQUIRE(mark);
    CHECK(mark->reason == "database disk image is malformed");
    struct stat st {};
    REQUIRE(::stat(mark->file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    // A second report keeps the first mark.
    fieldbook::store::mark_damaged(store, "file is not a database");
    CHECK(fieldbook::store::find_damage_mark(store)->reason == "database disk image is malformed");

    const fs::path recovered = dir.path / "recovered.db";
    put(recovered, "sound");
    fs::rename(recovered, store);
    CHECK_FALSE(fieldbook::store::find_damage_mark(store));
    CHECK_FALSE(fs::exists(fieldbook::store::damage_mark_path(store)));
}
