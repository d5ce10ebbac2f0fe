import time


def with_retries(fn):
    retries = 3
    delay = 0.5
    for attempt in range(retries):
        try:
            return fn()
        except IOError:
            time.sleep(delay)
            delay *= 2
    raise RuntimeError("gave up")
