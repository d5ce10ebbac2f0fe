def index():
    return render("index")


def about():
    return render("about")
