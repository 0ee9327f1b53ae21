// waitgroup: main waits for the goroutine with a sync.WaitGroup.
// Run it: go run waitgroup.go
package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	wg.Add(1) // one goroutine to wait for

	go func() {
		fmt.Println("async thing")
		wg.Done() // the counter drops to 0
	}()

	wg.Wait() // blocks until the counter is 0
}
