// deadlock: an unbuffered send that no goroutine will ever receive.
// Run it: go run deadlock.go   (Go stops it: "all goroutines are asleep")
package main

import "fmt"

func main() {
	ch := make(chan string) // unbuffered: a send waits for a receiver

	fmt.Println("sending Hello!!!")
	ch <- "Hello!!!"    // nobody will ever receive: main waits forever
	fmt.Println("sent") // never reached
}
