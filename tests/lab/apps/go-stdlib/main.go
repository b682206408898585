// A clock service using only the standard library.
package main

import (
	"fmt"
	"log"
	"net/http"
	"time"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "clock service: %s\n", time.Now().UTC().Format(time.RFC3339))
	})
	log.Println("listening on 8080")
	log.Fatal(http.ListenAndServe(":8080", nil))
}
