#include "render/xlsx.hpp"

#include <fmt/format.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "errors.hpp"
#include "render/spreadsheet.hpp"
#include "text/unicode.hpp"

namespace fieldbook::render {
namespace {

// Excel measures columns in characters of its default font; a CJK character takes two.
constexpr int kMinWidth = 4;
constexpr int kMaxWidth = 60;

int widest_line(std::string_view s) {
    int widest = 0;
    std::size_t start = 0;
    while (start <= s.size()) {
        std::size_t end = s.find('\n', start);
        if (end == std::string_view::npos) end = s.size();
        widest = std::max(widest, text::display_width(s.substr(start, end - start)));
        start = end + 1;
    }
    return widest;
}

bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Text as a workbook stores it. Office Open XML reads "_xHHHH_" as an escaped character (the
// library writes a carriage return as _x000D_), so a literal one in the data has its
// underscore escaped as _x005F_ to come back as typed. XML 1.0 cannot carry most C0
// controls; stored text holds none, and dropping one beats a workbook Excel refuses to open.
std::string ooxml_text(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;
        if (c == '_' && i + 6 < s.size() && s[i + 1] == 'x' && is_hex(s[i + 2]) &&
            is_hex(s[i + 3]) && is_hex(s[i + 4]) && is_hex(s[i + 5]) && s[i + 6] == '_') {
            out += "_x005F_";
            continue;
        }
        out += c;
    }
    return out;
}

void check(lxw_error error) {
    if (error != LXW_NO_ERROR) throw Error(fmt::format("xlsx: {}", lxw_strerror(error)));
}

// libxlsxwriter 1.1 writes only to a named file. It gets an anonymous memory file, reached
// through /proc, so that the finished bytes go to the same stream as every other format (and
// with it the --output rules), and no scratch file with customer data is ever on disk.
class XlsxWriter final : public RowWriter {
  public:
    explicit XlsxWriter(std::ostream& out) : out_(out) {}

    ~XlsxWriter() override {
        // A listing cut short by an error: the library frees the workbook only when closing.
        if (workbook_ != nullptr) workbook_close(workbook_);
        if (memory_ >= 0) ::close(memory_);
    }

    XlsxWriter(const XlsxWriter&) = delete;
    XlsxWriter& operator=(const XlsxWriter&) = delete;

    void begin(const std::vector<Column>& columns) override {
        if (workbook_ != nullptr || memory_ >= 0)
            throw std::logic_error("an xlsx workbook holds one listing");
        columns_ = columns;
        memory_ = ::memfd_create("fieldbook-xlsx", MFD_CLOEXEC);
        if (memory_ < 0)
            throw SystemError(fmt::format("cannot build the xlsx workbook: {}",
                                          std::generic_category().message(errno)));
        const std::string path = fmt::format("/proc/self/fd/{}", memory_);
        workbook_ = workbook_new(path.c_str());
        if (workbook_ == nullptr) throw SystemError("cannot build the xlsx workbook");
        sheet_ = workbook_add_worksheet(workbook_, nullptr);
        bold_ = workbook_add_format(workbook_);
        format_set_bold(bold_);
        date_ = workbook_add_format(workbook_);
        format_set_num_format(date_, "yyyy-mm-dd");

        widths_.clear();
        for (std::size_t i = 0; i < columns_.size(); ++i) {
            check(worksheet_write_string(sheet_, 0, column(i), ooxml_text(columns_[i].name).c_str(),
                                         bold_));
            widths_.push_back(widest_line(columns_[i].name));
        }
        worksheet_freeze_panes(sheet_, 1, 0);
        row_ = 1;
    }

    void row(const Row& cells) override {
        if (cells.size() != columns_.size()) {
            throw std::logic_error(fmt::format("row has {} cells but the listing has {} columns",
                                               cells.size(), columns_.size()));
        }
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (!cells[i]) continue;
            const std::string& text = *cells[i];
            widths_[i] = std::max(widths_[i], widest_line(text));
            if (columns_[i].numeric) {
                if (auto number = plain_number(text)) {
                    check(worksheet_write_number(sheet_, row_, column(i), *number, nullptr));
                    continue;
                }
            }
            if (auto day = iso_date(text)) {
                lxw_datetime when{.year = static_cast<int>(day->year()),
                                  .month = static_cast<int>(static_cast<unsigned>(day->month())),
                                  .day = static_cast<int>(static_cast<unsigned>(day->day())),
                                  .hour = 0,
                                  .min = 0,
                                  .sec = 0};
                check(worksheet_write_datetime(sheet_, row_, column(i), &when, date_));
                continue;
            }
            check(
                worksheet_write_string(sheet_, row_, column(i), ooxml_text(text).c_str(), nullptr));
        }
        ++row_;
    }

    void end() override {
        if (workbook_ == nullptr) throw std::logic_error("xlsx end() without begin()");
        for (std::size_t i = 0; i < widths_.size(); ++i) {
            const int width = std::clamp(widths_[i] + 2, kMinWidth, kMaxWidth);
            check(worksheet_set_column(sheet_, column(i), column(i), width, nullptr));
        }
        lxw_workbook* workbook = workbook_;
        workbook_ = nullptr;
        if (const lxw_error error = workbook_close(workbook); error != LXW_NO_ERROR)
            throw SystemError(
                fmt::format("cannot build the xlsx workbook: {}", lxw_strerror(error)));
        copy_out();
    }

  private:
    static lxw_col_t column(std::size_t i) {
        if (i > LXW_COL_MAX - 1) throw Error("xlsx: too many columns for a worksheet");
        return static_cast<lxw_col_t>(i);
    }

    void copy_out() {
        std::array<char, 65536> chunk{};
        off_t offset = 0;
        for (;;) {
            const ssize_t n = ::pread(memory_, chunk.data(), chunk.size(), offset);
            if (n < 0) {
                if (errno == EINTR) continue;
                throw SystemError(fmt::format("cannot read the xlsx workbook back: {}",
                                              std::generic_category().message(errno)));
            }
            if (n == 0) break;
            out_.write(chunk.data(), n);
            offset += n;
        }
        ::close(memory_);
        memory_ = -1;
    }

    std::ostream& out_;
    std::vector<Column> columns_;
    std::vector<int> widths_;
    int memory_ = -1;
    lxw_workbook* workbook_ = nullptr;
    lxw_worksheet* sheet_ = nullptr;
    lxw_format* bold_ = nullptr;
    lxw_format* date_ = nullptr;
    lxw_row_t row_ = 0;
};

}  // namespace

std::unique_ptr<RowWriter> make_xlsx_writer(std::ostream& out) {
    return std::make_unique<XlsxWriter>(out);
}

}  // namespace fieldbook::render
