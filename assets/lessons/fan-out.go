// fan-out: one producer hands out jobs; many workers do them; main collects the results.
// Run it: GOMAXPROCS=4 go run fan-out.go -jobs 40 -workers 4 -buffer 10 -work_ms 10 -kind cpu
package main

import (
	"flag"
	"fmt"
	"sync"
	"time"
)

var (
	jobCount = flag.Int("jobs", 40, "jobs the producer sends (1..100000)")
	workers  = flag.Int("workers", 4, "goroutines doing jobs (1..64)")
	buffer   = flag.Int("buffer", 10, "capacity of the jobs channel (0..1000)")
	workMs   = flag.Int("work_ms", 10, "milliseconds each job takes (0..1000)")
	kind     = flag.String("kind", "cpu", "cpu: a job keeps a processor busy; io: a job waits")
)

// spin keeps a processor busy for d (wall time; keep GOMAXPROCS <= your cores).
func spin(d time.Duration) {
	for start := time.Now(); time.Since(start) < d; {
	}
}

func main() {
	flag.Parse()
	jobs := make(chan int, *buffer)
	results := make(chan int)

	go func() { // the producer
		for j := 1; j <= *jobCount; j++ {
			jobs <- j
		}
		close(jobs)
	}()

	var wg sync.WaitGroup
	for w := 1; w <= *workers; w++ {
		wg.Add(1)
		go func() { // a worker
			defer wg.Done()
			for j := range jobs {
				if *kind == "cpu" {
					spin(time.Duration(*workMs) * time.Millisecond)
				} else {
					time.Sleep(time.Duration(*workMs) * time.Millisecond)
				}
				results <- j * j
			}
		}()
	}

	go func() { // the closer: when every worker is done, no result will come
		wg.Wait()
		close(results)
	}()

	// main collects: the count and the sum do not depend on who did which job.
	count, sum := 0, 0
	for r := range results {
		count++
		sum += r
	}
	fmt.Println("processed", count, "jobs")
	fmt.Println("sum of squares", sum)
}
