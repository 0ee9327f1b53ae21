// compare_run.cpp: child processes, building the Go program, and the interleaved rounds.
#include "bench/compare_run.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/version.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>

extern char** environ;

namespace goscope::bench {

ProcessResult run_process(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                          int timeout_seconds, const std::string& cwd) {
  ProcessResult r;
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return r;
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    return r;
  }

  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    std::string_view kv(*e);
    bool overridden = false;
    for (const std::string& o : env)
      if (kv.substr(0, kv.find('=') + 1) == std::string_view(o).substr(0, o.find('=') + 1)) overridden = true;
    if (!overridden) env_strings.emplace_back(kv);
  }
  for (const std::string& o : env) env_strings.push_back(o);
  std::vector<char*> envp, args;
  for (std::string& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (std::string& s : argv_copy) args.push_back(s.data());
  args.push_back(nullptr);

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, cwd.c_str());
  pid_t pid = -1;
  int rc = posix_spawn(&pid, args[0], &fa, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (rc != 0) {
    r.err = std::string("cannot start ") + argv[0] + ": " + std::strerror(rc);
    close(out_pipe[0]);
    close(err_pipe[0]);
    return r;
  }

  // Drain both pipes until the child closes them, so a chatty child never blocks on a
  // full pipe; kill it past the deadline.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&r.out, &r.err};
  int open_fds = 2;
  while (open_fds > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      kill(pid, SIGKILL);
      r.timed_out = true;
      break;
    }
    int n = poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[4096];
      ssize_t got = read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (pollfd& f : fds)
    if (f.fd >= 0) close(f.fd);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

namespace {

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

GoProgram build_go_program(const std::string& source_dir, const std::string& go) {
  GoProgram p;
  if (access(go.c_str(), X_OK) != 0) {
    p.why_not = "go not found at " + go;
    return p;
  }
  const char* tmp = std::getenv("TMPDIR");
  std::string dir = std::string(tmp && *tmp ? tmp : "/tmp") + "/goscope-go-bench-" + std::to_string(getuid());
  mkdir(dir.c_str(), 0700);
  // Go wants a writable cache and module path; keep both out of the user's home.
  std::vector<std::string> env = {"GOCACHE=" + dir + "/cache", "GOPATH=" + dir + "/gopath", "GOFLAGS=",
                                  "GO111MODULE=on", "CGO_ENABLED=0", "GOPROXY=off", "GOENV=off"};
  ProcessResult v = run_process({go, "version"}, env, 60);
  p.version = trim(v.out);
  // One binary per comparison process: two comparisons at once (a CI smoke run beside a
  // real run) must not replace each other's program. The build cache is shared; Go
  // locks it itself.
  const std::string binary = dir + "/go_bench." + std::to_string(getpid());
  ProcessResult b = run_process({go, "build", "-o", binary, "."}, env, 600, source_dir);
  if (b.exit_code != 0) {
    p.why_not = "go build failed: " + trim(b.err);
    return p;
  }
  p.binary = binary;
  return p;
}

std::optional<CompareOptions> parse_compare_args(const std::vector<std::string>& args, std::string* error) {
  CompareOptions o;
  bool rounds_given = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--compare") continue;
    if (a == "--json") {
      o.json = true;
    } else if (a == "--cpu-time") {
      o.cpu_time = true;
    } else if (a == "--markdown") {
      o.markdown = true;
    } else if (a == "--quick") {
      o.quick = true;
    } else if (a == "--verbose" || a == "-v") {
      o.verbose = true;
    } else if (a == "--rounds" || a.rfind("--rounds=", 0) == 0) {
      std::string v;
      if (a == "--rounds") {
        if (i + 1 >= args.size()) {
          if (error) *error = "--rounds needs a number";
          return std::nullopt;
        }
        v = args[++i];
      } else {
        v = a.substr(9);
      }
      char* end = nullptr;
      long n = std::strtol(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || n < 1 || n > 1000) {
        if (error) *error = "--rounds wants a number from 1 to 1000, not '" + v + "'";
        return std::nullopt;
      }
      o.rounds = static_cast<int>(n);
      rounds_given = true;
    } else if (a == "--only" || a.rfind("--only=", 0) == 0) {
      std::string v;
      if (a == "--only") {
        if (i + 1 >= args.size()) {
          if (error) *error = "--only needs metric names";
          return std::nullopt;
        }
        v = args[++i];
      } else {
        v = a.substr(7);
      }
      std::size_t pos = 0;
      while (pos <= v.size()) {
        std::size_t comma = v.find(',', pos);
        if (comma == std::string::npos) comma = v.size();
        std::string name = v.substr(pos, comma - pos);
        if (!find_metric(name)) {
          if (error) *error = "unknown metric '" + name + "'";
          return std::nullopt;
        }
        o.only.push_back(name);
        pos = comma + 1;
      }
    } else {
      if (error) *error = "unknown flag '" + a + "' (use --json, --markdown, --rounds N, --quick, --cpu-time, --only a,b, --verbose)";
      return std::nullopt;
    }
  }
  if (o.quick && !rounds_given) o.rounds = 1;
  return o;
}

namespace {

// measure_once runs one child and records its value (or why there is none).
void measure_once(Samples& s, const Metric& m, Peer peer, const std::vector<std::string>& argv,
                  const std::vector<std::string>& env, bool verbose) {
  ProcessResult r = run_process(argv, env, 300);
  std::string error;
  std::optional<std::vector<Measurement>> got;
  if (r.exit_code == 0) got = parse_measurements(r.out, &error);
  if (!got || got->empty()) {
    std::string why = r.timed_out ? "timed out" : r.exit_code != 0 ? "exit " + std::to_string(r.exit_code) : error;
    std::string first_err = r.err.substr(0, r.err.find('\n'));
    s.note(m.name, std::string(to_string(peer)) + " failed (" + why + (first_err.empty() ? "" : ": " + first_err) + ")");
    if (verbose) std::cerr << "  " << to_string(peer) << " " << m.name << ": FAILED " << why << "\n" << r.err;
    return;
  }
  for (const Measurement& x : *got) {
    if (x.metric != m.name) continue;
    if (x.value) s.add(m.name, peer, *x.value);
    if (!x.note.empty()) s.note(m.name, std::string(to_string(peer)) + ": " + x.note);
    if (verbose) {
      std::cerr << "  " << to_string(peer) << " " << m.name << " = "
                << (x.value ? format_value(x.value, m.unit) : std::string("null")) << "\n";
    }
  }
}

}  // namespace

int run_compare(const CompareOptions& o, const std::string& self, const std::string& command_line) {
  Machine machine = this_machine();
  machine.boost_version = "Boost " + std::to_string(BOOST_VERSION / 100000) + "." +
                          std::to_string(BOOST_VERSION / 100 % 1000) + "." + std::to_string(BOOST_VERSION % 100) +
                          " (Boost.Fiber)";
  machine.clock = o.cpu_time ? "process CPU time (all threads), GOSCOPE_BENCH_CLOCK=cpu" : "wall (steady clock)";
  const std::string clock_env = std::string("GOSCOPE_BENCH_CLOCK=") + (o.cpu_time ? "cpu" : "wall");
  Samples samples;

  // GOSCOPE_BENCH_GO names another go binary (tests use it to check a run without Go).
  const char* go_env = std::getenv("GOSCOPE_BENCH_GO");
  GoProgram gp = build_go_program(std::string(GOSCOPE_SOURCE_DIR) + "/tests/go_bench",
                                  go_env && *go_env ? go_env : "/usr/bin/go");
  machine.go_version = gp.version;
  if (gp.binary.empty()) std::cerr << "goscope-bench: the Go column stays empty: " << gp.why_not << "\n";

  std::vector<const Metric*> todo;
  for (const Metric& m : metrics())
    if (o.only.empty() || std::find(o.only.begin(), o.only.end(), m.name) != o.only.end()) todo.push_back(&m);

  for (int round = 0; round < o.rounds; ++round) {
    if (o.verbose) std::cerr << "round " << round + 1 << " of " << o.rounds << "\n";
    for (std::size_t mi = 0; mi < todo.size(); ++mi) {
      const Metric& m = *todo[mi];
      const long n = o.quick ? m.quick_iterations : m.iterations;
      const std::string procs = std::to_string(m.procs);
      for (int k = 0; k < 3; ++k) {
        Peer peer = kPeers[(round + mi + k) % 3];  // rotate who goes first
        if (peer == Peer::go) {
          if (gp.binary.empty()) continue;
          measure_once(samples, m, peer, {gp.binary, "-metric", std::string(m.name), "-n", std::to_string(n)},
                       {"GOMAXPROCS=" + procs, "GOGC=100", clock_env}, o.verbose);
        } else {
          measure_once(samples, m, peer,
                       {self, "--measure", std::string(to_string(peer)), std::string(m.name), std::to_string(n)},
                       {clock_env}, o.verbose);
        }
      }
    }
  }
  if (gp.binary.empty())
    for (const Metric* m : todo) samples.note(m->name, "Go not measured: " + gp.why_not);

  std::vector<Row> rows = samples.rows();
  if (!o.only.empty()) {
    std::vector<Row> kept;
    for (Row& r : rows)
      if (std::find(o.only.begin(), o.only.end(), r.metric) != o.only.end()) kept.push_back(std::move(r));
    rows = std::move(kept);
  }
  if (o.json) {
    // The JSON keeps to its contract (exactly five keys); the notes go to stderr.
    for (const Row& r : rows)
      if (!r.note.empty()) std::cerr << "note: " << r.metric << ": " << r.note << "\n";
    std::cout << to_json(rows) << std::endl;
  } else if (o.markdown) {
    std::cout << to_markdown(rows, machine, command_line) << std::flush;
  } else {
    std::cout << to_table(rows, machine, command_line) << std::flush;
  }
  if (!gp.binary.empty()) unlink(gp.binary.c_str());
  return 0;
}

}  // namespace goscope::bench
