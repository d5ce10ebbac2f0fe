import os, sys

print(os.sep)
