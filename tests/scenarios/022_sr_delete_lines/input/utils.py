def keep():
    return 1


def obsolete():
    return 2


def also_keep():
    return 3
