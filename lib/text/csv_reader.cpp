#include "text/csv_reader.hpp"

#include <fmt/format.h>

#include <cstring>
#include <sstream>

namespace fieldbook::text {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::size_t kBufferBytes = 64 * 1024;

}  // namespace

CsvReader::CsvReader(std::istream& in, CsvLimits limits)
    : in_(in), limits_(limits), buffer_(kBufferBytes) {}

// At least `count` bytes from pos_ on in the buffer, unless the input ends first.
bool CsvReader::ensure(std::size_t count) {
    while (end_ - pos_ < count && !eof_) {
        if (pos_ > 0) {
            std::memmove(buffer_.data(), buffer_.data() + pos_, end_ - pos_);
            end_ -= pos_;
            pos_ = 0;
        }
        in_.read(buffer_.data() + end_, static_cast<std::streamsize>(buffer_.size() - end_));
        if (in_.bad()) throw SystemError("csv: the input could not be read");
        const auto got = static_cast<std::size_t>(in_.gcount());
        if (got == 0) eof_ = true;
        end_ += got;
    }
    return end_ - pos_ >= count;
}

int CsvReader::peek(std::size_t ahead) {
    if (!ensure(ahead + 1)) return -1;
    return static_cast<unsigned char>(buffer_[pos_ + ahead]);
}

char CsvReader::take() {
    if (++record_bytes_ > limits_.record_bytes)
        throw CsvError(record_line_,
                       fmt::format("record too long (more than {} bytes)", limits_.record_bytes));
    return buffer_[pos_++];
}

void CsvReader::append(std::string& field, char c, std::size_t column, std::size_t line) {
    if (field.size() >= limits_.field_bytes)
        throw CsvError(
            line, fmt::format("field too long (more than {} bytes)", limits_.field_bytes), column);
    field += c;
}

CsvError CsvReader::lone_cr() const {
    // Classic Mac OS ended lines in CR alone; read as CSV, such a file is one long row.
    if (!seen_line_feed_)
        return CsvError(line_,
                        "the file's lines end in CR only (old Mac format); save it with LF or "
                        "CRLF line endings");
    return CsvError(line_,
                    "csv: a carriage return (CR) alone outside quotes (lines end in LF or CRLF; "
                    "a line break inside a field is quoted)");
}

// A record break at pos_: LF, CRLF, or a CR that ends the input.
void CsvReader::take_break() {
    if (take() == '\r') {
        if (peek() == '\n')
            take();
        else if (peek() >= 0)
            throw lone_cr();
    }
    seen_line_feed_ = true;
    ++line_;
}

std::string CsvReader::unquoted(std::size_t column) {
    std::string field;
    for (;;) {
        const int c = peek();
        if (c < 0 || c == ',' || c == '\n') break;
        if (c == '\r') {
            const int after = peek(1);
            if (after == '\n' || after < 0) break;
            throw lone_cr();
        }
        if (c == '"')
            throw CsvError(line_,
                           "csv: quote inside an unquoted field (a field holding quotes is itself "
                           "quoted, \"like \"\"this\"\"\")");
        append(field, take(), column, line_);
    }
    return field;
}

std::string CsvReader::quoted(std::size_t column) {
    const std::size_t opened_on = line_;
    take();  // the opening quote
    std::string value;
    for (;;) {
        const int c = peek();
        if (c < 0) throw CsvError(opened_on, "csv: quoted field not closed");
        take();
        if (c == '"') {
            if (peek() != '"') return value;
            take();
        } else if (c == '\n') {
            seen_line_feed_ = true;
            ++line_;
        }
        append(value, static_cast<char>(c), column, opened_on);
    }
}

std::optional<CsvRecord> CsvReader::next() {
    if (!started_) {
        started_ = true;
        if (ensure(kBom.size()) && std::string_view(buffer_.data() + pos_, kBom.size()) == kBom)
            pos_ += kBom.size();
    }
    if (peek() < 0) return std::nullopt;
    CsvRecord record;
    record.line = record_line_ = line_;
    record_bytes_ = 0;
    for (;;) {
        const std::size_t column = record.fields.size() + 1;
        if (column > limits_.fields)
            throw CsvError(record_line_,
                           fmt::format("record has more than {} fields", limits_.fields));
        record.fields.push_back(peek() == '"' ? quoted(column) : unquoted(column));
        const int c = peek();
        if (c < 0) break;
        if (c == ',') {
            take();
            continue;
        }
        if (c == '\n' || c == '\r') {
            take_break();
            break;
        }
        throw CsvError(line_,
                       "csv: text after a closing quote (a quote inside a field is written "
                       "twice, \"\")");
    }
    return record;
}

std::vector<CsvRecord> read_csv(std::string_view data, CsvLimits limits) {
    std::istringstream in{std::string(data)};
    CsvReader reader(in, limits);
    std::vector<CsvRecord> records;
    while (auto record = reader.next()) records.push_back(std::move(*record));
    return records;
}

}  // namespace fieldbook::text
