#include "mfgrid/parallel/collective_step.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "mfgrid/core/error.hpp"

namespace mfgrid {

namespace {

// An error as the ranks exchange it: its kind and the fields that rebuild it.
struct ErrorRecord {
  enum Kind : std::uint8_t { input, io, io_failure, numeric, other } kind = other;
  std::vector<std::string> fields;  // input: file, line, column, key, reason; io: path, reason

  static ErrorRecord of(const std::exception_ptr& error) {
    try {
      std::rethrow_exception(error);
    } catch (const InputError& e) {
      return {input,
              {e.where().file, std::to_string(e.where().line), std::to_string(e.where().column),
               e.key(), e.reason()}};
    } catch (const IoError& e) {
      return {io, {e.path(), e.reason()}};
    } catch (const IoFailure& e) {
      return {io_failure, {e.path(), e.reason()}};
    } catch (const NumericError& e) {
      return {numeric, {e.what()}};
    } catch (const std::exception& e) {
      return {other, {e.what()}};
    } catch (...) {
      return {other, {"unknown error"}};
    }
  }

  std::string message() const {
    std::string m;
    for (const std::string& f : fields) m += (m.empty() ? "" : ": ") + f;
    return m;
  }

  [[noreturn]] void raise() const {
    switch (kind) {
      case input:
        throw InputError(
            SourceLocation{fields.at(0), std::stoi(fields.at(1)), std::stoi(fields.at(2))},
            fields.at(3), fields.at(4));
      case io:
        throw IoError(fields.at(0), fields.at(1));
      case io_failure:
        throw IoFailure(fields.at(0), fields.at(1));
      case numeric:  // the run loop keeps the days before it on every rank
        throw NumericError(fields.at(0));
      case other:
        break;
    }
    throw Error(fields.at(0));
  }

  void broadcast(const Communicator& comm, int root) {
    std::uint8_t head[2] = {kind, static_cast<std::uint8_t>(fields.size())};
    comm.broadcast(std::span<std::uint8_t>(head, 2), root);
    kind = static_cast<Kind>(head[0]);
    fields.resize(head[1]);
    for (std::string& f : fields) comm.broadcast(f, root);
  }
};

// Waits for `request`; a rank that failed gives up after `wait_seconds` and ends the job.
void wait_for(MPI_Request& request, bool failed, double wait_seconds, int rank,
              const std::string& message) {
  if (!failed) {
    MPI_Wait(&request, MPI_STATUS_IGNORE);
    return;
  }
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(wait_seconds);
  int done = 0;
  while (true) {
    MPI_Test(&request, &done, MPI_STATUS_IGNORE);
    if (done) return;
    if (std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  std::fprintf(stderr,
               "error (rank %d): %s\nmfgrid: the other ranks did not reach the point where ranks "
               "agree on failures within %.0f s (they are stuck in a collective call this rank "
               "left): ending the job\n",
               rank, message.c_str(), wait_seconds);
  std::fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, 1);
}

}  // namespace

void agree_on_failure(const Communicator& comm, const std::exception_ptr& mine,
                      double wait_seconds) {
  if (comm.size() == 1) {
    if (mine) std::rethrow_exception(mine);
    return;
  }
  ErrorRecord record = mine ? ErrorRecord::of(mine) : ErrorRecord{};
  // The lowest failing rank, or size() when every rank succeeded.
  int first = mine ? comm.rank() : comm.size();
  MPI_Request request;
  MPI_Iallreduce(MPI_IN_PLACE, &first, 1, MPI_INT, MPI_MIN, comm.handle(), &request);
  wait_for(request, mine != nullptr, wait_seconds, comm.rank(), record.message());
  if (first == comm.size()) return;
  record.broadcast(comm, first);
  if (first == comm.rank()) std::rethrow_exception(mine);
  record.raise();
}

}  // namespace mfgrid
