"""Event handlers."""
import logging

log = logging.getLogger(__name__)


def handle(evt):
    return evt.payload


def on_open(evt):
    log.info("open %s", evt.id)
    if evt.bad:
        return None
    return handle(evt)


def finish(evt):
    evt.close()
    return evt.payload


def on_retry(evt):
    log.info("retry %s", evt.id)
    evt.attempts += 1
    return handle(evt)


def on_close(evt):
    log.info("close %s", evt.id)
    if evt.bad:
        return None
    return finish(evt)
