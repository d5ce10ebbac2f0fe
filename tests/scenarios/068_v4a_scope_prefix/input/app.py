class AppConfig:
    def run(self):
        return 0


class App:
    def run(self):
        return 0


def main():
    App().run()
