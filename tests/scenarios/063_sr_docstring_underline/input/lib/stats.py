def mean(xs):
    """Average of xs.

    Returns
    =======
    float
        The mean.
    """
    return sum(xs) / len(xs)
