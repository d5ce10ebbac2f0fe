NAME = "demo"
VERSION = "0.2.0"
