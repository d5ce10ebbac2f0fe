class App:
    def __init__(self):
        self.routes = {}

    def route(self, path):
        def wrap(fn):
            if path in self.routes:
                raise ValueError(f"duplicate route {path}")
            self.routes[path] = fn
            return fn
        return wrap
