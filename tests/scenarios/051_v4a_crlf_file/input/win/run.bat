@echo off
set MODE=debug
call build.bat %MODE%
