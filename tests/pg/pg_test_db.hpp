#pragma once
// The tests' PostgreSQL: the throwaway cluster that ctest's pg_cluster fixture starts
// (tests/pg/cluster), and a fresh empty database in it for each test case, dropped after.
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <stdexcept>
#include <string>

#include "store/postgres/pg_connection.hpp"

namespace fieldbook::testing {

// The cluster's URL (postgresql://postgres@/postgres?host=DIR), as the fixture wrote it. A
// missing file fails the test rather than skipping it: a suite that quietly tests nothing
// without a server would pass anywhere.
inline std::string pg_cluster_url() {
    std::ifstream in(FIELDBOOK_PG_URL_FILE);
    std::string url;
    if (!in || !std::getline(in, url) || url.empty())
        throw std::runtime_error(
            "no PostgreSQL test cluster: " FIELDBOOK_PG_URL_FILE
            " is missing (run the test through ctest, whose pg_cluster fixture starts one)");
    return url;
}

// The cluster's URL with another database in its path (the part between the authority and
// the query, where the socket directory is).
inline std::string pg_url_of(const std::string& cluster_url, const std::string& database) {
    auto query = cluster_url.find('?');
    auto slash = cluster_url.rfind('/', query == std::string::npos ? query : query - 1);
    std::string rest = query == std::string::npos ? "" : cluster_url.substr(query);
    return cluster_url.substr(0, slash + 1) + database + rest;
}

// A database of its own for one test case. Its name holds the process id, as ctest runs test
// cases in parallel processes on the one cluster.
class PgTestDb {
  public:
    PgTestDb() : admin_(pg_cluster_url()) {
        static std::atomic<int> counter{0};
        name_ = "fb_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
        // Two calls: a database is created or dropped outside any transaction, and the statements
        // of one script share one.
        admin_.exec_script("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
        admin_.exec_script("CREATE DATABASE " + name_);
        url_ = pg_url_of(pg_cluster_url(), name_);
    }
    ~PgTestDb() {
        // FORCE: a connection the test left open must not keep the database (or fail the drop).
        try {
            admin_.exec_script("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
        } catch (...) {
        }
    }
    PgTestDb(const PgTestDb&) = delete;
    PgTestDb& operator=(const PgTestDb&) = delete;

    const std::string& name() const { return name_; }
    const std::string& url() const { return url_; }

  private:
    store::postgres::PgConnection admin_;
    std::string name_;
    std::string url_;
};

}  // namespace fieldbook::testing
