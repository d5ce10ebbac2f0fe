package main

import (
	"fmt"
	"net/http"
)

func health(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintln(w, "ok")
}

func version(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintln(w, "1.0")
}

func main() {
	http.HandleFunc("/health", health)
	http.HandleFunc("/version", version)
	http.ListenAndServe(":8080", nil)
}
