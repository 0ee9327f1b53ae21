// fan-in: many producers send into one channel; one consumer receives everything.
// Run it: go run fan-in.go -producers 3 -messages 4 -buffer 0
package main

import (
	"flag"
	"fmt"
	"sync"
)

var (
	producers = flag.Int("producers", 3, "goroutines sending into the channel (1..64)")
	messages  = flag.Int("messages", 4, "values each producer sends (1..1000)")
	buffer    = flag.Int("buffer", 0, "capacity of the channel (0..1000)")
)

func main() {
	flag.Parse()
	ch := make(chan int, *buffer)

	var wg sync.WaitGroup
	for p := 1; p <= *producers; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			for m := 1; m <= *messages; m++ {
				ch <- p // each value says who sent it
			}
		}(p)
	}

	go func() { // the closer: once every producer is done, nobody sends again
		wg.Wait()
		close(ch)
	}()

	// main is the consumer: it receives until ch is closed and drained.
	received := make([]int, *producers+1)
	total := 0
	for p := range ch {
		received[p]++
		total++
	}
	fmt.Println("received", total, "messages")
	for p := 1; p <= *producers; p++ {
		fmt.Printf("producer %d sent %d\n", p, received[p])
	}
}
