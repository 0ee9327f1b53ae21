// go.cpp: the public calls of go.h and time.h, and core/detail/park.h (what channels,
// select and WaitGroup ask of the scheduler), all forwarding to the running program's runtime.
#include "core/detail/park.h"

#include <stdexcept>

#include "core/detail/runtime_impl.h"
#include "core/go.h"
#include "core/time.h"

namespace goscope {
namespace {

[[noreturn, gnu::noinline, gnu::cold]] void outside_a_run(const char* what) {
  throw std::logic_error(std::string("goscope: ") + what + " called outside a running program");
}

// rt is the running program's runtime; outside a run, a logic_error naming the call. Inline:
// park and unpark go through it on every blocking channel operation.
inline detail::Runtime& rt(const char* what) {
  detail::Runtime* r = detail::runtime();
  if (!r) [[unlikely]] outside_a_run(what);
  return *r;
}

}  // namespace

uint32_t detail::spawn(Task task, std::string_view name, int line) {
  Runtime& r = rt("go");
  return r.spawn(std::move(task), name.empty() ? "" : intern(name), line);
}

void yield() { rt("yield").yield(); }

void panic(std::string_view message) { rt("panic").panic_current(std::string(message)); }

void println(std::string_view line) { rt("println").output(line); }

void line(int n) {
  detail::Runtime& r = rt("line");
  if (!r.tracing()) return;
  detail::Worker* w = r.this_worker();
  const uint32_t gid = w && w->current ? w->current->id : 0;
  r.emit_with(r.deterministic() ? nullptr : w, 1, [=](Event& e) {
    e.kind = EventKind::GoLine;
    e.g = gid;
    e.a = n;
  });
}

uint32_t goid() {
  detail::G* g = rt("goid").current_g();
  return g ? g->id : 0;
}

uint64_t rand_below(uint64_t n) { return n == 0 ? 0 : rt("rand_below").rand64() % n; }

Duration now() { return Duration(rt("now").now()); }
void sleep(Duration d) { rt("sleep").sleep(d.count()); }
void work(Duration d) { rt("work").work(d.count()); }

namespace detail {

G* current() {
  Runtime* r = runtime();
  return r ? r->current_g() : nullptr;
}
uint32_t id_of(const G* g) { return g ? g->id : 0; }
uint32_t current_gid() {
  Runtime* r = runtime();
  G* g = r ? r->current_g() : nullptr;
  return g ? g->id : 0;
}
void park(BlockReason reason, uint64_t obj, bool event_follows) { rt("park").park(reason, obj, event_follows); }
void unpark(G* g, bool event_follows) { rt("unpark").unpark(g, event_follows); }
uint64_t fast_rand() { return rt("fast_rand").rand64(); }
uint64_t new_object_id() {
  // Objects made outside a run (a WaitGroup at namespace scope) take ids far from the
  // per-run ones so that they never collide in events.
  static std::atomic<uint64_t> outside{uint64_t{1} << 40};
  Runtime* r = runtime();
  return r ? r->new_object_id() : outside.fetch_add(1, std::memory_order_relaxed);
}
int64_t now_ns() { return rt("now").now(); }
void emit(Event e) { rt("emit").emit(e); }
void go_panic(std::string message) { rt("panic").panic_current(std::move(message)); }
void charge_op_stopping() {
  if (Runtime* r = runtime()) r->charge_op();
}
uint64_t add_timer(int64_t delay_ns, std::function<void()> fire) {
  return rt("add_timer").add_timer(delay_ns, std::move(fire));
}
bool cancel_timer(uint64_t timer_id) { return rt("cancel_timer").cancel_timer(timer_id); }

}  // namespace detail
}  // namespace goscope
