// detail/runtime_timers.cpp: timers in real mode (the timer thread, and in one-thread
// runs its hand-over of due callbacks to the worker), and add_timer / cancel_timer for
// both modes (the deterministic mode's timers fire in det_loop).
#include "core/detail/runtime_impl.h"

#include <algorithm>

#include "core/detail/runtime_internal.h"

namespace goscope::detail {

void Runtime::timer_loop() {
  tl_hot = this;
  std::unique_lock<std::mutex> lock(timer_mu_);
  while (!stopping()) {
    if (timers_.empty()) {
      timer_cv_.wait(lock);
      continue;
    }
    auto it = timers_.begin();
    int64_t when = it->first.first;
    int64_t t = now();
    if (when > t) {
      timer_cv_.wait_for(lock, std::chrono::nanoseconds(when - t));
      continue;
    }
    std::function<void()> fire = std::move(it->second);
    timer_when_.erase(it->first.second);
    timers_.erase(it);
    lock.unlock();
    if (hot_one_thread) {
      hand_to_worker(std::move(fire));
    } else {
      join_active(nullptr);  // a callback may use a channel: no worker may be solo now
      fire();
      leave_active(nullptr);
      pending_timers_.fetch_sub(1, std::memory_order_seq_cst);
      check_deadlock();
    }
    lock.lock();
  }
}

// hand_to_worker passes a due timer's callback to the one worker of a one-thread run (the
// timer thread only keeps time there, so that channels and goroutines are touched by one
// thread) and wakes it. The timer stays pending until the worker has run the callback, so
// no deadlock is declared in between.
void Runtime::hand_to_worker(std::function<void()> fire) {
  {
    std::lock_guard<std::mutex> lock(fired_mu_);
    fired_.push_back(std::move(fire));
  }
  fired_ready_.store(true, std::memory_order_seq_cst);
  Worker* w = workers_[0].get();
  w->wake_word.fetch_add(1, std::memory_order_seq_cst);
  w->wake_word.notify_one();
}

// run_fired_timers runs, on the worker of a one-thread run, the callbacks the timer thread
// handed over. Called between goroutines and from work()'s wait; the callbacks run as the
// scheduler (no current goroutine), as they would on the timer thread.
void Runtime::run_fired_timers(Worker* w) {
  if (!fired_ready_.load(std::memory_order_relaxed)) return;
  fired_ready_.store(false, std::memory_order_relaxed);
  std::vector<std::function<void()>> batch;
  {
    std::lock_guard<std::mutex> lock(fired_mu_);
    batch.swap(fired_);
  }
  G* running = w->current;
  w->current = nullptr;
  for (auto& fire : batch) {
    if (!stopping()) fire();
    pending_timers_.fetch_sub(1, std::memory_order_seq_cst);
  }
  w->current = running;
}

uint64_t Runtime::add_timer(int64_t delay_ns, std::function<void()> fire) {
  uint64_t id = next_timer_id_.fetch_add(1, std::memory_order_relaxed);
  int64_t when = now() + std::max<int64_t>(0, delay_ns);
  if (deterministic()) {
    det_timer_fns_.emplace(id, std::move(fire));
    det_timers_.push(DetTimer{when, det_timer_seq_++, id, nullptr});
    return id;
  }
  pending_timers_.fetch_add(1, std::memory_order_seq_cst);
  bool earliest;
  {
    std::lock_guard<std::mutex> lock(timer_mu_);
    auto it = timers_.emplace(std::make_pair(when, id), std::move(fire)).first;
    timer_when_[id] = when;
    earliest = it == timers_.begin();
  }
  if (earliest) timer_cv_.notify_one();
  return id;
}

bool Runtime::cancel_timer(uint64_t id) {
  if (deterministic()) return det_timer_fns_.erase(id) > 0;  // its heap entry is skipped later
  {
    std::lock_guard<std::mutex> lock(timer_mu_);
    auto it = timer_when_.find(id);
    if (it == timer_when_.end()) return false;
    timers_.erase(std::make_pair(it->second, id));
    timer_when_.erase(it);
  }
  pending_timers_.fetch_sub(1, std::memory_order_seq_cst);
  return true;
}

}  // namespace goscope::detail
