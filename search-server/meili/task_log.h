#pragma once

// The tasks of the Meilisearch routes (https://www.meilisearch.com/docs/reference/api/tasks).
// Passerelle's writes are synchronous and atomic (WriteGate): a task is recorded once its
// write has committed or failed, so it is never "enqueued" or "processing". The log lives in
// memory, shared by the worker threads, and keeps the last kTaskLogCapacity tasks; uids start
// at 0 at each start of the server.

#include "search-server/json/json_writer.h"

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kb::http::meili {

/// Most tasks the log keeps; older ones are forgotten (GET /tasks/{uid}: task_not_found).
constexpr std::size_t kTaskLogCapacity = 10000;

using TaskClock = std::chrono::system_clock;

enum class TaskStatus { Succeeded, Failed };
enum class TaskType { DocumentAdditionOrUpdate, DocumentDeletion, SettingsUpdate };

/// "succeeded", "documentAdditionOrUpdate": Meilisearch's names.
const char* task_status_name(TaskStatus status);
const char* task_type_name(TaskType type);
std::optional<TaskStatus> task_status_from_name(const std::string& name);
std::optional<TaskType> task_type_from_name(const std::string& name);

/// Meilisearch's error object of a failed task: {message, code, type, link}.
struct TaskError {
    std::string message, code;
    std::string type = "invalid_request"; ///< or "internal", "system"
};

/// What the task did; which fields it answers depends on its type (Meilisearch's details).
struct TaskDetails {
    std::uint64_t received_documents = 0, indexed_documents = 0; ///< addition or update
    std::uint64_t provided_ids = 0, deleted_documents = 0;       ///< deletion
    std::optional<std::string> original_filter; ///< deletion by filter: the filter as JSON
    std::string settings = "{}";                ///< settings update: the settings sent, as JSON
};

struct Task {
    std::uint64_t uid = 0;
    std::string index_uid = "documents";
    TaskStatus status = TaskStatus::Succeeded;
    TaskType type = TaskType::DocumentAdditionOrUpdate;
    TaskDetails details;
    std::optional<TaskError> error;
    TaskClock::time_point enqueued_at, started_at, finished_at;
};

/// GET /tasks filters: nothing matches every task, an empty set none.
struct TaskQuery {
    std::optional<std::set<std::uint64_t>> uids;
    std::optional<std::set<TaskStatus>> statuses;
    std::optional<std::set<TaskType>> types;
    std::optional<std::set<std::string>> index_uids;
    unsigned limit = 20;
    std::optional<std::uint64_t> from; ///< the first uid of the page (newest first)
    bool reverse = false;              ///< oldest first
};

/// One page of GET /tasks: the tasks, how many match in all, the uid the next page starts at.
struct TaskPage {
    std::vector<Task> tasks;
    std::size_t total = 0;
    std::optional<std::uint64_t> next;
};

/// The recorded tasks. Thread-safe.
class TaskLog {
public:
    explicit TaskLog(std::size_t capacity = kTaskLogCapacity) : capacity_(capacity) {}

    /// Records a finished task under the next uid; returns it with its uid.
    Task add(Task task);
    std::optional<Task> find(std::uint64_t uid) const;
    TaskPage query(const TaskQuery& query) const;

private:
    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::deque<Task> tasks_; ///< uids increasing
    std::uint64_t next_uid_ = 0;
};

/// Runs a write as a task enqueued at `enqueued`: `write` completes `details`. An error it
/// throws fails the task, with the message and code of a kb::Error (an internal error is
/// logged and said generically); the write being atomic, nothing of it was written. Records
/// the task in `log` and returns it.
Task run_task(TaskLog& log, TaskType type, TaskDetails details, TaskClock::time_point enqueued,
              const std::function<void(TaskDetails&)>& write);

/// The full task object of GET /tasks/{uid}.
void write_task(JsonWriter& w, const Task& task);
/// The summary a write route answers with 202: {taskUid, indexUid, status, type, enqueuedAt}.
void write_task_summary(JsonWriter& w, const Task& task);

/// RFC 3339 in UTC with microseconds ("2026-12-03T14:35:39.123456Z").
std::string rfc3339(TaskClock::time_point t);
/// ISO 8601 duration ("PT0.012345S").
std::string iso_duration(TaskClock::duration d);

} // namespace kb::http::meili
