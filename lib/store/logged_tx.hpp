#pragma once
// Tx on any engine (engine.hpp): portable SQL, the record calls as INSERT ... RETURNING /
// UPDATE of the changed columns, each appended to op_log in the same transaction.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "clock.hpp"
#include "store/tx.hpp"
#include "uuid.hpp"

namespace fieldbook::store {

class Store;

class LoggedTx final : public Tx {
  public:
    // A transaction that reads only: its record calls are a SystemError.
    explicit LoggedTx(Store& store);
    // A transaction that writes, under the author's command.
    LoggedTx(Store& store, const Author& author, const Clock& clock, UuidGenerator& uuids);

    void each(std::string_view sql, const Values& params,
              const std::function<void(const Row&)>& on_row) override;
    Inserted insert(std::string_view table, const Fields& fields) override;
    bool update(std::string_view table, std::int64_t id, const Fields& changes) override;
    void tombstone(std::string_view table, std::int64_t id) override;
    std::int64_t apply(const ReceivedChange& change) override;

  private:
    struct Writing {
        const Author& author;
        const Clock& clock;
        UuidGenerator& uuids;
    };
    const Writing& writing(std::string_view call) const;
    std::int64_t command_id();
    // The row of a command (written with its first change), by its UUID.
    std::int64_t command_row(const Author& author, const std::string& at_utc);
    struct Stamp {
        std::string op_uuid;
        std::string at_utc;
        std::optional<std::string> device;  // none: made here
    };
    void append(std::string_view table, const std::string& record_uuid, std::string_view kind,
                const Fields& old_values, const Fields& new_values);
    void append(std::int64_t command, const Stamp& stamp, std::string_view table,
                const std::string& record_uuid, std::string_view kind, const Fields& old_values,
                const Fields& new_values);
    void derive(std::string_view table, std::int64_t id, const Fields& changed);
    // A statement whose rows, if any, are not needed.
    void run(const std::string& sql, const Values& params);

    Store& store_;
    std::optional<Writing> writing_;
    // The command's row id, and the transaction it was read in: a Tx may outlive a transaction
    // that rolled back the row (a dry run), and must then write the row again.
    std::optional<std::int64_t> command_id_;
    std::uint64_t command_id_serial_ = 0;
    // Received commands' rows, in the transaction they were read in.
    std::map<std::string, std::int64_t> received_commands_;
    std::uint64_t received_commands_serial_ = 0;
    std::string now_;
};

}  // namespace fieldbook::store
