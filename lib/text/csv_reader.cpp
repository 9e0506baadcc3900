#include "text/csv_reader.hpp"

namespace fieldbook::text {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

class Reader {
  public:
    explicit Reader(std::string_view data) : data_(data) {
        if (data_.substr(0, kBom.size()) == kBom) data_.remove_prefix(kBom.size());
    }

    std::vector<CsvRecord> records() {
        std::vector<CsvRecord> out;
        while (pos_ < data_.size()) out.push_back(record());
        return out;
    }

  private:
    bool at_end() const { return pos_ >= data_.size(); }
    char peek() const { return data_[pos_]; }

    // A record break at pos_: LF or CRLF. Consumes it and returns true when there is one.
    bool take_break() {
        if (peek() == '\n') {
            ++pos_;
            ++line_;
            return true;
        }
        if (peek() == '\r' && pos_ + 1 < data_.size() && data_[pos_ + 1] == '\n') {
            pos_ += 2;
            ++line_;
            return true;
        }
        return false;
    }

    CsvRecord record() {
        CsvRecord rec;
        rec.line = line_;
        for (;;) {
            rec.fields.push_back(at_end() || peek() != '"' ? unquoted() : quoted());
            if (at_end()) break;
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            if (take_break()) break;
            throw CsvError(line_,
                           "text after a closing quote (a quote inside a field is "
                           "written twice, \"\")");
        }
        return rec;
    }

    std::string unquoted() {
        std::size_t start = pos_;
        while (!at_end()) {
            char c = peek();
            if (c == ',' || c == '\n' ||
                (c == '\r' && pos_ + 1 < data_.size() && data_[pos_ + 1] == '\n'))
                break;
            if (c == '"')
                throw CsvError(line_,
                               "quote inside an unquoted field (a field holding quotes "
                               "is itself quoted, \"like \"\"this\"\"\")");
            ++pos_;
        }
        return std::string(data_.substr(start, pos_ - start));
    }

    std::string quoted() {
        std::size_t opened_on = line_;
        ++pos_;  // the opening quote
        std::string value;
        for (;;) {
            if (at_end()) throw CsvError(opened_on, "quoted field not closed");
            char c = peek();
            ++pos_;
            if (c == '"') {
                if (!at_end() && peek() == '"') {
                    value += '"';
                    ++pos_;
                    continue;
                }
                return value;
            }
            if (c == '\n') ++line_;
            value += c;
        }
    }

    std::string_view data_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
};

}  // namespace

std::vector<CsvRecord> read_csv(std::string_view data) {
    return Reader(data).records();
}

}  // namespace fieldbook::text
