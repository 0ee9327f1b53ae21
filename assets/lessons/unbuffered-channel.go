// unbuffered-channel: a send waits for a receiver, and a receive waits for a sender.
// Run it: go run unbuffered-channel.go
package main

import (
	"fmt"
	"time"
)

func main() {
	ch := make(chan string) // unbuffered: no room inside, only a handover

	go func() {
		ch <- "Hello!!!" // main is still asleep: the sender waits here
		time.Sleep(100 * time.Millisecond)
		ch <- "Bye!!!" // main is already waiting: handed over at once
	}()

	time.Sleep(100 * time.Millisecond)
	msg := <-ch // the sender is waiting: take its value at once
	fmt.Println("received", msg)
	msg = <-ch // nothing sent yet: main waits for the sender
	fmt.Println("received", msg)
}
