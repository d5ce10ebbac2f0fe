def index():
    return render("home")


def about():
    return render("about-us")
