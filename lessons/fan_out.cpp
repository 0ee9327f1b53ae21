// fan_out.cpp: lesson "fan-out" (assets/lessons/fan-out.go).
//
//                            ┌──▶ worker 1 ──┐
//   producer ──▶ jobs [buf] ─┼──▶ worker 2 ──┼──▶ results ──▶ main (collects)
//                            └──▶ worker N ──┘
//                                   │ wg.Done()
//                                   ▼
//                   wg ──▶ closer: wg.Wait(), then close(results) ──▶ ends main's range
//
// One producer hands out `jobs` jobs; `workers` goroutines take them as they come, each
// job costing `work_ms` either of CPU (kind=cpu: work() holds a processor) or of waiting
// (kind=io: sleep() holds nothing). main sums the results: the count and the sum do not
// depend on which worker did which job, so the output is the same on every schedule.
//
// The question: how many workers make this efficient? cpu-bound, at most `procs`
// workers can work at once, so throughput stops rising at procs; io-bound, waiting
// workers hold no processor, so throughput keeps rising with workers.
#include <chrono>
#include <cstdint>
#include <string>

#include "core/chan.h"
#include "core/go.h"
#include "core/time.h"
#include "core/waitgroup.h"
#include "lessons/programs.h"

namespace goscope::lessons {

void fan_out_main(const Params& params) {
  const int64_t job_count = params.at("jobs");
  const int workers = static_cast<int>(params.at("workers"));
  const Duration work_time = std::chrono::milliseconds(params.at("work_ms"));
  const bool cpu = params.at("kind") == 0;  // choices: cpu, io

  line(28); auto jobs = make_chan<int64_t>(static_cast<std::size_t>(params.at("buffer")), "jobs");
  line(29); auto results = make_chan<int64_t>(0, "results");

  go("producer", 31, [jobs, job_count]() mutable {
    for (int64_t j = 1; j <= job_count; j++) {
      line(33); jobs.send(j);
    }
    line(35); jobs.close();
  });

  WaitGroup wg("wg");
  for (int w = 1; w <= workers; w++) {
    line(40); wg.Add(1);
    go("worker " + std::to_string(w), 41, [jobs, results, wg, cpu, work_time]() mutable {
      line(43);
      for (int64_t j : jobs) {
        if (cpu) {
          line(45); work(work_time);  // CPU-bound: keeps a processor busy
        } else {
          line(47); sleep(work_time);  // I/O-bound: waits, holding no processor
        }
        line(49); results.send(j * j);
        line(43);
      }
      line(42); wg.Done();  // the deferred Done, as the worker returns
    });
  }

  go("closer", 54, [results, wg]() mutable {  // when every worker is done, no result will come
    line(55); wg.Wait();
    line(56); results.close();
  });

  // main collects: the count and the sum do not depend on who did which job.
  int64_t count = 0, sum = 0;
  line(61);
  for (int64_t r : results) {
    count++;
    sum += r;
    line(61);
  }
  line(65); println("processed " + std::to_string(count) + " jobs");
  line(66); println("sum of squares " + std::to_string(sum));
}

}  // namespace goscope::lessons
