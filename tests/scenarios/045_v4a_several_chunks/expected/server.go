package main

import (
	"fmt"
	"log"
	"net/http"
)

func health(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintln(w, "ok")
}

func version(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintln(w, "1.1")
}

func main() {
	http.HandleFunc("/health", health)
	http.HandleFunc("/version", version)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
