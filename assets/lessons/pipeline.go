// pipeline: generator -> squarer -> printer, each stage a goroutine joined by channels.
// Run it: go run pipeline.go -numbers 5
package main

import (
	"flag"
	"fmt"
)

var numbers = flag.Int("numbers", 5, "how many numbers the generator sends (1..100)")

func main() {
	flag.Parse()
	naturals := make(chan int)
	squares := make(chan int)
	done := make(chan bool)

	go func() { // generator
		for x := 1; x <= *numbers; x++ {
			naturals <- x
		}
		close(naturals) // no more numbers: ends the squarer's range
	}()

	go func() { // squarer
		for x := range naturals {
			squares <- x * x
		}
		close(squares) // ends the printer's range
	}()

	go func() { // printer
		for x := range squares {
			fmt.Println(x)
		}
		done <- true
	}()

	<-done // main waits for the last stage
}
