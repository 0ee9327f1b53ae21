// go_bench: the Go side of `goscope-bench --compare`.
//
// It measures one workload and prints one JSON line:
//
//	go_bench -metric pingpong_unbuffered_rt_ns -n 200000
//	{"metric":"pingpong_unbuffered_rt_ns","value":245.1}
//
// The caller sets GOMAXPROCS (1, or 2 for the *_2t metrics) and runs a fresh process per
// measurement. Each workload runs once with n/10 operations to warm up (stacks, channel
// buffers, the scheduler's caches), then is timed with n. The workloads mirror goscope's
// and Boost.Fiber's in bench/workloads_goscope.cpp and bench/fiber_workloads.cpp: change
// them together.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/trace"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// pingPong times n round trips: main sends on ping, a partner receives and sends the
// value back on pong.
func pingPong(n int, capacity int) time.Duration {
	ping, pong := make(chan int, capacity), make(chan int, capacity)
	go func() {
		for v := range ping {
			pong <- v
		}
	}()
	start := now()
	for i := 0; i < n; i++ {
		ping <- i
		<-pong
	}
	d := now() - start
	close(ping)
	return d
}

// spsc times n messages from one producer to one consumer through one channel.
func spsc(n int) time.Duration {
	ch := make(chan int, 128)
	start := now()
	go func() {
		for i := 0; i < n; i++ {
			ch <- i
		}
	}()
	sum := 0
	for i := 0; i < n; i++ {
		sum += <-ch
	}
	d := now() - start
	if sum != n*(n-1)/2 {
		panic("spsc: lost messages")
	}
	return d
}

// mpmc times n messages from 4 producers to 4 consumers through one channel.
func mpmc(n int) time.Duration {
	const producers, consumers = 4, 4
	n -= n % (producers * consumers)
	ch := make(chan int, 128)
	var wg sync.WaitGroup
	var total int64
	start := now()
	wg.Add(producers + consumers)
	for p := 0; p < producers; p++ {
		go func() {
			for i := 0; i < n/producers; i++ {
				ch <- 1
			}
			wg.Done()
		}()
	}
	for c := 0; c < consumers; c++ {
		go func() {
			s := 0
			for i := 0; i < n/consumers; i++ {
				s += <-ch
			}
			atomic.AddInt64(&total, int64(s))
			wg.Done()
		}()
	}
	wg.Wait()
	d := now() - start
	if total != int64(n) {
		panic("mpmc: lost messages")
	}
	return d
}

// select2 times n round trips where both sides receive with a select over two channels:
// main sends i on p[i&1], the partner selects over p[0], p[1] and answers on q[i&1], main
// selects over q[0], q[1].
func select2(n int) time.Duration {
	p := [2]chan int{make(chan int), make(chan int)}
	q := [2]chan int{make(chan int), make(chan int)}
	go func() {
		for {
			var v int
			select {
			case v = <-p[0]:
			case v = <-p[1]:
			}
			if v < 0 {
				return
			}
			q[v&1] <- v
		}
	}()
	start := now()
	for i := 0; i < n; i++ {
		p[i&1] <- i
		select {
		case <-q[0]:
		case <-q[1]:
		}
	}
	d := now() - start
	p[0] <- -1
	return d
}

// yield times n calls of runtime.Gosched by main while a second goroutine yields too.
func yield(n int) time.Duration {
	var done int32
	finished := make(chan struct{})
	go func() {
		for atomic.LoadInt32(&done) == 0 {
			runtime.Gosched()
		}
		close(finished)
	}()
	start := now()
	for i := 0; i < n; i++ {
		runtime.Gosched()
	}
	d := now() - start
	atomic.StoreInt32(&done, 1)
	<-finished
	return d
}

// spawnJoin times n times: start one goroutine and wait for it to finish.
func spawnJoin(n int) time.Duration {
	start := now()
	for i := 0; i < n; i++ {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { wg.Done() }()
		wg.Wait()
	}
	return now() - start
}

// rssBytes reads the resident set size of this process.
func rssBytes() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		panic(err)
	}
	var size, resident int64
	fmt.Sscan(string(b), &size, &resident)
	return resident * int64(os.Getpagesize())
}

// parkedBytes parks n goroutines on one channel and returns the RSS growth per goroutine.
func parkedBytes(n int) float64 {
	gate := make(chan struct{})
	var parked sync.WaitGroup
	parked.Add(n)
	before := rssBytes()
	for i := 0; i < n; i++ {
		go func() {
			parked.Done()
			<-gate
		}()
	}
	parked.Wait()
	after := rssBytes()
	close(gate)
	return float64(after-before) / float64(n)
}

// traceLog times n user events (trace.Log) while the execution tracer writes to io.Discard.
func traceLog(n int) time.Duration {
	ctx := context.Background()
	start := now()
	for i := 0; i < n; i++ {
		trace.Log(ctx, "line", "x")
	}
	return now() - start
}

func traced(f func()) {
	if err := trace.Start(io.Discard); err != nil {
		panic(err)
	}
	f()
	trace.Stop()
}

// cpuClock: GOSCOPE_BENCH_CLOCK=cpu times with the process's CPU time (user + system,
// all threads) instead of the wall clock, as goscope-bench's children do.
var cpuClock = os.Getenv("GOSCOPE_BENCH_CLOCK") == "cpu"

var wallStart = time.Now()

// now reads the clock the workloads time with.
func now() time.Duration {
	if cpuClock {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			panic(err)
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	return time.Since(wallStart)
}

func nsPer(d time.Duration, n int) float64 { return float64(d.Nanoseconds()) / float64(n) }

func measure(metric string, n int) (value *float64, note string) {
	warm := n / 10
	if warm < 1 {
		warm = 1
	}
	v := 0.0
	switch metric {
	case "pingpong_unbuffered_rt_ns", "pingpong_unbuffered_rt_ns_2t":
		pingPong(warm, 0)
		v = nsPer(pingPong(n, 0), n)
	case "pingpong_buffered1_rt_ns":
		pingPong(warm, 1)
		v = nsPer(pingPong(n, 1), n)
	case "spsc_cap128_ns", "spsc_cap128_ns_2t":
		spsc(warm)
		v = nsPer(spsc(n), n)
	case "mpmc_4x4_cap128_ns", "mpmc_4x4_cap128_ns_2t":
		mpmc(warm)
		m := n - n%16
		v = nsPer(mpmc(m), m)
	case "select2_pingpong_rt_ns":
		select2(warm)
		v = nsPer(select2(n), n)
	case "yield_ns":
		yield(warm)
		v = nsPer(yield(n), n)
	case "spawn_join_ns":
		spawnJoin(warm)
		v = nsPer(spawnJoin(n), n)
	case "parked_bytes_per_goroutine":
		v = parkedBytes(n)
	case "event_emit_ns":
		traceLog(warm)
		untraced := traceLog(n)
		var t time.Duration
		traced(func() { t = traceLog(n) })
		v = nsPer(t-untraced, n)
		note = "runtime/trace user log (trace.Log) written to io.Discard"
	case "pingpong_traced_over_untraced":
		pingPong(warm, 0)
		untraced := pingPong(n, 0)
		var t time.Duration
		traced(func() { t = pingPong(n, 0) })
		v = float64(t) / float64(untraced)
		note = "runtime/trace written to io.Discard"
	default:
		fmt.Fprintf(os.Stderr, "go_bench: unknown metric %q\n", metric)
		os.Exit(2)
	}
	return &v, note
}

func main() {
	metric := flag.String("metric", "", "the metric to measure (see bench/compare.cpp)")
	n := flag.Int("n", 100000, "operations to time")
	flag.Parse()
	if *metric == "" || *n < 1 {
		fmt.Fprintln(os.Stderr, "usage: go_bench -metric NAME -n N")
		os.Exit(2)
	}
	value, note := measure(*metric, *n)
	out := map[string]interface{}{"metric": *metric, "value": value}
	if note != "" {
		out["note"] = note
	}
	line, _ := json.Marshal(out)
	fmt.Println(string(line))
}
