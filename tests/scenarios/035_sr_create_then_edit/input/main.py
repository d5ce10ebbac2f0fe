def main():
    print("demo")
