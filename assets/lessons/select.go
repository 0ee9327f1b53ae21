// select: wait on several channels at once, with a timeout, and peek without waiting.
// Run it: go run select.go
package main

import (
	"fmt"
	"time"
)

func main() {
	fast := make(chan string)
	slow := make(chan string)

	go func() { // a message every 100ms
		for i := 1; i <= 3; i++ {
			time.Sleep(100 * time.Millisecond)
			fast <- fmt.Sprint("fast ", i)
		}
	}()

	go func() { // one message after 250ms
		time.Sleep(250 * time.Millisecond)
		slow <- "slow 1"
	}()

	// With a default case select never waits: nothing has been sent yet.
	select {
	case msg := <-fast:
		fmt.Println("got", msg)
	default:
		fmt.Println("nothing ready yet")
	}

	// Take whatever comes first, until the timeout fires.
	timeout := time.After(500 * time.Millisecond)
	for {
		select {
		case msg := <-fast:
			fmt.Println("got", msg)
		case msg := <-slow:
			fmt.Println("got", msg)
		case <-timeout:
			fmt.Println("timeout")
			return
		}
	}
}
