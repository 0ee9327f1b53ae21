// runtime.cpp: run() and the outcome's report.
#include "core/runtime.h"

#include "core/detail/runtime_impl.h"

namespace goscope {

Outcome run(const Config& config, std::function<void()> main_fn) {
  detail::Runtime rt(config);
  return rt.run(std::move(main_fn));
}

bool solo_available() { return detail::Runtime::solo_available(); }

std::string Outcome::report() const {
  switch (kind) {
    case OutcomeKind::ok:
      return {};
    case OutcomeKind::panic:
      return "panic: " + message + "\n\ngoroutine " + std::to_string(goroutine) + " [running]:\n";
    case OutcomeKind::deadlock: {
      std::string s = "fatal error: " + message + "\n";
      for (const BlockedGoroutine& b : blocked) {
        s += "\ngoroutine " + std::to_string(b.id) + " [" + b.wait_reason + "]:\n";
        s += (b.name.empty() ? std::string("?") : b.name) + "\n";
      }
      return s;
    }
    case OutcomeKind::fatal:
      return (detail.empty() ? std::string() : detail + "\n") + "fatal error: " + message + "\n\ngoroutine " +
             std::to_string(goroutine) + " [running]:\n";
  }
  return {};
}

}  // namespace goscope
