class App:
    def __init__(self):
        self.running = False

    def run(self):
        self.running = True
        print("running", flush=True)
        return 0
