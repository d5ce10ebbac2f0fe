from pkg.version import NAME, VERSION


def main():
    print(NAME, VERSION)
