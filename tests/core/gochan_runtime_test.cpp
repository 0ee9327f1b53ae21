// gochan_runtime_test.cpp: Go's src/runtime/chan_test.go tests of channel behaviour
// (TestChan, TestNonblockRecvRace, TestSelfSelect, TestSelectStress, TestSelectFairness,
// TestPseudoRandomSend, TestMultiConsumer), ported with the same inputs and checks.
// Go's plain shared variables become atomics where Go relies on timing alone.
#include <array>
#include <atomic>
#include <cmath>
#include <algorithm>
#include <map>

#include "core/chan.h"
#include "core/go.h"
#include "core/select.h"
#include "core/time.h"
#include "core/waitgroup.h"
#include "tests/core/chan_fixture.h"

using namespace goscope;
using namespace goscope::chantest;
using std::chrono::milliseconds;

namespace {

TEST_P(ChanTest, GoTestChan) {
  const int N = (real() ? 200 : 60) / kScale;
  Run([N] {
    for (int chanCap = 0; chanCap < N; chanCap++) {
      {
        // Ensure that receive from empty chan blocks.
        auto c = make_chan<int>(chanCap);
        std::atomic<bool> recv1{false}, recv2{false};
        go([c, &recv1]() mutable {
          c.recv();
          recv1 = true;
        });
        go([c, &recv2]() mutable {
          c.recv_ok();
          recv2 = true;
        });
        sleep(milliseconds(1));
        ASSERT_FALSE(recv1 || recv2) << "chan[" << chanCap << "]: receive from empty chan";
        // Ensure that non-blocking receive does not block.
        ASSERT_NE(select({recv_case(c), default_case()}), 0u) << "chan[" << chanCap << "]: receive from empty chan";
        bool ok = false;
        ASSERT_NE(select({recv_case(c, static_cast<int*>(nullptr), &ok), default_case()}), 0u);
        c.send(0);
        c.send(0);
        // (the two receivers finish: wait for them before their flags go out of scope)
        while (!recv1 || !recv2) yield();
      }
      {
        // Ensure that send to full chan blocks.
        auto c = make_chan<int>(chanCap);
        for (int i = 0; i < chanCap; i++) c.send(i);
        std::atomic<uint32_t> sent{0};
        go([c, &sent]() mutable {
          c.send(0);
          sent = 1;
        });
        sleep(milliseconds(1));
        ASSERT_EQ(sent.load(), 0u) << "chan[" << chanCap << "]: send to full chan";
        // Ensure that non-blocking send does not block.
        ASSERT_NE(select({send_case(c, 0), default_case()}), 0u) << "chan[" << chanCap << "]: send to full chan";
        c.recv();
        while (!sent) yield();
      }
      {
        // Ensure that we receive 0 from closed chan.
        auto c = make_chan<int>(chanCap);
        for (int i = 0; i < chanCap; i++) c.send(i);
        c.close();
        for (int i = 0; i < chanCap; i++) {
          int v = c.recv();
          ASSERT_EQ(v, i) << "chan[" << chanCap << "]";
        }
        ASSERT_EQ(c.recv(), 0) << "chan[" << chanCap << "]";
        auto [v, ok] = c.recv_ok();
        ASSERT_TRUE(v == 0 && !ok) << "chan[" << chanCap << "]";
      }
      {
        // Ensure that close unblocks receive.
        auto c = make_chan<int>(chanCap);
        auto done = make_chan<bool>();
        go([c, done]() mutable {
          auto [v, ok] = c.recv_ok();
          done.send(v == 0 && !ok);
        });
        sleep(milliseconds(1));
        c.close();
        ASSERT_TRUE(done.recv()) << "chan[" << chanCap << "]: received non zero from closed chan";
      }
      {
        // Send 100 integers, ensure that we receive them non-corrupted in FIFO order.
        auto c = make_chan<int>(chanCap);
        go([c]() mutable {
          for (int i = 0; i < 100; i++) c.send(i);
        });
        for (int i = 0; i < 100; i++) ASSERT_EQ(c.recv(), i) << "chan[" << chanCap << "]";
        // Same, but using recv2.
        go([c]() mutable {
          for (int i = 0; i < 100; i++) c.send(i);
        });
        for (int i = 0; i < 100; i++) {
          auto [v, ok] = c.recv_ok();
          ASSERT_TRUE(ok) << "chan[" << chanCap << "]: receive failed, expected " << i;
          ASSERT_EQ(v, i) << "chan[" << chanCap << "]";
        }
        // Send 1000 integers in 4 goroutines, ensure that we receive what we send.
        const int P = 4;
        const int L = 1000;
        for (int p = 0; p < P; p++) {
          go([c]() mutable {
            for (int i = 0; i < L; i++) c.send(i);
          });
        }
        auto done = make_chan<std::map<int, int>>();
        for (int p = 0; p < P; p++) {
          go([c, done]() mutable {
            std::map<int, int> recv;
            for (int i = 0; i < L; i++) recv[c.recv()]++;
            done.send(std::move(recv));
          });
        }
        std::map<int, int> recv;
        for (int p = 0; p < P; p++) {
          for (auto [k, v] : done.recv()) recv[k] += v;
        }
        ASSERT_EQ(recv.size(), static_cast<std::size_t>(L)) << "chan[" << chanCap << "]";
        for (auto [k, v] : recv) ASSERT_EQ(v, P) << "chan[" << chanCap << "]: value " << k;
      }
      {
        // Test len/cap.
        auto c = make_chan<int>(chanCap);
        ASSERT_TRUE(c.len() == 0 && c.cap() == static_cast<std::size_t>(chanCap));
        for (int i = 0; i < chanCap; i++) c.send(i);
        ASSERT_TRUE(c.len() == static_cast<std::size_t>(chanCap) && c.cap() == static_cast<std::size_t>(chanCap));
      }
    }
  });
}

TEST_P(ChanTest, GoTestNonblockRecvRace) {
  const int n = 10000 / kScale;
  Run([n] {
    std::atomic<int> not_ready{0};
    WaitGroup wg;
    for (int i = 0; i < n; i++) {
      auto c = make_chan<int>(1);
      c.send(1);
      wg.Add(1);
      go([c, wg, &not_ready]() mutable {
        if (select({recv_case(c), default_case()}) == 1) not_ready++;  // "chan is not ready"
        wg.Done();
      });
      c.close();
      c.recv();
      if (not_ready) break;
    }
    wg.Wait();
    EXPECT_EQ(not_ready.load(), 0) << "chan is not ready";
  });
}

// Send and receive on the same channel in one select: no crash, no deadlock, and (for an
// unbuffered channel) never a value received from oneself.
TEST_P(ChanTest, GoTestSelfSelect) {
  Run([] {
    for (int chanCap : {0, 10}) {
      WaitGroup wg;
      wg.Add(2);
      auto c = make_chan<int>(chanCap);
      std::atomic<int> self_receives{0};
      for (int p = 0; p < 2; p++) {
        go([=, &self_receives]() mutable {
          for (int i = 0; i < 1000; i++) {
            int v = -1;
            if (p == 0 || i % 2 == 0) {
              if (select({send_case(c, p), recv_case(c, &v)}) == 1 && chanCap == 0 && v == p) {
                self_receives++;
                break;
              }
            } else {
              if (select({recv_case(c, &v), send_case(c, p)}) == 0 && chanCap == 0 && v == p) {
                self_receives++;
                break;
              }
            }
          }
          wg.Done();
        });
      }
      wg.Wait();
      EXPECT_EQ(self_receives.load(), 0) << "self receive";
    }
  });
}

TEST_P(ChanTest, GoTestSelectStress) {
  const int N = (real() ? 100000 : 20000) / kScale;
  Run([N] {
    std::array<Chan<int>, 4> c{make_chan<int>(), make_chan<int>(), make_chan<int>(2), make_chan<int>(3)};
    WaitGroup wg;
    wg.Add(10);
    for (int k = 0; k < 4; k++) {
      go([=]() mutable {
        for (int i = 0; i < N; i++) c[k].send(0);
        wg.Done();
      });
      go([=]() mutable {
        for (int i = 0; i < N; i++) c[k].recv();
        wg.Done();
      });
    }
    go([=]() mutable {
      std::array<int, 4> n{};
      auto c1 = c;
      for (int i = 0; i < 4 * N; i++) {
        switch (select({send_case(c1[3], 0), send_case(c1[2], 0), send_case(c1[0], 0), send_case(c1[1], 0)})) {
          case 0:
            if (++n[3] == N) c1[3] = Chan<int>();
            break;
          case 1:
            if (++n[2] == N) c1[2] = Chan<int>();
            break;
          case 2:
            if (++n[0] == N) c1[0] = Chan<int>();
            break;
          case 3:
            if (++n[1] == N) c1[1] = Chan<int>();
            break;
        }
      }
      wg.Done();
    });
    go([=]() mutable {
      std::array<int, 4> n{};
      auto c1 = c;
      for (int i = 0; i < 4 * N; i++) {
        std::size_t k = select({recv_case(c1[0]), recv_case(c1[1]), recv_case(c1[2]), recv_case(c1[3])});
        if (++n[k] == N) c1[k] = Chan<int>();
      }
      wg.Done();
    });
    wg.Wait();
  });
}

TEST_P(ChanTest, GoTestSelectFairness) {
  const int trials = std::max(1000, 10000 / kScale);  // the bound below scales with it
  Run([trials] {
    auto c1 = make_chan<uint8_t>(trials + 1);
    auto c2 = make_chan<uint8_t>(trials + 1);
    for (int i = 0; i < trials + 1; i++) {
      c1.send(1);
      c2.send(2);
    }
    auto c3 = make_chan<uint8_t>();
    auto c4 = make_chan<uint8_t>();
    auto out = make_chan<uint8_t>();
    auto done = make_chan<uint8_t>();
    WaitGroup wg;
    wg.Add(1);
    go([=]() mutable {
      for (;;) {
        uint8_t b = 0;
        select({recv_case(c3, &b), recv_case(c4, &b), recv_case(c1, &b), recv_case(c2, &b)});
        if (select({send_case(out, b), recv_case(done)}) == 1) break;
      }
      wg.Done();
    });
    int cnt1 = 0, cnt2 = 0;
    for (int i = 0; i < trials; i++) {
      uint8_t b = out.recv();
      if (b == 1) {
        cnt1++;
      } else if (b == 2) {
        cnt2++;
      } else {
        FAIL() << "unexpected value " << int(b) << " on channel";
      }
    }
    double r = double(cnt1) / trials;
    double e = std::abs(r - 0.5);
    // 99.9999% confidence interval, as in Go's test
    EXPECT_LE(e, 4.891676 / (2 * std::sqrt(double(trials))))
        << "unfair select: in " << trials << " trials, results were " << cnt1 << ", " << cnt2;
    done.close();
    wg.Wait();
  });
}

TEST_P(ChanTest, GoTestPseudoRandomSend) {
  const int n = 100;
  Run([n] {
    for (int chanCap : {0, n}) {
      auto c = make_chan<int>(chanCap);
      std::vector<int> l(n);
      auto finished = make_chan<bool>();
      go([c, finished, &l, n]() mutable {
        for (int i = 0; i < n; i++) {
          yield();
          l[i] = c.recv();
        }
        finished.send(true);
      });
      for (int i = 0; i < n; i++) select({send_case(c, 1), send_case(c, 0)});
      finished.recv();  // wait
      int n0 = 0, n1 = 0;
      for (int i : l) {
        n0 += (i + 1) % 2;
        n1 += i;
      }
      EXPECT_TRUE(n0 > n / 10 && n1 > n / 10)
          << "Want pseudorandom, got " << n0 << " zeros and " << n1 << " ones (chan cap " << chanCap << ")";
    }
  });
}

TEST_P(ChanTest, GoTestMultiConsumer) {
  const int nwork = 23;
  const int niter = 271828 / kScale;
  Run([niter] {
    static const int pn[] = {2, 3, 7, 11, 13, 17, 19, 23, 27, 31};
    auto q = make_chan<int>(nwork * 3);
    auto r = make_chan<int>(nwork * 3);
    WaitGroup wg;
    for (int i = 0; i < nwork; i++) {
      wg.Add(1);
      go([q, r, wg, w = i]() mutable {
        for (int v : q) {
          // mess with the fifo-ish nature of range
          if (pn[w % 10] == v) yield();
          r.send(v);
        }
        wg.Done();
      });
    }
    std::atomic<int64_t> expect{0};
    go([q, r, wg, niter, &expect]() mutable {
      for (int i = 0; i < niter; i++) {
        int v = pn[i % 10];
        expect += v;
        q.send(v);
      }
      q.close();  // no more work
      wg.Wait();  // workers done
      r.close();  // ... so there can be no more results
    });
    int n = 0;
    int64_t s = 0;
    for (int v : r) {
      n++;
      s += v;
    }
    EXPECT_TRUE(n == niter && s == expect) << "Expected sum " << expect << " (got " << s << ") from " << niter
                                           << " iter (saw " << n << ")";
  });
}

}  // namespace
