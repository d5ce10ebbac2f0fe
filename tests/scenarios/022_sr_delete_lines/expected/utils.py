def keep():
    return 1


def also_keep():
    return 3
