def greet(name):
    message = f"Hello, {name}!"
    print(message)
    return message


if __name__ == "__main__":
    greet("world")
