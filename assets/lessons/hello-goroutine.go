// hello-goroutine: `go` only asks the scheduler to run a function some time later.
// Run it: go run hello-goroutine.go   (it prints nothing)
package main

import "fmt"

func main() {
	// The go statement asks the scheduler to run this function later...
	go func() {
		fmt.Println("async thing")
	}()
	// ...but main returns at once, and the program ends with it.
}
