// gochan_powser1_test.cpp: Go's test/chan/powser1.go, Doug McIlroy's power series as a
// network of goroutines talking over unbuffered channels (each series is a pair of
// channels: a request channel and a data channel), with selects over send and receive
// cases and nil channels. Same series, same checks as the Go program's test mode (Recip,
// Subst, Binom and the printing helpers, which that mode never calls, are left out).
#include <array>
#include <atomic>
#include <memory>
#include <vector>

#include "core/chan.h"
#include "core/go.h"
#include "core/select.h"
#include "tests/core/chan_fixture.h"

using namespace goscope;
using namespace goscope::chantest;

namespace {

struct Rat {
  int64_t num = 0, den = 0;  // numerator, denominator
  bool eq(Rat c) const { return num == c.num && den == c.den; }
};

struct Dch {
  Chan<int> req;
  Chan<Rat> dat;
};
using PS = std::shared_ptr<Dch>;  // power series
using PS2 = std::shared_ptr<std::array<PS, 2>>;  // pair of power series

// The Go program's globals (one run at a time).
std::atomic<int> seqno{0};
Rat zero, one, finis;
PS Ones, Twos;

PS mkdch() {
  auto d = std::make_shared<Dch>();
  d->req = make_chan<int>();
  d->dat = make_chan<Rat>();
  return d;
}

PS2 mkdch2() {
  auto d2 = std::make_shared<std::array<PS, 2>>();
  (*d2)[0] = mkdch();
  (*d2)[1] = mkdch();
  return d2;
}

// dosplit: split reads a single demand channel and replicates its output onto two, which
// may be read at different rates. A process is created at first demand for a rat and
// dies after the rat has been sent to both outputs.
void dosplit(PS in, PS2 out, Chan<int> wait) {
  bool both = false;  // do not service both channels
  if (select({recv_case((*out)[0]->req), recv_case(wait)}) == 1) {
    both = true;
    if (select({recv_case((*out)[0]->req), recv_case((*out)[1]->req)}) == 1) std::swap((*out)[0], (*out)[1]);
  }
  in->req.send(++seqno);
  auto release = make_chan<int>();
  go([in, out, release] { dosplit(in, out, release); });
  Rat dat = in->dat.recv();
  (*out)[0]->dat.send(dat);
  if (!both) wait.recv();
  (*out)[1]->req.recv();
  (*out)[1]->dat.send(dat);
  release.send(0);
}

void split(PS in, PS2 out) {
  auto release = make_chan<int>();
  go([in, out, release] { dosplit(in, out, release); });
  release.send(0);
}

void put(Rat dat, PS out) {
  out->req.recv();
  out->dat.send(dat);
}

Rat get(PS in) {
  in->req.send(++seqno);
  return in->dat.recv();
}

// getn gets one item from each of n demand channels.
std::array<Rat, 2> getn(std::array<PS, 2> in) {
  std::array<Chan<int>, 2> req;
  std::array<Chan<Rat>, 2> dat;  // nil until the request went out
  std::array<Rat, 2> out;
  Rat it;
  for (int i = 0; i < 2; ++i) req[i] = in[i]->req;
  for (int n = 4; n > 0; n--) {
    int s = ++seqno;
    switch (select({send_case(req[0], s), send_case(req[1], s), recv_case(dat[0], &it), recv_case(dat[1], &it)})) {
      case 0:
        dat[0] = in[0]->dat;
        req[0] = Chan<int>();
        break;
      case 1:
        dat[1] = in[1]->dat;
        req[1] = Chan<int>();
        break;
      case 2:
        out[0] = it;
        dat[0] = Chan<Rat>();
        break;
      case 3:
        out[1] = it;
        dat[1] = Chan<Rat>();
        break;
    }
  }
  return out;
}

std::array<Rat, 2> get2(PS in0, PS in1) { return getn({in0, in1}); }

void copy(PS in, PS out) {
  for (;;) {
    out->req.recv();
    out->dat.send(get(in));
  }
}

void repeat(Rat dat, PS out) {
  for (;;) put(dat, out);
}

PS mkPS() { return mkdch(); }
PS2 mkPS2() { return mkdch2(); }

int64_t gcd(int64_t u, int64_t v) {
  if (u < 0) return gcd(-u, v);
  if (u == 0) return v;
  return gcd(v % u, u);
}

Rat i2tor(int64_t u, int64_t v) {
  int64_t g = gcd(u, v);
  Rat r;
  if (v > 0) {
    r.num = u / g;
    r.den = v / g;
  } else {
    r.num = -u / g;
    r.den = -v / g;
  }
  return r;
}

Rat itor(int64_t u) { return i2tor(u, 1); }

int64_t end(Rat u) { return u.den == 0 ? 1 : 0; }

Rat add(Rat u, Rat v) {
  int64_t g = gcd(u.den, v.den);
  return i2tor(u.num * (v.den / g) + v.num * (u.den / g), u.den * (v.den / g));
}

Rat mul(Rat u, Rat v) {
  int64_t g1 = gcd(u.num, v.den);
  int64_t g2 = gcd(u.den, v.num);
  Rat r;
  r.num = (u.num / g1) * (v.num / g2);
  r.den = (u.den / g2) * (v.den / g1);
  return r;
}

Rat neg(Rat u) { return i2tor(-u.num, u.den); }

PS2 Split(PS U) {
  PS2 UU = mkdch2();
  go([U, UU] { split(U, UU); });
  return UU;
}

PS Add(PS U, PS V) {
  PS Z = mkPS();
  go([U, V, Z] {
    for (;;) {
      Z->req.recv();
      auto uv = get2(U, V);
      switch (end(uv[0]) + 2 * end(uv[1])) {
        case 0:
          Z->dat.send(add(uv[0], uv[1]));
          break;
        case 1:
          Z->dat.send(uv[1]);
          copy(V, Z);
          break;
        case 2:
          Z->dat.send(uv[0]);
          copy(U, Z);
          break;
        case 3:
          Z->dat.send(finis);
          break;
      }
    }
  });
  return Z;
}

PS Cmul(Rat c, PS U) {
  PS Z = mkPS();
  go([c, U, Z] {
    bool done = false;
    while (!done) {
      Z->req.recv();
      Rat u = get(U);
      if (end(u) != 0) {
        done = true;
      } else {
        Z->dat.send(mul(c, u));
      }
    }
    Z->dat.send(finis);
  });
  return Z;
}

PS Sub(PS U, PS V) { return Add(U, Cmul(neg(one), V)); }

PS Rep(Rat c) {
  PS Z = mkPS();
  go([c, Z] { repeat(c, Z); });
  return Z;
}

PS Mul(PS U, PS V) {
  PS Z = mkPS();
  go([U, V, Z] {
    Z->req.recv();
    auto uv = get2(U, V);
    if (end(uv[0]) != 0 || end(uv[1]) != 0) {
      Z->dat.send(finis);
    } else {
      Z->dat.send(mul(uv[0], uv[1]));
      PS2 UU = Split(U);
      PS2 VV = Split(V);
      PS W = Add(Cmul(uv[0], (*VV)[0]), Cmul(uv[1], (*UU)[0]));
      Z->req.recv();
      Z->dat.send(get(W));
      copy(Add(W, Mul((*UU)[1], (*VV)[1])), Z);
    }
  });
  return Z;
}

PS Diff(PS U) {
  PS Z = mkPS();
  go([U, Z] {
    Z->req.recv();
    Rat u = get(U);
    if (end(u) == 0) {
      bool done = false;
      for (int i = 1; !done; i++) {
        u = get(U);
        if (end(u) != 0) {
          done = true;
        } else {
          Z->dat.send(mul(itor(i), u));
          Z->req.recv();
        }
      }
    }
    Z->dat.send(finis);
  });
  return Z;
}

PS Integ(Rat c, PS U) {
  PS Z = mkPS();
  go([c, U, Z] {
    put(c, Z);
    bool done = false;
    for (int i = 1; !done; i++) {
      Z->req.recv();
      Rat u = get(U);
      if (end(u) != 0) done = true;
      Z->dat.send(mul(i2tor(1, i), u));
    }
    Z->dat.send(finis);
  });
  return Z;
}

PS Exp(PS U) {
  PS2 ZZ = mkPS2();
  split(Integ(one, Mul((*ZZ)[0], Diff(U))), ZZ);
  return (*ZZ)[1];
}

PS MonSubst(PS U, Rat c0, int n) {
  PS Z = mkPS();
  go([U, c0, n, Z] {
    Rat c = one;
    for (;;) {
      Z->req.recv();
      Rat u = get(U);
      Z->dat.send(mul(u, c));
      c = mul(c, c0);
      if (end(u) != 0) {
        Z->dat.send(finis);
        break;
      }
      for (int i = 1; i < n; i++) {
        Z->req.recv();
        Z->dat.send(zero);
      }
    }
  });
  return Z;
}

void Init() {
  seqno = 0;
  zero = itor(0);
  one = itor(1);
  finis = i2tor(1, 0);
  Ones = Rep(one);
  Twos = Rep(itor(2));
}

constexpr int N = 10;

void check(PS U, Rat c, int count, const char* str) {
  for (int i = 0; i < count; i++) {
    Rat r = get(U);
    if (!r.eq(c)) {
      ADD_FAILURE() << str << ": got " << r.num << "/" << r.den << ", should get " << c.num << "/" << c.den;
      panic(str);
    }
  }
}

void checka(PS U, const std::vector<Rat>& a, const char* str) {
  for (int i = 0; i < N; i++) check(U, a[i], 1, str);
}

void PowserMain() {
  Init();
  check(Ones, one, 5, "Ones");
  check(Add(Ones, Ones), itor(2), 0, "Add Ones Ones");  // 1 1 1 1 1
  check(Add(Ones, Twos), itor(3), 0, "Add Ones Twos");  // 3 3 3 3 3
  std::vector<Rat> a(N);
  PS d = Diff(Ones);
  for (int i = 0; i < N; i++) a[i] = itor(i + 1);
  checka(d, a, "Diff");  // 1 2 3 4 5
  PS in = Integ(zero, Ones);
  a[0] = zero;  // integration constant
  for (int i = 1; i < N; i++) a[i] = i2tor(1, i);
  checka(in, a, "Integ");                                // 0 1 1/2 1/3 1/4 1/5
  check(Cmul(neg(one), Twos), itor(-2), 10, "CMul");     // -1 -1 -1 -1 -1
  check(Sub(Ones, Twos), itor(-1), 0, "Sub Ones Twos");  // -1 -1 -1 -1 -1
  PS m = Mul(Ones, Ones);
  for (int i = 0; i < N; i++) a[i] = itor(i + 1);
  checka(m, a, "Mul");  // 1 2 3 4 5
  PS e = Exp(Ones);
  a[0] = itor(1);
  a[1] = itor(1);
  a[2] = i2tor(3, 2);
  a[3] = i2tor(13, 6);
  a[4] = i2tor(73, 24);
  a[5] = i2tor(167, 40);
  a[6] = i2tor(4051, 720);
  a[7] = i2tor(37633, 5040);
  a[8] = i2tor(43817, 4480);
  a[9] = i2tor(4596553, 362880);
  checka(e, a, "Exp");  // 1 1 3/2 13/6 73/24
  PS at = Integ(zero, MonSubst(Ones, neg(one), 2));
  for (int c = 1, i = 0; i < N; i++) {
    if (i % 2 == 0) {
      a[i] = zero;
    } else {
      a[i] = i2tor(c, i);
      c *= -1;
    }
  }
  checka(at, a, "ATan");  // 0 -1 0 -1/3 0 -1/5
  Ones.reset();
  Twos.reset();
}

TEST_P(ChanTest, GoPowser1PowerSeriesOverChannels) {
  Outcome out = Run(PowserMain);
  EXPECT_GT(out.goroutines, 100u);  // the network really was built
}

}  // namespace
