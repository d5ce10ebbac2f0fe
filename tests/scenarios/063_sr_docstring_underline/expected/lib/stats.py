def mean(xs):
    """Average of xs.

    Returns
    =======
    float
        The arithmetic mean; raises on an empty list.
    """
    return sum(xs) / len(xs)
