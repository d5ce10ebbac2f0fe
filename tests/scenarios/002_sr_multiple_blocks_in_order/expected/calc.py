import math

PI = math.pi
TAU = 2 * PI


def area(r):
    return PI * r * r


def circumference(r):
    return TAU * r
