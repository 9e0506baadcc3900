// The CSV reader (import customers|visits reads whatever file it is given).
#include <cstdint>
#include <string_view>

#include "require.hpp"
#include "text/csv_reader.hpp"

using fieldbook::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    try {
        const auto records = fieldbook::text::read_csv(input);
        std::size_t previous_line = 0, field_bytes = 0;
        for (const auto& record : records) {
            // Problems are reported by line: lines must go forward, one record after another.
            require(record.line > previous_line, "each record starts on a later line");
            require(!record.fields.empty(), "a record has at least one field");
            previous_line = record.line;
            for (const auto& field : record.fields) field_bytes += field.size();
        }
        // Quotes and separators are dropped, nothing is made up.
        require(field_bytes <= input.size(), "fields hold no more bytes than the input");
    } catch (const fieldbook::text::CsvError& e) {
        require(e.line() >= 1, "a CSV error names a line");
    }
    return 0;
}
