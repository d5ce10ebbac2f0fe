class AppConfig:
    def run(self):
        return 0


class App:
    def run(self):
        return 1


def main():
    return App().run()
