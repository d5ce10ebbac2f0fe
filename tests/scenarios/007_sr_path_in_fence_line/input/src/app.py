class App:
    def __init__(self):
        self.routes = {}

    def route(self, path):
        def wrap(fn):
            self.routes[path] = fn
            return fn
        return wrap
