#include "search-server/meili/task_log.h"

#include "core/error.h"
#include "search-server/api/errors.h"

#include <Poco/Logger.h>
#include <xapian.h>

#include <cstdio>
#include <ctime>

namespace kb::http::meili {
namespace {

constexpr const char* kStatusNames[] = {"succeeded", "failed"};
constexpr const char* kTypeNames[] = {"documentAdditionOrUpdate", "documentDeletion",
                                      "settingsUpdate"};

bool matches(const TaskQuery& q, const Task& t) {
    return (!q.uids || q.uids->count(t.uid)) && (!q.statuses || q.statuses->count(t.status)) &&
           (!q.types || q.types->count(t.type)) &&
           (!q.index_uids || q.index_uids->count(t.index_uid));
}

void field_value(JsonWriter& w, const std::string& s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void time_field(JsonWriter& w, const char* name, TaskClock::time_point t) {
    field(w, name, rfc3339(t));
}

} // namespace

const char* task_status_name(TaskStatus status) { return kStatusNames[static_cast<int>(status)]; }

const char* task_type_name(TaskType type) { return kTypeNames[static_cast<int>(type)]; }

std::optional<TaskStatus> task_status_from_name(const std::string& name) {
    for (int i = 0; i < 2; ++i)
        if (name == kStatusNames[i])
            return static_cast<TaskStatus>(i);
    return std::nullopt;
}

std::optional<TaskType> task_type_from_name(const std::string& name) {
    for (int i = 0; i < 3; ++i)
        if (name == kTypeNames[i])
            return static_cast<TaskType>(i);
    return std::nullopt;
}

Task TaskLog::add(Task task) {
    std::lock_guard<std::mutex> lock(mutex_);
    task.uid = next_uid_++;
    tasks_.push_back(task);
    while (tasks_.size() > capacity_)
        tasks_.pop_front();
    return task;
}

std::optional<Task> TaskLog::find(std::uint64_t uid) const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (tasks_.empty() || uid < tasks_.front().uid || uid > tasks_.back().uid)
        return std::nullopt;
    return tasks_[uid - tasks_.front().uid]; // uids are consecutive
}

TaskPage TaskLog::query(const TaskQuery& q) const {
    std::lock_guard<std::mutex> lock(mutex_);
    TaskPage page;
    auto visit = [&](const Task& t) {
        if (!matches(q, t))
            return;
        ++page.total;
        if (q.from && (q.reverse ? t.uid < *q.from : t.uid > *q.from))
            return;
        if (page.tasks.size() < q.limit)
            page.tasks.push_back(t);
        else if (!page.next)
            page.next = t.uid;
    };
    if (q.reverse)
        for (const Task& t : tasks_)
            visit(t);
    else
        for (auto it = tasks_.rbegin(); it != tasks_.rend(); ++it)
            visit(*it);
    return page;
}

Task run_task(TaskLog& log, TaskType type, TaskDetails details, TaskClock::time_point enqueued,
              const std::function<void(TaskDetails&)>& write) {
    Task task;
    task.type = type;
    task.enqueued_at = enqueued;
    task.started_at = TaskClock::now();
    auto internal = [&](const std::string& what) {
        Poco::Logger::get("kb").error("task %s: %s", std::string(task_type_name(type)), what);
        task.error = TaskError{kInternalErrorMessage, "internal", "internal"};
    };
    TaskDetails done = details;
    try {
        write(done);
        details = done;
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::Internal)
            internal(e.message());
        else // Unavailable: another process (an indexing run) holds the index
            task.error =
                TaskError{e.message(), e.code(),
                          e.kind() == ErrorKind::Unavailable ? "system" : "invalid_request"};
    } catch (const Xapian::Error& e) { // not a std::exception
        internal(e.get_description());
    } catch (const std::exception& e) {
        internal(e.what());
    }
    task.status = task.error ? TaskStatus::Failed : TaskStatus::Succeeded;
    task.details = details; // a failed task keeps what was asked, with nothing done
    task.finished_at = TaskClock::now();
    return log.add(std::move(task));
}

std::string rfc3339(TaskClock::time_point t) {
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
    const std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<long long>(micros % 1000000));
    return buf;
}

std::string iso_duration(TaskClock::duration d) {
    const long long micros = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
    char buf[40];
    std::snprintf(buf, sizeof buf, "PT%lld.%06lldS", micros / 1000000, micros % 1000000);
    return buf;
}

void write_task(JsonWriter& w, const Task& t) {
    w.StartObject();
    uint_field(w, "uid", t.uid);
    w.Key("batchUid"); // Passerelle runs no batches
    w.Null();
    field(w, "indexUid", t.index_uid);
    field(w, "status", task_status_name(t.status));
    field(w, "type", task_type_name(t.type));
    w.Key("canceledBy"); // a synchronous write cannot be canceled
    w.Null();
    w.Key("details");
    if (t.type == TaskType::SettingsUpdate) { // the settings sent, already valid JSON
        w.RawValue(t.details.settings.data(), t.details.settings.size(), rapidjson::kObjectType);
    } else if (t.type == TaskType::DocumentAdditionOrUpdate) {
        w.StartObject();
        uint_field(w, "receivedDocuments", t.details.received_documents);
        uint_field(w, "indexedDocuments", t.details.indexed_documents);
        w.EndObject();
    } else {
        w.StartObject();
        uint_field(w, "providedIds", t.details.provided_ids);
        w.Key("originalFilter");
        if (t.details.original_filter)
            field_value(w, *t.details.original_filter);
        else
            w.Null();
        uint_field(w, "deletedDocuments", t.details.deleted_documents);
        w.EndObject();
    }
    w.Key("error");
    if (t.error) {
        w.StartObject();
        field(w, "message", t.error->message);
        field(w, "code", t.error->code);
        field(w, "type", t.error->type);
        field(w, "link", "https://docs.meilisearch.com/errors#" + t.error->code);
        w.EndObject();
    } else {
        w.Null();
    }
    field(w, "duration", iso_duration(t.finished_at - t.started_at));
    time_field(w, "enqueuedAt", t.enqueued_at);
    time_field(w, "startedAt", t.started_at);
    time_field(w, "finishedAt", t.finished_at);
    w.EndObject();
}

void write_task_summary(JsonWriter& w, const Task& t) {
    w.StartObject();
    uint_field(w, "taskUid", t.uid);
    field(w, "indexUid", t.index_uid);
    field(w, "status", task_status_name(t.status));
    field(w, "type", task_type_name(t.type));
    time_field(w, "enqueuedAt", t.enqueued_at);
    w.EndObject();
}

} // namespace kb::http::meili
