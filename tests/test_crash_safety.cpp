// Crash safety of save_model(): a child process saves checkpoints to one path in a loop and the
// test kills it with SIGKILL at random moments. The path must then always hold a complete
// checkpoint, either the last one the child finished or the one it was renaming into place.
// Temporary files that a kill leaves behind ("<path>.tmp-<pid>-<n>") are counted and reported.
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include "tsdl/serialization.hpp"

namespace fs = std::filesystem;

namespace {

using tsdl_test::TempDir;

// Input sizes of the checkpoints, cycled by generation. The largest model stores about 4 MB of
// weights, so that writing and fsyncing a checkpoint takes long enough for kills to land inside it.
const std::vector<tsdl::Index> kInputSizes = {250000, 1000000, 500000, 750000};

tsdl::Index input_size_of(std::int64_t generation) {
  return kInputSizes[static_cast<std::size_t>(generation) % kInputSizes.size()];
}

std::vector<tsdl::Sequential<float>> make_models() {
  std::vector<tsdl::Sequential<float>> models;
  for (std::size_t i = 0; i < kInputSizes.size(); ++i) {
    tsdl::Sequential<float> model;
    model.add(tsdl::Dense<float>(1, "sigmoid"));
    model.build({kInputSizes[i]}, 100 + i);
    models.push_back(std::move(model));
  }
  return models;
}

void save_generation(std::vector<tsdl::Sequential<float>>& models, const fs::path& path, std::int64_t generation) {
  tsdl::ScoringConfig config;
  config.metadata["generation"] = std::to_string(generation);
  tsdl::save_model(models[static_cast<std::size_t>(generation) % models.size()], path, config);
}

// Runs in the forked child: saves generation after generation and writes each finished
// generation number to `report_fd`. Never returns.
[[noreturn]] void run_writer(std::vector<tsdl::Sequential<float>>& models, const fs::path& path,
                             std::int64_t first_generation, int report_fd) {
  try {
    for (std::int64_t generation = first_generation;; ++generation) {
      save_generation(models, path, generation);
      if (::write(report_fd, &generation, sizeof generation) != static_cast<ssize_t>(sizeof generation)) _exit(3);
    }
  } catch (...) {
    _exit(2);
  }
}

// Reads every generation number that the child reported and returns the last one, or -1.
std::int64_t last_reported_generation(int report_fd) {
  std::int64_t last = -1;
  std::int64_t generation = 0;
  for (;;) {
    const ssize_t got = ::read(report_fd, &generation, sizeof generation);
    if (got == static_cast<ssize_t>(sizeof generation)) {
      last = generation;
      continue;
    }
    if (got < 0 && errno == EINTR) continue;
    return last;  // end of the pipe: the child is dead and its end is closed
  }
}

std::vector<fs::path> temporary_files(const fs::path& directory, const std::string& target_name) {
  std::vector<fs::path> found;
  std::error_code error;
  for (fs::directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(target_name + ".tmp-", 0) == 0) found.push_back(it->path());
  }
  return found;
}

// Polls `directory` until a temporary file of `target_name` exists, for at most two seconds.
// Returns false on timeout.
bool wait_for_temporary_file(const fs::path& directory, const std::string& target_name) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (std::chrono::steady_clock::now() < deadline) {
    if (!temporary_files(directory, target_name).empty()) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("checkpoint survives SIGKILL mid-write") {
  TempDir dir;
  const fs::path path = dir.path() / "checkpoint.tsdl";
  std::vector<tsdl::Sequential<float>> models = make_models();
  save_generation(models, path, 0);

  // The seed is printed, so a failing schedule of kills can be replayed.
  const unsigned seed = std::random_device{}();
  INFO("kill schedule seed " << seed);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> delay_ms(0, 40);
  std::uniform_int_distribution<int> delay_us(0, 1000);

  constexpr int kKills = 10;
  std::int64_t next_generation = 1;
  int kills_leaving_temporary = 0;
  int rounds_seeing_temporary = 0;
  for (int round = 0; round < kKills; ++round) {
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      ::close(pipe_fds[0]);
      run_writer(models, path, next_generation, pipe_fds[1]);
    }
    ::close(pipe_fds[1]);

    // Wait for the first finished save, so the child is inside its loop. Even rounds then kill
    // it while a temporary file exists, that is between creating and renaming it, plus up to a
    // millisecond. Odd rounds kill it at a random moment, which mostly lands while the next
    // checkpoint is encoded in memory.
    std::int64_t first = -1;
    REQUIRE(::read(pipe_fds[0], &first, sizeof first) == static_cast<ssize_t>(sizeof first));
    if (round % 2 == 0) {
      const bool seen = wait_for_temporary_file(dir.path(), path.filename().string());
      if (seen) ++rounds_seeing_temporary;
      std::this_thread::sleep_for(std::chrono::microseconds(delay_us(rng)));
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    }
    REQUIRE(::kill(child, SIGKILL) == 0);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    const std::int64_t last_finished = std::max(first, last_reported_generation(pipe_fds[0]));
    ::close(pipe_fds[0]);
    INFO("round " << round << ", last finished generation " << last_finished);
    REQUIRE_MESSAGE(WIFSIGNALED(status), "the writer exited by itself with status " << WEXITSTATUS(status));

    // The kill can land after the rename of the next generation but before the child reported
    // it, so either generation is a complete checkpoint.
    tsdl::LoadedModel<float> loaded = tsdl::load_model<float>(path);
    const std::int64_t generation = std::stoll(loaded.config.metadata.at("generation"));
    CHECK((generation == last_finished || generation == last_finished + 1));
    CHECK(loaded.model.input_shape() == tsdl::Shape{input_size_of(generation)});
    const tsdl::Tensor<float>& stored_kernel = *loaded.model.parameters().at(0).value;
    const tsdl::Tensor<float>& saved_kernel = *models[static_cast<std::size_t>(generation) % models.size()].parameters().at(0).value;
    CHECK(stored_kernel[0] == saved_kernel[0]);
    CHECK(stored_kernel[stored_kernel.size() - 1] == saved_kernel[saved_kernel.size() - 1]);

    // Leftover temporary files are allowed and safe to delete. They are deleted here, so that the
    // next round counts only its own.
    const std::vector<fs::path> leftovers = temporary_files(dir.path(), path.filename().string());
    CHECK(leftovers.size() <= 1);
    if (!leftovers.empty()) ++kills_leaving_temporary;
    for (const fs::path& leftover : leftovers) fs::remove(leftover);
    next_generation = generation + 1;
  }
  MESSAGE(kills_leaving_temporary << " of " << kKills
                                  << " kills left a temporary file (killed between creating and renaming it); "
                                     "such files can be deleted");
  // Without this check a run whose kills all missed the write would pass without testing it.
  CHECK_MESSAGE(rounds_seeing_temporary > 0, "no round saw a temporary file, so no kill landed inside a write");
}
