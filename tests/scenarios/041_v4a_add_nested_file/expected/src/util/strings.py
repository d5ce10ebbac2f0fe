import sys


def shout(s):
    return s.upper() + "!"
