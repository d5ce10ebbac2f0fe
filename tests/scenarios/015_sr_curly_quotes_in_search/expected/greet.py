def greet(name):
    # greet politely
    print(f"Hello, {name}.")
