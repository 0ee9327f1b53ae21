// detail/tracer.cpp: a first, simple tracer: one mutex, events forwarded in batches.
// (To be replaced by per-worker lock-free rings; the interface in tracer.h stays.)
#include "core/detail/tracer.h"

#include <mutex>
#include <vector>

namespace goscope::detail {

struct Tracer::Impl {
  std::mutex mu;
  std::vector<Event> batch;
};

Tracer::Tracer(EventSink* sink, int /*workers*/, bool /*deterministic*/, std::size_t /*ring_capacity*/)
    : sink_(sink), impl_(std::make_unique<Impl>()) {}

Tracer::~Tracer() = default;

void Tracer::emit(int /*worker*/, Event e) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  e.seq = next_seq_.fetch_add(1, std::memory_order_relaxed);
  impl_->batch.push_back(e);
  if (impl_->batch.size() >= 4096) {
    sink_->on_events(impl_->batch);
    impl_->batch.clear();
  }
}

void Tracer::finish() {
  if (!sink_) return;
  std::lock_guard<std::mutex> lock(impl_->mu);
  if (!impl_->batch.empty()) sink_->on_events(impl_->batch);
  impl_->batch.clear();
  sink_->on_run_end();
}

}  // namespace goscope::detail
