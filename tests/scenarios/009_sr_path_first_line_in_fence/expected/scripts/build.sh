#!/bin/sh
set -e
cmake -S . -B build
cmake --build build -j2
ctest --test-dir build
