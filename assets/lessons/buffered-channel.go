// buffered-channel: a fast producer fills a buffer; a slow consumer drains it.
// Run it: go run buffered-channel.go -buffer 2   (buffer: 0..6)
package main

import (
	"flag"
	"fmt"
	"time"
)

const messages = 6

var buffer = flag.Int("buffer", 2, "capacity of the channel (0..6)")

func main() {
	flag.Parse()
	ch := make(chan int, *buffer)

	go func() {
		for i := 0; i < messages; i++ {
			ch <- i // blocks only while the buffer is full
			fmt.Println("sent", i)
		}
		close(ch)
	}()

	// main is the consumer, and a slow one.
	for v := range ch {
		time.Sleep(100 * time.Millisecond) // handling a value takes a while
		fmt.Println("received", v)
	}
}
