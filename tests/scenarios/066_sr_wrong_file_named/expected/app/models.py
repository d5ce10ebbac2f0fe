class User:
    name = ""
    email = ""
