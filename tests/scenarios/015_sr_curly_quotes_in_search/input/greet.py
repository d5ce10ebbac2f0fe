def greet(name):
    # don't shout
    print("Hello, " + name)
