@echo off
set MODE=release
set JOBS=2
call build.bat %MODE%
