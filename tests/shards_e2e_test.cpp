// Sharded and remote search end to end: corpus/ indexed once as one database and once as 3
// shards served by 3 xapian-tcpsrv processes; the same queries must give the same answers.
// Then a shard is stopped (partial answers, /health degraded, /metrics), and restarted
// (recovery). Last, a read replica made by xapian-replicate serves the same results.

#define BOOST_TEST_MODULE shards_e2e
#include "core/indexing/document_builder.h"
#include "core/record.h"
#include "core/schema/schema.h"
#include "tests/e2e_support.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <boost/test/unit_test.hpp>
#include <rapidjson/document.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <set>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace {

using namespace std::chrono_literals;

struct Reply {
    int status = 0;
    std::string body;
};

Reply get(const std::string& base, const std::string& path_and_query) {
    const Poco::URI uri(base);
    Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path_and_query,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    Reply r;
    r.status = response.getStatus();
    Poco::StreamCopier::copyToString(in, r.body);
    return r;
}

std::string encode(const std::string& s) {
    std::string out;
    Poco::URI::encode(s, "&=+?#/%\"' ", out);
    return out;
}

int free_port() {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    return socket.address().port();
}

// A xapian-tcpsrv in its own process group: on SIGTERM it signals its whole group, and it
// forks a child per connection, so stopping it means signalling that group.
class TcpServer {
public:
    TcpServer(const std::string& database, int port) : database_(database), port_(port) { start(); }
    ~TcpServer() { stop(); }

    void start() {
        pid_ = fork();
        if (pid_ == 0) {
            setpgid(0, 0);
            const std::string port = std::to_string(port_);
            execlp("xapian-tcpsrv", "xapian-tcpsrv", "--interface", "127.0.0.1", "--port",
                   port.c_str(), "--quiet", database_.c_str(), static_cast<char*>(nullptr));
            _exit(127);
        }
        setpgid(pid_, pid_);            // also here, so stop() cannot race the child's own call
        for (int i = 0; i < 100; ++i) { // until it accepts connections
            try {
                Xapian::Remote::open("127.0.0.1", port_, 1000, 1000).get_doccount();
                return;
            } catch (const Xapian::Error&) {
                std::this_thread::sleep_for(50ms);
            }
        }
        BOOST_FAIL("xapian-tcpsrv did not start on port " << port_);
    }
    void stop() {
        if (pid_ <= 0)
            return;
        kill(-pid_, SIGKILL); // the server and the children serving open connections
        waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }
    std::string endpoint() const { return "tcp:127.0.0.1:" + std::to_string(port_); }

private:
    std::string database_;
    int port_;
    pid_t pid_ = -1;
};

// The corpus indexed twice, once: one database and 3 shards.
struct Indexes {
    kb::test::TempDir dir;
    std::string single = (dir.path() / "single").string();
    std::string sharded = (dir.path() / "sharded").string();
    Indexes() {
        const auto started = std::chrono::steady_clock::now();
        BOOST_TEST_REQUIRE(kb::test::run_indexer(single, {"--no-vectors", kb::test::kCorpusDir}) ==
                           0);
        BOOST_TEST_REQUIRE(
            kb::test::run_indexer(sharded, {"--shards", "3", kb::test::kCorpusDir}) == 0);
        BOOST_TEST_MESSAGE(
            "indexed corpus/ twice in "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()
            << " s");
    }
};

Indexes& indexes() {
    static Indexes instance;
    return instance;
}

// 200 queries from the corpus' own titles, chosen by position (deterministic): one word,
// two words, a phrase, three words; some with a facet filter, some without collapse, some
// on page 2, a few corrected or expanded.
std::vector<std::string> queries() {
    Xapian::Database db(indexes().single);
    const std::string kind(kb::schema::kRecordKindTerm);
    std::vector<Xapian::docid> records(db.postlist_begin(kind), db.postlist_end(kind));
    std::vector<std::string> out;
    const std::size_t step = records.size() / 197;
    for (std::size_t i = 0; out.size() < 196 && i * step < records.size(); ++i) {
        const Xapian::Document doc = db.get_document(records[i * step]);
        const kb::Record r = kb::decode_record(doc.get_data());
        std::vector<std::string> words;
        std::istringstream in(r.title);
        for (std::string w; in >> w;)
            if (w.size() >= 5 && w.find_first_of("()[]:\"«»,.;") == std::string::npos)
                words.push_back(w);
        if (words.empty())
            continue;
        const std::size_t n = out.size();
        std::string q = words[n % words.size()];
        if (n % 4 == 1 && words.size() > 1)
            q = words[0] + " " + words[1];
        if (n % 4 == 2 && words.size() > 1)
            q = "\"" + words[0] + " " + words[1] + "\"";
        if (n % 4 == 3 && words.size() > 2)
            q = words[0] + " " + words[1] + " " + words[2];
        std::string params = "q=" + encode(q);
        const std::string themes = doc.get_value(kb::schema::kThemesSlot);
        const std::string countries = doc.get_value(kb::schema::kCountriesSlot);
        if (n % 5 == 1 && !themes.empty())
            params += "&theme=" + encode(themes.substr(0, themes.find(kb::schema::kListSeparator)));
        if (n % 7 == 2 && !countries.empty())
            params += "&country=" +
                      encode(countries.substr(0, countries.find(kb::schema::kListSeparator)));
        if (n % 6 == 3)
            params += "&collapse=false";
        if (n % 9 == 4)
            params += "&page=2&size=20";
        out.push_back(params);
    }
    out.push_back("q=");                            // browse: newest first
    out.push_back("q=cooperatoin%20decentralisee"); // a spelling correction
    out.push_back("q=APD");                         // a synonym (acronym) expansion
    out.push_back("q=coop%C3%A9ration&country=SN&country=ML&year_from=2010");
    // English questions: translated, ranked by any word, every-word matches first.
    out.push_back("q=legal%20framework%20of%20decentralised%20cooperation");
    out.push_back("q=fire%20brigades%20sent%20overseas&collapse=false");
    out.push_back("q=how%20many%20members%20sit%20on%20the%20national%20commission%3F");
    out.push_back("q=helping%20poor%20countries%20with%20their%20trash&page=2&size=20");
    return out;
}

// What must be equal: totals, ids in order, passages, facet counts, modes, corrections.
std::string canonical(const std::string& body) {
    rapidjson::Document d;
    d.Parse(body.c_str());
    if (d.HasParseError() || !d.IsObject())
        return "unparsable: " + body.substr(0, 200);
    std::ostringstream out;
    out << "total=" << d["total"].GetUint64() << " mode=" << d["match_mode"].GetString()
        << " corrected=" << d["corrected"].GetBool()
        << " did_you_mean=" << (d["did_you_mean"].IsString() ? d["did_you_mean"].GetString() : "-")
        << "\nhits:";
    // Records whose scores differ only in the last bits (the remote shards add the same
    // weights in another order) are equal: listed by id within their score.
    std::vector<std::pair<long long, std::string>> hits;
    for (const auto& h : d["hits"].GetArray())
        hits.emplace_back(
            std::llround((h.HasMember("score") ? h["score"].GetDouble() : 0) * 1e6),
            std::string(h["id"].GetString()) +
                (h.HasMember("passage") ? "#" + std::to_string(h["passage"].GetInt()) : ""));
    std::stable_sort(hits.begin(), hits.end(),
                     [](const auto& x, const auto& y) { return x.first > y.first; });
    for (auto first = hits.begin(); first != hits.end();) {
        auto last =
            std::find_if(first, hits.end(), [&](const auto& h) { return h.first != first->first; });
        std::sort(first, last);
        for (auto h = first; h != last; ++h)
            out << " " << h->second;
        first = last;
    }
    out << "\nexpansions:";
    for (const auto& e : d["expansions"].GetArray())
        out << " " << e.GetString();
    for (const auto& f : d["facets"].GetObject()) {
        out << "\n" << f.name.GetString() << ":";
        for (const auto& v : f.value.GetArray())
            out << " " << v["id"].GetString() << "=" << v["count"].GetUint64();
    }
    return out.str();
}

bool partial(const std::string& body) {
    rapidjson::Document d;
    d.Parse(body.c_str());
    return d.IsObject() && d.HasMember("partial") && d["partial"].GetBool();
}

} // namespace

BOOST_AUTO_TEST_CASE(sharded_remote_search_answers_like_one_database) {
    Indexes& ix = indexes();
    std::vector<std::unique_ptr<TcpServer>> shards;
    std::string list;
    for (int i = 0; i < 3; ++i) {
        shards.push_back(
            std::make_unique<TcpServer>(ix.sharded + "/shard-" + std::to_string(i), free_port()));
        list += shards.back()->endpoint() + ",";
    }
    // The aux database (spelling, synonyms: Xapian's remote backend serves neither) is local.
    list += ix.sharded + "/aux";
    kb::test::ServerProcess single(ix.single);
    kb::test::ServerProcess remote(list, {"--shard-retry", "300", "--remote-timeout", "3000"});
    kb::test::ServerProcess local_stub(ix.sharded); // the stub: Xapian opens the shards as one

    const auto started = std::chrono::steady_clock::now();
    const std::vector<std::string> qs = queries();
    BOOST_TEST(qs.size() == 204u);
    std::size_t with_hits = 0;
    for (const std::string& q : qs) {
        const Reply a = get(single.url(), "/search?" + q);
        const Reply b = get(remote.url(), "/search?" + q);
        BOOST_TEST_REQUIRE(a.status == 200, q << ": " << a.body.substr(0, 300));
        BOOST_TEST_REQUIRE(b.status == 200, q << ": " << b.body.substr(0, 300));
        BOOST_TEST(canonical(a.body) == canonical(b.body), q);
        BOOST_TEST(!partial(b.body));
        with_hits += a.body.find("\"hits\":[]") == std::string::npos;
    }
    for (std::size_t i = 0; i < qs.size(); i += 10) {
        const Reply c = get(local_stub.url(), "/search?" + qs[i]);
        BOOST_TEST(canonical(get(single.url(), "/search?" + qs[i]).body) == canonical(c.body),
                   qs[i]);
    }
    BOOST_TEST(with_hits > 150u);
    // Suggestions (the index's words and titles) and similar documents (relevance feedback).
    for (const char* typed : {"coop", "jumel", "eau%20pot", "attrac", "sen", "dev", "coll"})
        BOOST_TEST(get(single.url(), std::string("/suggest?q=") + typed).body ==
                       get(remote.url(), std::string("/suggest?q=") + typed).body,
                   typed);
    for (const char* id : {"code-general-des-collectivites-territoriales/L1115-1",
                           "code-general-des-collectivites-territoriales/L2224-12-4"}) {
        const Reply a = get(single.url(), std::string("/documents/") + encode(id) + "/similar");
        const Reply b = get(remote.url(), std::string("/documents/") + encode(id) + "/similar");
        BOOST_TEST(a.status == 200);
        BOOST_TEST(b.status == 200, b.body.substr(0, 300));
        // The same hits; the total is Xapian's estimate, which depends on the shards.
        const auto hits = [](const std::string& body) {
            return canonical(body).substr(canonical(body).find("\nhits:"));
        };
        BOOST_TEST(hits(a.body) == hits(b.body), id);
    }
    BOOST_TEST(canonical(get(single.url(), "/facets").body) ==
               canonical(get(remote.url(), "/facets").body));
    BOOST_TEST_MESSAGE(
        "200 queries on both servers in "
        << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()
        << " s");

    // One shard down: answers from the other two, flagged; never a 500.
    const std::string down = shards[1]->endpoint();
    shards[1]->stop();
    for (int i = 0; i < 12; ++i) { // several requests, so several server threads notice
        const Reply r = get(remote.url(), "/search?" + qs[i]);
        BOOST_TEST_REQUIRE(r.status == 200, r.body.substr(0, 300));
        BOOST_TEST(partial(r.body));
        BOOST_TEST(r.body.find("\"available\":2") != std::string::npos);
        BOOST_TEST(r.body.find("\"unavailable\":[\"" + down + "\"]") != std::string::npos);
    }
    const Reply health = get(remote.url(), "/health");
    BOOST_TEST(health.status == 200);
    BOOST_TEST(health.body.find("\"status\":\"degraded\"") != std::string::npos, health.body);
    const Reply metrics = get(remote.url(), "/metrics");
    BOOST_TEST(metrics.body.find("kb_index_shards 3\n") != std::string::npos);
    BOOST_TEST(metrics.body.find("kb_index_shards_available 2\n") != std::string::npos);

    // The shard comes back: the server uses it again within its retry interval.
    shards[1]->start();
    bool recovered = false;
    for (int i = 0; i < 100 && !recovered; ++i) {
        std::this_thread::sleep_for(100ms);
        bool all = true;
        for (int k = 0; k < 8; ++k)
            all = all && !partial(get(remote.url(), "/search?" + qs[k]).body);
        recovered = all && get(remote.url(), "/health").body.find("\"status\":\"available\"") !=
                               std::string::npos;
    }
    BOOST_TEST_REQUIRE(recovered);
    for (std::size_t i = 0; i < qs.size(); i += 20)
        BOOST_TEST(canonical(get(single.url(), "/search?" + qs[i]).body) ==
                       canonical(get(remote.url(), "/search?" + qs[i]).body),
                   qs[i]);
    BOOST_TEST(get(remote.url(), "/metrics").body.find("kb_index_shards_available 3\n") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(every_shard_down_is_a_503_not_a_500) {
    Indexes& ix = indexes();
    auto shard = std::make_unique<TcpServer>(ix.sharded + "/shard-0", free_port());
    kb::test::ServerProcess server(shard->endpoint(), {"--shard-retry", "60000"});
    BOOST_TEST(get(server.url(), "/search?q=jumelage").status == 200);
    shard->stop();
    const auto started = std::chrono::steady_clock::now();
    BOOST_TEST(get(server.url(), "/search?q=jumelage").status == 503);
    BOOST_TEST((std::chrono::steady_clock::now() - started < 5s));
}

BOOST_AUTO_TEST_CASE(a_replica_made_by_xapian_replicate_serves_the_same_results) {
    Indexes& ix = indexes();
    const int port = free_port();
    const pid_t master = fork();
    if (master == 0) {
        setpgid(0, 0);
        const std::string p = std::to_string(port);
        const std::string parent = ix.dir.path().string();
        execlp("xapian-replicate-server", "xapian-replicate-server", "--interface=127.0.0.1",
               ("--port=" + p).c_str(), "--one-shot", parent.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    const std::string replica = (ix.dir.path() / "replica").string();
    int status = -1;
    for (int attempt = 0; attempt < 50 && status != 0; ++attempt) { // until the master listens
        std::this_thread::sleep_for(100ms);
        const std::string cmd = "xapian-replicate --host=127.0.0.1 --port=" + std::to_string(port) +
                                " --master=single --one-shot --quiet " + replica + " 2>/dev/null";
        status = std::system(cmd.c_str());
    }
    kill(-master, SIGKILL);
    waitpid(master, nullptr, 0);
    BOOST_TEST_REQUIRE(status == 0);
    kb::test::ServerProcess original(ix.single);
    kb::test::ServerProcess copy(replica);
    const std::vector<std::string> qs = queries();
    for (std::size_t i = 0; i < qs.size(); i += 10)
        BOOST_TEST(canonical(get(original.url(), "/search?" + qs[i]).body) ==
                       canonical(get(copy.url(), "/search?" + qs[i]).body),
                   qs[i]);
}
